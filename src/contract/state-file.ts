// The state file a server writes after it binds (`run/server-<port>.json`): how clients find its token and
// how the lifecycle code verifies a pid before signalling it. Written atomically, mode 0600.

import crypto from 'node:crypto';
import fs from 'node:fs';
import { z } from 'zod';
import { runDir, stateFilePath, type Env } from '../paths.ts';
import { ensureHomeDirs } from '../home-dirs.ts';
import { UnsafePathError } from '../os/private-files.ts';
import { readJsonFile, writeJsonFileAtomic } from './json-file.ts';

export const StateFileSchema = z.object({
  pid: z.number().int().positive(),
  port: z.number().int().min(1).max(65535),
  version: z.string(),
  protocol: z.number().int(),
  token: z.string().min(16),
  started: z.string(),
  /** OS process start time (Linux: clock ticks since boot from /proc/<pid>/stat; macOS: `ps -o lstart=`). */
  start_time: z.string().optional(),
  exe: z.string(),
});
export type StateFile = z.infer<typeof StateFileSchema>;

export class RunDirError extends Error {
  readonly code = 'E_RUN_DIR_UNSAFE';
}

/**
 * Creates `run/` and the other directories under BUCKAROO_HOME with mode 0700, closing ours and refusing one
 * that another user owns (a planted token, lock or session entry): see home-dirs.ts.
 */
export function ensureRunDir(env: Env = process.env): string {
  try {
    ensureHomeDirs(env);
  } catch (err) {
    if (err instanceof UnsafePathError) throw new RunDirError(err.message);
    throw err;
  }
  return runDir(env);
}

export function writeStateFile(state: StateFile, env: Env = process.env): string {
  ensureRunDir(env);
  const file = stateFilePath(state.port, env);
  writeJsonFileAtomic(file, state);
  return file;
}

/** Returns the state file for `port`, or undefined when there is none or it is unreadable/invalid. */
export function readStateFile(port: number, env: Env = process.env): StateFile | undefined {
  return readJsonFile(stateFilePath(port, env), StateFileSchema);
}

/** Removes the state file only if it still names `pid`: a successor's file must survive our exit. */
export function removeStateFileIfOurs(port: number, pid: number, env: Env = process.env): void {
  const current = readStateFile(port, env);
  if (current && current.pid !== pid) return;
  try {
    fs.unlinkSync(stateFilePath(port, env));
  } catch {
    /* already gone */
  }
}

export function newToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/** Constant-time comparison so a wrong token leaks nothing through timing. */
export function tokensEqual(a: string, b: string): boolean {
  const ha = crypto.createHash('sha256').update(a).digest();
  const hb = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(ha, hb);
}
