// ensureServer(port): the one door every caller goes through to get a data server of our version.
// probe → reuse | replace | start. (First cut: reuse or start; replacement and locking land with issue 3.)

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { readStateFile } from '../contract/state-file.ts';
import type { Logger } from '../log.ts';
import { logsDir, serverLogPath, type Env } from '../paths.ts';
import { VERSION } from '../version.ts';
import { probe } from './probe.ts';
import { serverCommand } from './reexec.ts';

export const STARTUP_TIMEOUT_MS = 5_000;
const STARTUP_POLL_MS = 25;

export interface EnsureResult {
  status: 'reused' | 'started' | 'replaced';
  pid: number;
  version: string;
  port: number;
  /** The bearer token for mutating endpoints, from the server's state file. */
  token: string;
  previous?: { version: string; pid: number; how: 'shutdown' | 'sigterm' | 'sigkill' };
  /** Set when a newer server was reused: tell the person to restart their agent session. */
  notice?: string;
  ms: number;
}

export class EnsureServerError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'EnsureServerError';
  }
}

export interface EnsureOptions {
  port: number;
  explicitPort: boolean;
  env?: Env;
  log: Logger;
}

export async function ensureServer(opts: EnsureOptions): Promise<EnsureResult> {
  const env = opts.env ?? process.env;
  const t0 = performance.now();
  const found = await probe(opts.port);
  if (found.kind === 'ours' && found.health.version === VERSION) {
    const state = readStateFile(opts.port, env);
    if (state && state.pid === found.health.pid) {
      return { status: 'reused', pid: found.health.pid, version: found.health.version, port: opts.port, token: state.token, ms: performance.now() - t0 };
    }
  }
  if (found.kind !== 'nothing') {
    throw new EnsureServerError(`Port ${opts.port} is held by something buckaroo-table cannot reuse (${found.kind}).`, 'E_PORT_HELD');
  }
  const pid = startDetachedServer(opts.port, env);
  const state = await waitForReady(opts.port, pid, env);
  return { status: 'started', pid: state.pid, version: state.version, port: opts.port, token: state.token, ms: performance.now() - t0 };
}

export function startDetachedServer(port: number, env: Env): number {
  fs.mkdirSync(logsDir(env), { recursive: true, mode: 0o700 });
  const out = fs.openSync(serverLogPath(env), 'a', 0o600);
  const cmd = serverCommand(['--port', String(port)], env);
  const child = spawn(cmd.command, cmd.args, { env: cmd.env, detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  child.unref();
  if (!child.pid) throw new EnsureServerError('Could not start the data server process.', 'E_SPAWN');
  return child.pid;
}

async function waitForReady(port: number, pid: number, env: Env): Promise<{ pid: number; version: string; token: string }> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const p = await probe(port);
    if (p.kind === 'ours') {
      const state = readStateFile(port, env);
      if (state && state.pid === p.health.pid) return { pid: state.pid, version: state.version, token: state.token };
    }
    await new Promise((r) => setTimeout(r, STARTUP_POLL_MS));
  }
  throw new EnsureServerError(`The data server (pid ${pid}) did not become ready within ${STARTUP_TIMEOUT_MS} ms; see ${serverLogPath(env)}.`, 'E_STARTUP_TIMEOUT');
}
