// Settings that come from flags and the environment, resolved in one place so every command agrees.

import { DEFAULT_PORT } from './version.ts';
import type { Env } from './paths.ts';

export class ConfigError extends Error {
  readonly code = 'E_CONFIG';
}

export interface PortChoice {
  port: number;
  /** True when the person chose it (flag or BUCKAROO_PORT): we then never fall back to another port. */
  explicit: boolean;
}

export function parsePort(raw: string, source: string): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isInteger(n) || n < 0 || n > 65535) {
    throw new ConfigError(`${source} must be a port number between 0 and 65535, got ${JSON.stringify(raw)}.`);
  }
  return n;
}

export function resolvePort(flag: string | undefined, env: Env = process.env): PortChoice {
  if (flag !== undefined) return { port: parsePort(flag, '--port'), explicit: true };
  const fromEnv = env.BUCKAROO_PORT;
  if (fromEnv !== undefined && fromEnv.trim() !== '') return { port: parsePort(fromEnv, 'BUCKAROO_PORT'), explicit: true };
  return { port: DEFAULT_PORT, explicit: false };
}

export function envFlag(env: Env, name: string): boolean {
  const v = env[name];
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

/** A duration the person wrote that we cannot read (a flag or an environment variable). */
export class DurationError extends Error {
  readonly code = 'E_CONFIG';
}

/**
 * Pure: "1500" → 1500 (a bare number is in `bareUnit`), "1500ms" → 1500, "3s" → 3000, "2m" → 120000.
 * Throws DurationError on anything else, naming `source`.
 */
export function parseDurationMs(raw: string, source: string, bareUnit: 'ms' | 's' | 'm' = 'ms'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|min)?\s*$/i.exec(raw);
  if (!m) throw new DurationError(`${source} must be a duration like 3000 (ms), 3s or 2m, got ${JSON.stringify(raw)}.`);
  const n = Number(m[1]);
  const unit = (m[2]?.toLowerCase() ?? bareUnit) as 'ms' | 's' | 'm' | 'min';
  const factor = unit === 'ms' ? 1 : unit === 's' ? 1_000 : 60_000;
  return Math.round(n * factor);
}
