// Helpers for end-to-end tests: run the compiled binary as a user would, in a scratch BUCKAROO_HOME, on a
// free port, and kill only what we started.

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
/** Same variable as build.ts: tests run the binary that `BUCKAROO_DIST_DIR=… make build` produced. */
export const DIST = path.resolve(ROOT, process.env.BUCKAROO_DIST_DIR || 'dist');
export const BINARY = path.join(DIST, 'buckaroo-table');
export const BUNDLE = path.join(DIST, 'buckaroo-table.cjs');

const READY_TIMEOUT_MS = 15_000;

/** Every temp dir tempHome made in this test file; test/setup.ts removes them when the file is done. */
const madeHomes: string[] = [];

export function tempHome(prefix = 'bt-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  madeHomes.push(dir);
  return dir;
}

/** The temp homes made so far in this test file (servers detached from a test are found through their state files). */
export function madeTempHomes(): readonly string[] {
  return madeHomes;
}

/** Removes the temp dirs of this file's tests (a full run makes ~1,000: /tmp should not keep them). */
export function removeTempHomes(): void {
  for (const dir of madeHomes.splice(0)) fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

/** A port nobody is listening on right now (bind :0, read it, close). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** The environment a test child gets: nothing of the developer's BUCKAROO_* settings, no browser. */
export function testEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    BUCKAROO_HOME: home,
    BUCKAROO_NO_BROWSER: '1',
    BUCKAROO_NO_UPDATE_CHECK: '1',
  };
  return { ...env, ...extra };
}

export interface StartedServer {
  proc: ChildProcess;
  port: number;
  pid: number;
  home: string;
  stdout: () => string;
  stderr: () => string;
  kill(signal?: NodeJS.Signals): void;
  /** Kills it and resolves once the process is gone (its port is free only then: a 1 M-row server can take >100 ms). */
  killAndWait(signal?: NodeJS.Signals): Promise<void>;
}

const started = new Set<ChildProcess>();

/**
 * The port from a starting server's `BUCKAROO_PORT=N` ready line on stdout; rejects when the process exits
 * first or stays silent for READY_TIMEOUT_MS. `detail` adds to the error (e.g. the stderr so far).
 */
export function readyPort(proc: ChildProcess, opts: { what?: string; detail?: () => string } = {}): Promise<number> {
  const what = opts.what ?? 'server';
  const detail = opts.detail ?? (() => '');
  return new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${what} not ready in ${READY_TIMEOUT_MS} ms${detail()}`)), READY_TIMEOUT_MS);
    proc.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /BUCKAROO_PORT=(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code} before ready${detail()}`));
    });
  });
}

/** Starts `binary server …` and waits for its BUCKAROO_PORT= ready line. */
export async function startServer(opts: { home?: string; args?: string[]; env?: Record<string, string>; binary?: string } = {}): Promise<StartedServer> {
  const home = opts.home ?? tempHome();
  const proc = spawn(opts.binary ?? BINARY, ['server', ...(opts.args ?? ['--port', '0'])], {
    env: testEnv(home, opts.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.add(proc);
  proc.on('exit', () => started.delete(proc));
  let out = '';
  let err = '';
  proc.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  proc.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const port = await readyPort(proc, { what: 'server', detail: () => `; stderr: ${err}` });
  return {
    proc,
    port,
    pid: proc.pid!,
    home,
    stdout: () => out,
    stderr: () => err,
    kill: (signal = 'SIGKILL') => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
    },
    killAndWait: async (signal = 'SIGKILL') => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const gone = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.kill(signal);
      await gone;
    },
  };
}

/**
 * Stops the server an MCP process of the test started on `port` (its pid from the state file), if it still
 * runs; the test did not spawn it itself, so killStarted does not know it.
 */
export function stopStateServer(home: string, port: number): void {
  try {
    process.kill(readState(home, port).pid, 'SIGTERM');
  } catch {
    /* already gone, or never started */
  }
}

/** Kills every server this test file started and that is still running. */
export function killStarted(): void {
  for (const p of started) {
    if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  }
  started.clear();
}

export function waitForExit(proc: ChildProcess, timeoutMs: number): Promise<number | string | null> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve(proc.exitCode ?? proc.signalCode);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`process ${proc.pid} still running after ${timeoutMs} ms`)), timeoutMs);
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? signal);
    });
  });
}

/** Running, and not a zombie waiting to be reaped (a detached server's parent has usually exited). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return process.platform !== 'linux'; // no /proc to ask: kill(pid, 0) is all we know
  }
}

export async function waitUntil(what: string, cond: () => boolean | Promise<boolean>, timeoutMs: number, stepMs = 20): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Where a server on `port` writes its state file under BUCKAROO_HOME `home` (src/paths.ts stateFilePath). */
export function stateFilePath(home: string, port: number): string {
  return path.join(home, 'run', `server-${port}.json`);
}

export function readState(home: string, port: number): { pid: number; token: string; version: string } {
  return JSON.parse(fs.readFileSync(stateFilePath(home, port), 'utf8')) as { pid: number; token: string; version: string };
}
