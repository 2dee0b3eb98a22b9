// Where buckaroo-table keeps its files. Everything lives under BUCKAROO_HOME (default ~/.buckaroo) so a
// test, or a person debugging, can point the whole program at a scratch directory with one variable.

import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type Env = Readonly<Record<string, string | undefined>>;

export function buckarooHome(env: Env = process.env): string {
  const override = env.BUCKAROO_HOME;
  if (override && override.trim() !== '') return path.resolve(expandHome(override, env));
  return path.join(homeDir(env), '.buckaroo');
}

export function homeDir(env: Env = process.env): string {
  return env.HOME && env.HOME !== '' ? env.HOME : os.homedir();
}

/**
 * `~` and `~/x` expand to the home directory, a `file://` URL (what some agents and browsers hand over) to its
 * local path; anything else is returned as given.
 */
export function expandHome(p: string, env: Env = process.env): string {
  if (/^file:\/\//i.test(p)) {
    try {
      return fileURLToPath(p);
    } catch {
      return p; // not a local file URL (file://host/…): "File not found" names it as given
    }
  }
  if (p === '~') return homeDir(env);
  if (p.startsWith('~/')) return path.join(homeDir(env), p.slice(2));
  return p;
}

export const logsDir = (env: Env = process.env): string => path.join(buckarooHome(env), 'logs');
export const runDir = (env: Env = process.env): string => path.join(buckarooHome(env), 'run');
export const serverLogPath = (env: Env = process.env): string => path.join(logsDir(env), 'server.log');
export const mcpLogPath = (env: Env = process.env): string => path.join(logsDir(env), 'mcp.log');
export const stateFilePath = (port: number, env: Env = process.env): string =>
  path.join(runDir(env), `server-${port}.json`);
/** Points clients at the port a server fell back to when the default was held by someone else. */
export const portPointerPath = (env: Env = process.env): string => path.join(runDir(env), 'current-port.json');
export const sessionsDir = (env: Env = process.env): string => path.join(buckarooHome(env), 'sessions');
export const duckdbTempDir = (env: Env = process.env): string => path.join(buckarooHome(env), 'tmp', 'duckdb');
export const updateCachePath = (env: Env = process.env): string => path.join(buckarooHome(env), 'update_check.json');

/**
 * Per-user cache for the native DuckDB libraries the binary carries. XDG_CACHE_HOME is honoured; under a test's
 * BUCKAROO_HOME the cache moves there too, so tests never write to the real home.
 */
export function nativeCacheDir(env: Env = process.env): string {
  if (env.BUCKAROO_HOME) return path.join(buckarooHome(env), 'cache', 'native');
  const base = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME !== '' ? env.XDG_CACHE_HOME : path.join(homeDir(env), '.cache');
  return path.join(base, 'buckaroo-table', 'native');
}
