// Issue 3's figures, through the compiled binary's `ensure --json` (what view_data does before its first
// request): reuse probe, cold start → healthy, replace a cooperative old server, replace a hung (SIGSTOPped)
// one. The figure is ensureServer's own `ms`; the wall time of the CLI process (+ node start) is the note.
// The old server is the same source built as 0.0.1 (built once, ~6 s, into <dist>/test-old).

import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ensureServer } from '../src/lifecycle/ensure-server.ts';
import { silentLogger } from '../src/log.ts';
import { ensureOldBinary } from '../test/helpers/old-binary.ts';
import { BINARY, benchEnv, benchHome, ms, percentile, printTable, type Row } from './lib.ts';

const RUNS = 12;
const SHUTDOWN_TIMEOUT_MS = 3_000; // the default; the hung figure's goal is measured against it
const READY_TIMEOUT_MS = 10_000;

interface Ensured {
  status: string;
  pid: number;
  ms: number;
  wall: number;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function ensure(env: Record<string, string>): Promise<Ensured> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    execFile(BINARY, ['ensure', '--json'], { env }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`ensure failed: ${stderr}`));
      const r = JSON.parse(stdout) as Omit<Ensured, 'wall'>;
      resolve({ ...r, wall: performance.now() - t0 });
    });
  });
}

/** Starts `binary server --port N` detached from us and waits for its ready line. */
function startServer(binary: string, port: number, env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const p = spawn(binary, ['server', '--port', String(port)], { env, stdio: ['ignore', 'pipe', 'ignore'] });
    const timer = setTimeout(() => reject(new Error('old server not ready')), READY_TIMEOUT_MS);
    p.stdout.on('data', (c: Buffer) => {
      if (c.toString().includes('BUCKAROO_PORT=')) {
        clearTimeout(timer);
        p.stdout.destroy();
        resolve(p.pid!);
      }
    });
  });
}

async function killAndWait(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGCONT');
    process.kill(pid, 'SIGKILL');
  } catch {
    return;
  }
  for (let i = 0; i < 200; i++) {
    try {
      process.kill(pid, 0);
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2)[0] === 'Z') return;
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

function row(figure: string, samples: Ensured[], goal?: string): Row {
  const m = samples.map((s) => s.ms);
  const wall = samples.map((s) => s.wall);
  return {
    figure,
    median: ms(percentile(m, 50)),
    p90: ms(percentile(m, 90)),
    goal,
    note: `CLI wall ${ms(percentile(wall, 50))} median; ${samples.map((s) => s.status).filter((s, i, a) => a.indexOf(s) === i).join('/')}`,
  };
}

async function main(): Promise<void> {
  const old = await ensureOldBinary();
  const home = benchHome();
  const cleanup: number[] = [];
  try {
    const port = await freePort();
    const env = benchEnv(home, { BUCKAROO_PORT: String(port) });

    const cold: Ensured[] = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await ensure(env);
      cold.push(r);
      await killAndWait(r.pid);
    }

    const first = await ensure(env);
    cleanup.push(first.pid);
    const reuse: Ensured[] = [];
    for (let i = 0; i < RUNS; i++) reuse.push(await ensure(env));
    // The same call inside a long-lived process (an MCP session's second and later view_data): modules loaded,
    // code warm. This copy of the code is unbundled (version 0.0.0-dev), so it takes the reuse-a-newer path.
    await ensureServer({ port, explicitPort: true, env, log: silentLogger });
    const warm: number[] = [];
    for (let i = 0; i < RUNS * 2; i++) {
      const t0 = performance.now();
      await ensureServer({ port, explicitPort: true, env, log: silentLogger });
      warm.push(performance.now() - t0);
    }
    await killAndWait(first.pid);

    const cooperative: Ensured[] = [];
    for (let i = 0; i < RUNS; i++) {
      const oldPid = await startServer(old, port, env);
      cleanup.push(oldPid);
      const r = await ensure(env);
      cooperative.push(r);
      await killAndWait(r.pid);
    }

    const hung: Ensured[] = [];
    for (let i = 0; i < RUNS; i++) {
      const oldPid = await startServer(old, port, env);
      cleanup.push(oldPid);
      process.kill(oldPid, 'SIGSTOP');
      const r = await ensure(env);
      hung.push(r);
      await killAndWait(r.pid);
    }

    printTable(`Lifecycle (${RUNS} runs each; ensureServer's own time; ${path.relative(process.cwd(), BINARY) || BINARY})`, [
      row('reuse probe (same version running), fresh CLI process', reuse),
      { figure: 'reuse probe, warm in-process (MCP session, 2nd+ call)', median: ms(percentile(warm, 50)), p90: ms(percentile(warm, 90)), note: `${warm.length} calls` },
      row('cold start → healthy', cold),
      row('replace a cooperative old server → new healthy', cooperative, '≤ 400 ms'),
      row('replace a hung (SIGSTOPped) old server → new healthy', hung, `≤ ${SHUTDOWN_TIMEOUT_MS + 300} ms`),
    ]);
  } finally {
    for (const pid of cleanup) await killAndWait(pid);
    fs.rmSync(home, { recursive: true, force: true });
  }
}

await main();
