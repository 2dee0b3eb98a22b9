// Helpers for the lifecycle end-to-end suites: run CLI commands of a given binary, start fixture programs,
// and clean up only what the test started (servers spawned detached by `ensure` included).

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BINARY, killStarted, madeTempHomes, ROOT, testEnv } from './binary.ts';

export const FIXTURES = path.join(ROOT, 'test', 'fixtures');
const READY_TIMEOUT_MS = 10_000;
const CLI_TIMEOUT_MS = 30_000;

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

const procs = new Set<ChildProcess>();
const serverPids = new Set<number>();

export function runCli(args: string[], env: Record<string, string>, binary = BINARY): Promise<CliRun> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    execFile(binary, args, { env, timeout: CLI_TIMEOUT_MS }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : -1) : 0;
      resolve({ code, stdout, stderr, ms: Date.now() - t0 });
    });
  });
}

export interface EnsureJson {
  status: 'reused' | 'started' | 'replaced';
  pid: number;
  version: string;
  port: number;
  previous?: { version: string; pid: number; how: string };
  notice?: string;
  ms: number;
}

/** `binary ensure --json` in `home`; remembers the server pid for cleanup. Throws with stderr on failure. */
export async function ensure(home: string, extraEnv: Record<string, string>, binary = BINARY): Promise<EnsureJson & { run: CliRun }> {
  const run = await runCli(['ensure', '--json'], testEnv(home, extraEnv), binary);
  if (run.code !== 0) throw new Error(`ensure exited ${run.code}: ${run.stderr}`);
  const result = JSON.parse(run.stdout) as EnsureJson;
  serverPids.add(result.pid);
  return { ...result, run };
}

export function trackPid(pid: number): void {
  serverPids.add(pid);
}

/** Starts `node test/fixtures/<script> …args` and waits for its "READY <port>" line. */
export async function startFixture(script: string, args: string[]): Promise<{ proc: ChildProcess; port: number; pid: number }> {
  const proc = spawn(process.execPath, [path.join(FIXTURES, script), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  procs.add(proc);
  let err = '';
  proc.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${script} not ready; stderr: ${err}`)), READY_TIMEOUT_MS);
    proc.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /READY (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited ${code}; stderr: ${err}`));
    });
  });
  return { proc, port, pid: proc.pid! };
}

/** An unrelated long-running process (`sleep 300`) whose survival a test asserts. */
export function startBystander(): ChildProcess {
  const proc = spawn('sleep', ['300'], { stdio: 'ignore' });
  procs.add(proc);
  return proc;
}

/** Kills what this file started: fixtures, bystanders, helper-started servers, and servers `ensure` spawned. */
export function cleanupLifecycle(): void {
  killStarted();
  for (const p of procs) {
    if (p.exitCode === null && p.signalCode === null) {
      try {
        process.kill(p.pid!, 'SIGCONT');
      } catch {
        /* gone */
      }
      p.kill('SIGKILL');
    }
  }
  procs.clear();
  const pids = new Set(serverPids);
  for (const home of madeTempHomes()) {
    for (const f of safeReaddir(path.join(home, 'run'))) {
      if (!/^server-\d+\.json$/.test(f)) continue;
      try {
        pids.add((JSON.parse(fs.readFileSync(path.join(home, 'run', f), 'utf8')) as { pid: number }).pid);
      } catch {
        /* half-written or removed */
      }
    }
  }
  for (const pid of pids) {
    // Only buckaroo-table servers: a state file may name a bystander on purpose.
    let cmd = '';
    try {
      cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (!cmd.includes('buckaroo-table') || !cmd.includes('server')) continue;
    try {
      process.kill(pid, 'SIGCONT');
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  serverPids.clear();
}

function safeReaddir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}
