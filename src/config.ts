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

/** A positive integer of milliseconds from the environment, or the default. */
export function envMs(env: Env, name: string, fallbackMs: number): number {
  const v = env[name];
  if (v === undefined || v.trim() === '') return fallbackMs;
  const n = Number(v);
  return Number.isFinite(n) && n > 0 ? n : fallbackMs;
}
