// Step 5 of ensureServer: start our own binary in server mode, detached (it belongs to no session), output
// appended to server.log, and wait until it answers /health with its own pid.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { openOwnLog } from '../log.ts';
import { readStateFile, type StateFile } from '../contract/state-file.ts';
import { buckarooHome, logsDir, serverLogPath, type Env } from '../paths.ts';
import { EnsureServerError } from './errors.ts';
import { probe } from './probe.ts';
import { serverCommand } from './reexec.ts';
import { POLL_INTERVAL_MS, sleep } from './timeouts.ts';

/** `buckaroo-table server` exits with this when its port is taken (EXIT_PORT_IN_USE in cli/errors.ts). */
const EXIT_PORT_IN_USE = 3;
/** How much of server.log an error quotes. */
const LOG_TAIL_LINES = 12;
const LOG_TAIL_BYTES = 16 * 1024;

export interface SpawnedServer {
  pid: number;
  /** Resolves with the exit code (or signal name) if the child exits while we still watch it. */
  exited: Promise<number | string | null>;
}

/** Starts `executable` (another compiled binary of ours), or this program when it is not given. */
export function spawnServer(port: number, env: Env, extraArgs: readonly string[] = [], executable?: string): SpawnedServer {
  fs.mkdirSync(logsDir(env), { recursive: true, mode: 0o700 });
  const out = openOwnLog(serverLogPath(env));
  const cmd = serverCommand(['--port', String(port), ...extraArgs], env, executable);
  let child;
  try {
    // Detached (its own session: the agent's exit or a terminal's SIGHUP must not reach it), and out of the
    // caller's working directory, which it would otherwise hold for its whole life. Data paths arrive absolute.
    // windowsHide: on Windows a detached console program would otherwise open a console window of its own.
    child = spawn(cmd.command, cmd.args, { env: cmd.env, cwd: buckarooHome(env), detached: true, windowsHide: true, stdio: ['ignore', out, out] });
  } finally {
    fs.closeSync(out);
  }
  const exited = new Promise<number | string | null>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal));
    child.once('error', () => resolve(null));
  });
  child.unref();
  if (!child.pid) throw new EnsureServerError(`Could not start the data server (${cmd.command}).`, 'E_SPAWN');
  return { pid: child.pid, exited };
}

export type ReadyOutcome = { kind: 'ready'; state: StateFile } | { kind: 'lost-race' };

/** Waits for the child to answer; 'lost-race' when it exited because another server took the port first. */
export async function waitForReady(port: number, child: SpawnedServer, env: Env, timeoutMs: number): Promise<ReadyOutcome> {
  let exit: { code: number | string | null } | undefined;
  void child.exited.then((code) => (exit = { code }));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const p = await probe(port);
    if (p.kind === 'ours' && p.health.pid === child.pid) {
      const state = readStateFile(port, env);
      if (state && state.pid === child.pid) return { kind: 'ready', state };
    }
    if (exit) {
      if (exit.code === EXIT_PORT_IN_USE) return { kind: 'lost-race' };
      throw new EnsureServerError(
        `The data server exited (${exit.code}) before it was ready. Last lines of ${serverLogPath(env)}:\n${lastLogLines(env)}`,
        'E_STARTUP_FAILED',
      );
    }
    await sleep(POLL_INTERVAL_MS);
  }
  throw new EnsureServerError(
    `The data server (pid ${child.pid}) did not answer on port ${port} within ${timeoutMs} ms ` +
      `(BUCKAROO_STARTUP_TIMEOUT). Last lines of ${serverLogPath(env)}:\n${lastLogLines(env)}`,
    'E_STARTUP_TIMEOUT',
  );
}

export function lastLogLines(env: Env, lines = LOG_TAIL_LINES): string {
  try {
    const fd = fs.openSync(serverLogPath(env), 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const len = Math.min(size, LOG_TAIL_BYTES);
      const buf = Buffer.alloc(len);
      fs.readSync(fd, buf, 0, len, size - len);
      return buf.toString('utf8').trimEnd().split('\n').slice(-lines).map((l) => `  ${l}`).join('\n');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return '  (no server.log)';
  }
}
