// Issue 4's figures, side by side with DuckDB called directly from this plain node process on the same files:
// load, stats, 100-row windows (unsorted / sorted by a float / searched), server RSS, view_data end to end
// (1 M-row CSV, and a small file on a warm server), and /health latency while a 1 M-row load runs.

import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { readyPort } from '../test/helpers/binary.ts';
import { writeSyntheticCsv, writeSyntheticParquet } from '../test/helpers/datasets.ts';
import { BINARY, ROOT, benchEnv, benchHome, jsonRequest, ms, percentile, printTable, timed, type JsonReply, type Row } from './lib.ts';

const ROWS = 1_000_000;
const LOAD_RUNS = 5;
const STATS_RUNS = 3;
const WINDOW_RUNS = 50;
const VIEW_RUNS = 5;
const SMALL_VIEW_RUNS = 10;
/** Reloads of the 1 M-row file into one session before RSS is read again (the issue: within 10 % after 10). */
const RELOADS = 10;
const WINDOW = 100;
/**
 * Loads probed for the /health figure. One load gives ~55 probes; with 5 loads the p99 was the 3rd-largest of
 * ~280 and moved between 5.4 and 12 ms from run to run. 15 loads (~850 probes) make it a figure.
 */
const HEALTH_LOADS = 15;
/** Same as serverCommand (src/lifecycle/reexec.ts) gives a server ensureServer starts. */
const SERVER_ENV: Record<string, string> = {
  MALLOC_ARENA_MAX: '2',
  // Passed through so the thread/priority trade-offs can be measured, e.g. BUCKAROO_DUCKDB_NICE=0 make bench
  ...Object.fromEntries(['BUCKAROO_DUCKDB_THREADS', 'BUCKAROO_DUCKDB_NICE', 'UV_THREADPOOL_SIZE'].flatMap((k) => (process.env[k] ? [[k, process.env[k]!]] : []))),
};

type Reply = JsonReply;

/** Each server's token by port: every data route needs it (docs/security.md), not only /load. */
const tokens = new Map<number, string>();

function call(port: number, pathname: string, opts: { method?: string; token?: string; body?: unknown } = {}): Promise<Reply> {
  return jsonRequest(port, pathname, { ...opts, method: opts.method ?? 'GET', token: opts.token ?? tokens.get(port) });
}


async function startServer(home: string): Promise<{ proc: ChildProcess; port: number; token: string }> {
  // Detached, as ensureServer starts it: in its own session (and, where the kernel groups by session, its own
  // scheduling group), not sharing one with this client.
  const proc = spawn(BINARY, ['server', '--port', '0'], { env: benchEnv(home, SERVER_ENV), stdio: ['ignore', 'pipe', 'ignore'], detached: true });
  const port = await readyPort(proc);
  const state = JSON.parse(fs.readFileSync(path.join(home, 'run', `server-${port}.json`), 'utf8')) as { token: string };
  tokens.set(port, state.token);
  return { proc, port, token: state.token };
}

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0) / 1024;
}

const stat = (xs: number[]): { p50: number; p99: number } => ({ p50: percentile(xs, 50), p99: percentile(xs, 99) });
const offsets = (n: number): number[] => Array.from({ length: n }, (_, i) => Math.floor(((i * 7919) % n) * ((ROWS - WINDOW) / n)));

async function directFigures(db: DuckDBConnection, csv: string, parquet: string): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = { load: [], loadParquet: [], stats: [], unsorted: [], sorted: [], search: [] };
  for (let i = 0; i < LOAD_RUNS; i++) {
    await db.run('drop table if exists t');
    out.load!.push((await timed(() => db.run(`create table t as select * from read_csv('${csv}')`)))[0]);
    out.loadParquet!.push((await timed(() => db.runAndReadAll(`select count(*) from read_parquet('${parquet}')`)))[0]);
  }
  for (let i = 0; i < STATS_RUNS; i++) out.stats!.push((await timed(() => db.runAndReadAll('summarize t')))[0]);
  for (const off of offsets(WINDOW_RUNS)) {
    out.unsorted!.push((await timed(() => db.runAndReadAll(`select * from t limit ${WINDOW} offset ${off}`)))[0]);
    out.sorted!.push((await timed(() => db.runAndReadAll(`select * from t order by score, rowid limit ${WINDOW} offset ${off}`)))[0]);
    out.search!.push((await timed(() => db.runAndReadAll(`select * from t where contains(lower(name), $1) or contains(lower(city), $1) limit ${WINDOW} offset ${off % 10_000}`, ['lima'])))[0]);
  }
  return out;
}

async function main(): Promise<void> {
  const dir = benchHome();
  const csv = path.join(dir, 'million.csv');
  const parquet = path.join(dir, 'million.parquet');
  const db = await (await DuckDBInstance.create(':memory:')).connect();
  await writeSyntheticCsv(db, csv, ROWS);
  await writeSyntheticParquet(db, parquet, ROWS);
  const csvMb = (fs.statSync(csv).size / 1024 / 1024).toFixed(1);
  const direct = await directFigures(db, csv, parquet);

  // /health while a 1 M-row load runs: on a fresh server (whose first load also opens DuckDB), then again.
  const home = benchHome();
  const srv = await startServer(home);
  const healthDuringLoad = async (session: string): Promise<number[]> => {
    const health: number[] = [];
    let loading = true;
    const pending = call(srv.port, '/load', { method: 'POST', token: srv.token, body: { path: csv, session, no_browser: true } }).finally(() => (loading = false));
    while (loading) {
      const [t] = await timed(() => call(srv.port, '/health'));
      if (loading) health.push(t);
      await new Promise((r) => setTimeout(r, 5));
    }
    await pending;
    return health;
  };
  const healthFirst = await healthDuringLoad('bench-session-a');
  await call(srv.port, '/api/sessions/bench-session-a/stats');
  await new Promise((r) => setTimeout(r, 1_000));
  const rss = rssMiB(srv.proc.pid!);
  // The same file reloaded into the session, as an agent re-viewing it does: the old dataset must be freed.
  for (let i = 0; i < RELOADS; i++) {
    await call(srv.port, '/load', { method: 'POST', token: srv.token, body: { path: csv, session: 'bench-session-a', no_browser: true } });
    await call(srv.port, '/api/sessions/bench-session-a/stats');
  }
  await new Promise((r) => setTimeout(r, 1_000));
  const rssReloaded = rssMiB(srv.proc.pid!);

  const load: number[] = [];
  const stats: number[] = [];
  // Interleaved with DuckDB direct so both see the same machine load (the figure is their ratio).
  const directLoad: number[] = [];
  for (let i = 0; i < LOAD_RUNS; i++) {
    await db.run('drop table if exists t2');
    directLoad.push((await timed(() => db.run(`create table t2 as select * from read_csv('${csv}')`)))[0]);
    await db.run('drop table if exists t2');
    const [t] = await timed(() => call(srv.port, '/load', { method: 'POST', token: srv.token, body: { path: csv, session: 'bench-session-a', no_browser: true } }));
    load.push(t);
    if (i < STATS_RUNS) stats.push((await timed(() => call(srv.port, '/api/sessions/bench-session-a/stats')))[0]);
  }
  const loadParquet: number[] = [];
  for (let i = 0; i < LOAD_RUNS; i++) {
    loadParquet.push((await timed(() => call(srv.port, '/load', { method: 'POST', token: srv.token, body: { path: parquet, session: 'bench-session-p', no_browser: true } })))[0]);
  }
  const win = async (session: string, qs: (off: number) => string): Promise<number[]> => {
    const xs: number[] = [];
    for (const off of offsets(WINDOW_RUNS)) xs.push((await timed(() => call(srv.port, `/api/sessions/${session}/rows?${qs(off)}`)))[0]);
    return xs;
  };
  const health: number[] = [];
  for (let i = 0; i < HEALTH_LOADS; i++) health.push(...(await healthDuringLoad('bench-session-h')));
  // A page reading another session while a 1 M-row load and its stats run: queries queue for libuv's pool
  // (QUERY_POOL_THREADS), so this is what the pool size buys.
  await call(srv.port, '/load', { method: 'POST', token: srv.token, body: { path: path.join(ROOT, 'samples', 'penguins.csv'), session: 'bench-session-s', no_browser: true } });
  const busyWindows: number[] = [];
  for (let i = 0; i < HEALTH_LOADS; i++) {
    let busy = true;
    const big = call(srv.port, '/load', { method: 'POST', token: srv.token, body: { path: csv, session: 'bench-session-h', no_browser: true } })
      .then(() => call(srv.port, '/api/sessions/bench-session-h/stats'))
      .finally(() => (busy = false));
    while (busy) {
      const [t] = await timed(() => call(srv.port, `/api/sessions/bench-session-s/rows?offset=${(i * 37) % 200}&limit=${WINDOW}`));
      if (busy) busyWindows.push(t);
      await new Promise((r) => setTimeout(r, 10));
    }
    await big;
  }
  const [firstSorted] = await timed(() => call(srv.port, '/api/sessions/bench-session-a/rows?sort=score&limit=100'));
  const [firstSearch] = await timed(() => call(srv.port, '/api/sessions/bench-session-a/rows?search=lima&limit=100'));
  const unsorted = await win('bench-session-a', (o) => `offset=${o}&limit=${WINDOW}`);
  const sorted = await win('bench-session-a', (o) => `offset=${o}&limit=${WINDOW}&sort=score&dir=asc`);
  const searched = await win('bench-session-a', (o) => `offset=${o % 10_000}&limit=${WINDOW}&search=lima`);
  await call(srv.port, '/api/sessions/bench-session-p/rows?sort=score&limit=100');
  const sortedParquet = await win('bench-session-p', (o) => `offset=${o}&limit=${WINDOW}&sort=score&dir=asc`);

  // view_data through a real MCP client, reusing this server (what an agent's second call looks like).
  const client = new Client({ name: 'bench', version: '0' });
  await client.connect(new StdioClientTransport({ command: BINARY, args: ['mcp'], env: benchEnv(home, { BUCKAROO_PORT: String(srv.port) }) }));
  const viewBig: number[] = [];
  for (let i = 0; i < VIEW_RUNS; i++) viewBig.push((await timed(() => client.callTool({ name: 'view_data', arguments: { path: csv } })))[0]);
  const small = path.join(ROOT, 'samples', 'penguins.csv');
  await client.callTool({ name: 'view_data', arguments: { path: small } });
  const viewSmall: number[] = [];
  for (let i = 0; i < SMALL_VIEW_RUNS; i++) viewSmall.push((await timed(() => client.callTool({ name: 'view_data', arguments: { path: small } })))[0]);
  await client.close();
  srv.proc.kill('SIGTERM');

  const p50 = (xs: number[]): string => ms(stat(xs).p50);
  const p99 = (xs: number[]): string => ms(stat(xs).p99);
  const ratio = (a: number[], b: number[]): string => `${(stat(a).p50 / stat(b).p50).toFixed(2)}× direct`;
  const rows: Row[] = [
    { figure: `load 1 M-row CSV (${csvMb} MB), server /load`, median: p50(load), p90: p99(load), goal: '≤ 1.2× direct', note: `direct CTAS, interleaved ${p50(directLoad)}; ${ratio(load, directLoad)}` },
    { figure: 'load 1 M-row Parquet (in place), server /load', median: p50(loadParquet), p90: p99(loadParquet), note: `direct count(*) ${p50(direct.loadParquet!)}` },
    { figure: 'full-table stats, 6 columns (distinct exact; quartiles t-digest above 100k rows)', median: p50(stats), p90: p99(stats), note: `direct SUMMARIZE ${p50(direct.stats!)}` },
    { figure: '100-row window, unsorted', median: p50(unsorted), p90: p99(unsorted), goal: 'p50 ≤ 15, p99 ≤ 50 ms', note: `direct LIMIT/OFFSET p50 ${p50(direct.unsorted!)}, p99 ${p99(direct.unsorted!)}` },
    { figure: '100-row window, sorted by float (cached order)', median: p50(sorted), p90: p99(sorted), goal: 'p50 ≤ 15, p99 ≤ 50 ms', note: `first sorted window ${ms(firstSorted)}; direct ORDER BY p50 ${p50(direct.sorted!)}, p99 ${p99(direct.sorted!)}` },
    { figure: '100-row window, search "lima"', median: p50(searched), p90: p99(searched), goal: 'p50 ≤ 15, p99 ≤ 50 ms', note: `first searched window ${ms(firstSearch)}; direct p50 ${p50(direct.search!)}, p99 ${p99(direct.search!)}` },
    { figure: '100-row window, Parquet in place, sorted', median: p50(sortedParquet), p90: p99(sortedParquet) },
    { figure: 'server RSS after one 1 M-row load + stats', median: `${rss.toFixed(0)} MiB`, goal: '≤ 300 MB', note: `${((rss * 1024 * 1024) / 1e6).toFixed(0)} MB` },
    { figure: `server RSS after ${RELOADS} more reloads + stats of that file`, median: `${rssReloaded.toFixed(0)} MiB`, goal: 'within 10 %', note: `${rssReloaded >= rss ? '+' : ''}${(((rssReloaded - rss) / rss) * 100).toFixed(1)} % (one reading each)` },
    { figure: 'view_data end to end, 1 M-row CSV, full stats (warm server)', median: p50(viewBig), p90: p99(viewBig), goal: '≤ 500 ms' },
    { figure: 'view_data, small file (penguins.csv), warm server', median: p50(viewSmall), p90: p99(viewSmall), goal: '≤ 30 ms' },
    { figure: '100-row window of another session during a 1 M-row load + stats', median: p50(busyWindows), p90: p99(busyWindows), note: `${busyWindows.length} windows over ${HEALTH_LOADS} loads` },
    { figure: '/health latency during a 1 M-row load', median: p50(health), p90: p99(health), goal: '< 10 ms', note: `${health.length} probes over ${HEALTH_LOADS} loads, p95 ${ms(percentile(health, 95))}, max ${ms(Math.max(...health))}; during the server's first load (opens DuckDB): p50 ${p50(healthFirst)}, max ${ms(Math.max(...healthFirst))}` },
  ];
  printTable('view_data / engine (issue 4) — p90 column shows p99', rows);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(home, { recursive: true, force: true });
}

await main();
