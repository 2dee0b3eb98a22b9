// Issues 2, 13 and 20's start-up figures: --version wall time, spawn → first /health 200, MCP spawn →
// initialize answered, the first /load of a 10-row CSV on a fresh server (beside DuckDB's own open + load), size.
// BENCH_COMPARE_DIST=<dir> runs that build's binary right after this one's for every sample (A/B interleaved,
// so a busy machine slows both alike) and prints both tables and their ratio.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { BINARY, ROOT, benchEnv, benchHome, mcpInitialize, ms, percentile, printTable, runToExit } from './lib.ts';

const RUNS = 15;
/** The first-load figure spawns a server and loads a file per sample: fewer, each costs ~0.5 s. */
const LOAD_RUNS = 9;
const HEALTH_POLL_MS = 2;

interface Reply {
  status: number;
  text: string;
}

function request(port: number, pathname: string, opts: { method?: string; token?: string; body?: unknown } = {}): Promise<Reply> {
  const data = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  return new Promise((resolve) => {
    const headers = { ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...(data ? { 'content-type': 'application/json' } : {}) };
    const req = http.request({ host: '127.0.0.1', port, path: pathname, method: opts.method ?? 'GET', agent: false, headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', () => resolve({ status: 0, text: '' }));
    if (data) req.write(data);
    req.end();
  });
}

/** Polls /health until 200, as a client does; the time from `t0`. */
async function untilHealthy(port: number, t0: number): Promise<number> {
  while ((await request(port, '/health')).status !== 200) await new Promise((r) => setTimeout(r, HEALTH_POLL_MS));
  return performance.now() - t0;
}

async function killAndWait(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  const exited = new Promise((r) => p.once('exit', r));
  p.kill('SIGKILL');
  await exited;
}

/** Spawn the server on a fixed free port and poll /health until 200 (what a client does). */
async function spawnToHealthy(bin: string, env: Record<string, string>, port: number): Promise<number> {
  const t0 = performance.now();
  const p = spawn(bin, ['server', '--port', String(port)], { env, stdio: 'ignore' });
  try {
    return await untilHealthy(port, t0);
  } finally {
    await killAndWait(p);
  }
}

/** A fresh server in a fresh home: /health, then POST /load of `csv` at once (what view_data does). */
async function firstLoad(bin: string, csv: string, port: number): Promise<{ load: number; total: number }> {
  const home = benchHome();
  // The DuckDB files unpacked by an earlier start (the usual case after the first run of an install).
  fs.cpSync(path.join(sharedHome(), 'cache'), path.join(home, 'cache'), { recursive: true });
  const env = benchEnv(home);
  const t0 = performance.now();
  const p = spawn(bin, ['server', '--port', String(port)], { env, stdio: 'ignore' });
  try {
    await untilHealthy(port, t0);
    const { token } = JSON.parse(fs.readFileSync(path.join(home, 'run', `server-${port}.json`), 'utf8')) as { token: string };
    const t1 = performance.now();
    const r = await request(port, '/load', { method: 'POST', token, body: { path: csv, no_browser: true } });
    if (r.status !== 200) throw new Error(`/load answered ${r.status}: ${r.text}`);
    const now = performance.now();
    return { load: now - t1, total: now - t0 };
  } finally {
    await killAndWait(p);
    fs.rmSync(home, { recursive: true, force: true });
  }
}

let shared: string | undefined;
/** One home whose native cache every first-load sample copies, so no sample pays the one-off unpack. */
function sharedHome(): string {
  if (shared) return shared;
  shared = benchHome();
  const r = spawnSync(BINARY, ['unpack-native', path.join(shared, 'cache', 'native')], { env: benchEnv(shared) });
  if (r.status !== 0) throw new Error(`unpack-native failed: ${r.stderr.toString()}`);
  return shared;
}

/** DuckDB's own open + load of the same file in a fresh Node process: import (dlopen), instance, connect, load. */
function duckdbOpenAndLoad(csv: string): number {
  const script = `const t0 = performance.now();
const { DuckDBInstance } = await import('@duckdb/node-api');
const c = await (await DuckDBInstance.create(':memory:')).connect();
await c.run("create table t as select * from read_csv('${csv}')");
console.log(performance.now() - t0);`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`direct DuckDB failed: ${r.stderr}`);
  return Number(r.stdout.trim());
}

async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

interface Samples {
  version: number[];
  healthy: number[];
  init: number[];
  load: number[];
  loadTotal: number[];
}

const load = (): string => os.loadavg().map((x) => x.toFixed(1)).join(' ');

async function main(): Promise<void> {
  const compare = process.env.BENCH_COMPARE_DIST ? path.join(path.resolve(ROOT, process.env.BENCH_COMPARE_DIST), 'buckaroo-table') : undefined;
  const bins = compare ? [BINARY, compare] : [BINARY];
  const home = benchHome();
  const env = benchEnv(home);
  const csv = path.join(home, 'ten.csv');
  fs.writeFileSync(csv, `id,name,score\n${Array.from({ length: 10 }, (_, i) => `${i},n${i},${i * 1.5}`).join('\n')}\n`);
  const loadBefore = load();
  const samples: Samples[] = bins.map(() => ({ version: [], healthy: [], init: [], load: [], loadTotal: [] }));
  for (const bin of bins) await runToExit(bin, ['--version'], env); // warm the page cache
  const port = await freePort();
  // Each figure's samples alternate between the binaries: A, B, A, B…
  for (let i = 0; i < RUNS; i++) for (const [j, bin] of bins.entries()) samples[j]!.version.push(await runToExit(bin, ['--version'], env));
  for (let i = 0; i < RUNS; i++) for (const [j, bin] of bins.entries()) samples[j]!.healthy.push(await spawnToHealthy(bin, env, port));
  for (let i = 0; i < RUNS; i++) for (const [j, bin] of bins.entries()) samples[j]!.init.push(await mcpInitialize(bin, env));
  for (let i = 0; i < LOAD_RUNS; i++) {
    for (const [j, bin] of bins.entries()) {
      const r = await firstLoad(bin, csv, port);
      samples[j]!.load.push(r.load);
      samples[j]!.loadTotal.push(r.total);
    }
  }
  const direct = Array.from({ length: LOAD_RUNS }, () => duckdbOpenAndLoad(csv));
  const med = (xs: number[]): number => percentile(xs, 50);
  for (const [j, bin] of bins.entries()) {
    const s = samples[j]!;
    const size = fs.statSync(bin).size / 1024 / 1024;
    const vs = (pick: (x: Samples) => number[]): string | undefined =>
      j === 0 || !compare ? undefined : `this / that median: ${(med(pick(samples[0]!)) / med(pick(s))).toFixed(2)}`;
    printTable(`Foundation (${RUNS} runs each, first load ${LOAD_RUNS}; load average ${loadBefore} → ${load()}; ${bin})`, [
      { figure: '`--version` wall time', median: ms(med(s.version)), p90: ms(percentile(s.version, 90)), goal: '≤ 15 ms', note: vs((x) => x.version) },
      { figure: 'spawn → first /health 200', median: ms(med(s.healthy)), p90: ms(percentile(s.healthy, 90)), goal: '≤ 60 ms', note: vs((x) => x.healthy) },
      { figure: 'MCP spawn → initialize answered', median: ms(med(s.init)), p90: ms(percentile(s.init, 90)), goal: '≤ 30 ms', note: vs((x) => x.init) },
      {
        figure: 'first /load on a fresh server (10-row CSV), after its first /health',
        median: ms(med(s.load)),
        p90: ms(percentile(s.load, 90)),
        goal: '≤ 96 ms (0.8 × Python Buckaroo)',
        note: `spawn → loaded ${ms(med(s.loadTotal))}; DuckDB's own import + open + load in a fresh node ${ms(med(direct))}${vs((x) => x.load) ? `; ${vs((x) => x.load)}` : ''}`,
      },
      { figure: 'binary size', median: `${size.toFixed(1)} MiB (${(size * 1.048576).toFixed(1)} MB)`, goal: '≤ 120 MB' },
    ]);
  }
  fs.rmSync(home, { recursive: true, force: true });
}

await main();
