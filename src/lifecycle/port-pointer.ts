// When the default port is held by a program that is not ours, the server runs on a fallback port and
// `run/current-port.json` points clients there. Clients read it before probing the default.

import fs from 'node:fs';
import { z } from 'zod';
import { readJsonFile, writeFileAtomic } from '../contract/json-file.ts';
import { readStateFile } from '../contract/state-file.ts';
import { parsePort, resolvePort, type PortChoice } from '../config.ts';
import { isAlive } from '../os/process-info.ts';
import { portPointerPath, type Env } from '../paths.ts';

export const PortPointerSchema = z.object({
  /** Where the server actually listens. */
  port: z.number().int().min(1).max(65535),
  /** The port clients were configured with, which someone else holds. */
  default_port: z.number().int().min(0).max(65535),
  /** Who holds default_port, as the OS told us when we fell back. */
  holder: z.string().optional(),
  written: z.string(),
});
export type PortPointer = z.infer<typeof PortPointerSchema>;

export function readPortPointer(env: Env = process.env): PortPointer | undefined {
  return readJsonFile(portPointerPath(env), PortPointerSchema);
}

export function writePortPointer(port: number, defaultPort: number, holder: string | undefined, env: Env = process.env): void {
  const pointer: PortPointer = { port, default_port: defaultPort, holder, written: new Date().toISOString() };
  writeFileAtomic(portPointerPath(env), JSON.stringify(pointer, null, 2) + '\n');
}

export function clearPortPointer(env: Env = process.env): void {
  fs.rmSync(portPointerPath(env), { force: true });
}

/** The fallback port a live server of ours runs on instead of `defaultPort`, if the pointer says so. */
export function fallbackPortFor(defaultPort: number, env: Env = process.env): number | undefined {
  const pointer = readPortPointer(env);
  if (!pointer || pointer.default_port !== defaultPort || pointer.port === defaultPort) return undefined;
  const state = readStateFile(pointer.port, env);
  return state && isAlive(state.pid) ? pointer.port : undefined;
}

/**
 * The port a client should talk to: `--port`/BUCKAROO_PORT when given (never redirected; 0 = the free port a
 * server of ours picked, found through the pointer), else the fallback
 * port from the pointer when a server of ours lives there, else the default (8700, or BUCKAROO_DEFAULT_PORT:
 * a different first choice that still falls back when taken — tests use it to stay off 8700).
 */
export function resolveServerPort(flag: string | undefined, env: Env = process.env): PortChoice {
  const choice = resolvePort(flag, env);
  if (choice.explicit && choice.port === 0) return { port: fallbackPortFor(0, env) ?? 0, explicit: true };
  if (choice.explicit) return choice;
  const raw = env.BUCKAROO_DEFAULT_PORT;
  const base = raw !== undefined && raw.trim() !== '' ? parsePort(raw, 'BUCKAROO_DEFAULT_PORT') : choice.port;
  return { port: fallbackPortFor(base, env) ?? base, explicit: false };
}
