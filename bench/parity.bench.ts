// Issue 20's figures against Python Buckaroo: a 1 M- and a 5 M-row Parquet file loaded with every statistic of
// every column (/load, then /stats), and the first sorted 100-row window at offset 500 k of a 5 M-row CSV (a fresh
// load each run, so nothing is cached). Each run alternates ours with DuckDB doing the same work in this process
// (the limit), and with a baseline binary when BENCH_AB_DIST names one (interleaved A/B on a shared machine).
// PARITY_FIGURES=parquet1m,parquet5m,sort,sortBusy picks figures; PARITY_RUNS overrides the run count. `sort` asks
// once the load's stats are done (Python Buckaroo computes its stats in the load); `sortBusy` right after /load,
// while the server still computes the file's stats in the background.

import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { readyPort } from '../test/helpers/binary.ts';
import { writeSyntheticCsv, writeSyntheticParquet } from '../test/helpers/datasets.ts';
import { BINARY, benchEnv, benchHome, ms, percentile, printTable, type Row } from './lib.ts';

/** Python Buckaroo's figures on this machine (issue 20: its data server from source, `buckaroo` mode), in ms. */
const PYTHON_MS = { parquet1m: 870, parquet5m: 3_890, sort: 730, sortBusy: 730 } as const;
/** Issue 20's goal: at most this share of Python Buckaroo's time. */
const GOAL_RATIO = 0.8;
const RUNS = Number(process.env.PARITY_RUNS) || 3;
const SORT_OFFSET = 500_000;
const WINDOW = 100;
const FIGURES = (process.env.PARITY_FIGURES ?? 'parquet1m,parquet5m,sort,sortBusy').split(',').map((s) => s.trim());

interface Server {
  label: string;
  proc: ChildProcess;
  port: number;
  token: string;
}

function call(srv: Server, pathname: string, body?: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      {
        host: '127.0.0.1',
        port: srv.port,
        path: pathname,
        method: data ? 'POST' : 'GET',
        agent: false,
        headers: { authorization: `Bearer ${srv.token}`, ...(data ? { 'content-type': 'application/json' } : {}) },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(text)) : reject(new Error(`${srv.label} ${pathname}: ${res.statusCode} ${text.slice(0, 300)}`))));
      },
    );
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

async function startServer(label: string, binary: string): Promise<Server> {
  const home = benchHome();
  // The server lowers DuckDB's threads to nice 10 (thread-priority.ts); the in-process DuckDB runs at this
  // process's nice. On a loaded machine that gap favours the in-process one, so both run at the same nice.
  const env = benchEnv(home, { MALLOC_ARENA_MAX: '2', BUCKAROO_DUCKDB_NICE: String(Math.max(0, os.getPriority())) });
  const proc = spawn(binary, ['server', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'ignore'], detached: true });
  const port = await readyPort(proc);
  const state = JSON.parse(fs.readFileSync(path.join(home, 'run', `server-${port}.json`), 'utf8')) as { token: string };
  return { label, proc, port, token: state.token };
}

/** Wall and CPU time of one run; CPU counts every thread of the process (DuckDB's workers included). */
interface Sample {
  wall: number;
  cpu: number;
}

/** CPU milliseconds `pid` has used so far (user + system), or this process's own when pid is undefined. */
function cpuMs(pid?: number): number {
  if (pid === undefined) {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  }
  // Fields after the command name: utime and stime are the 12th and 13th, in clock ticks (100 a second on Linux).
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function timed<T>(fn: () => Promise<T>, pid?: number): Promise<[Sample, T]> {
  const c0 = cpuMs(pid);
  const t0 = performance.now();
  const v = await fn();
  return [{ wall: performance.now() - t0, cpu: cpuMs(pid) - c0 }, v];
}

const loadAvg = (): string => os.loadavg()[0]!.toFixed(1);
const p50 = (xs: number[]): number => percentile(xs, 50);

/** Runs every side once per run, in turn, so each sees the same machine load; answers the samples by side. */
async function interleaved(sides: { label: string; run: () => Promise<Sample> }[]): Promise<Map<string, Sample[]>> {
  const out = new Map<string, Sample[]>(sides.map((s) => [s.label, []]));
  for (let i = 0; i < RUNS; i++) for (const s of sides) out.get(s.label)!.push(await s.run());
  return out;
}

interface Figure {
  key: keyof typeof PYTHON_MS;
  title: string;
  servers: Server[];
  /** One timed run of the server side (untimed preparation inside is excluded by the function itself). */
  ours: (srv: Server, run: number) => Promise<Sample>;
  direct: () => Promise<Sample>;
  directNote: string;
}

async function measure(f: Figure): Promise<Row[]> {
  const loads = new Map<string, string[]>(f.servers.map((s) => [s.label, []]));
  let runs = 0;
  const times = await interleaved([
    ...f.servers.map((srv) => ({
      label: srv.label,
      run: async () => {
        loads.get(srv.label)!.push(loadAvg());
        return f.ours(srv, ++runs);
      },
    })),
    { label: 'direct', run: f.direct },
  ]);
  const python = PYTHON_MS[f.key];
  const wall = (label: string): number[] => times.get(label)!.map((s) => s.wall);
  const cpu = (label: string): number[] => times.get(label)!.map((s) => s.cpu);
  const direct = wall('direct');
  const rows: Row[] = f.servers.map((srv) => {
    const t = wall(srv.label);
    return {
      figure: `${f.title} — ${srv.label}`,
      median: ms(p50(t)),
      p90: ms(percentile(t, 90)),
      goal: `≤ ${ms(python * GOAL_RATIO)} (${GOAL_RATIO}× Python ${ms(python)})`,
      note: `${(p50(t) / python).toFixed(2)}× Python; ${(p50(t) / p50(direct)).toFixed(2)}× direct; server CPU p50 ${ms(p50(cpu(srv.label)))}; runs ${t.map((x) => x.toFixed(0)).join(', ')} ms at load avg ${loads.get(srv.label)!.join('/')}`,
    };
  });
  rows.push({ figure: `${f.title} — DuckDB direct (${f.directNote})`, median: ms(p50(direct)), p90: ms(percentile(direct, 90)), note: `CPU p50 ${ms(p50(cpu('direct')))}` });
  return rows;
}

/** /load then /stats of every column: what the page shows once a file is open. */
async function loadWithStats(srv: Server, file: string, session: string): Promise<Sample> {
  const [t] = await timed(async () => {
    await call(srv, '/load', { path: file, session, no_browser: true });
    await call(srv, `/api/sessions/${session}/stats`);
  }, srv.proc.pid);
  return t;
}

async function parquetFigure(db: DuckDBConnection, servers: Server[], dir: string, rows: number, key: 'parquet1m' | 'parquet5m'): Promise<Row[]> {
  const file = path.join(dir, `${key}.parquet`);
  await writeSyntheticParquet(db, file, rows);
  for (const srv of servers) await loadWithStats(srv, file, `${key}-warm`); // warm-up, not counted
  return measure({
    key,
    title: `${rows / 1e6} M-row Parquet (${(fs.statSync(file).size / 1e6).toFixed(0)} MB), /load + /stats of every column`,
    servers,
    ours: (srv, run) => loadWithStats(srv, file, `${key}-${run}`),
    direct: async () => (await timed(() => db.runAndReadAll(`summarize select * from read_parquet('${file}')`)))[0],
    directNote: 'SUMMARIZE over the file',
  });
}

async function sortFigure(db: DuckDBConnection, servers: Server[], dir: string, key: 'sort' | 'sortBusy'): Promise<Row[]> {
  const rows = 5_000_000;
  const file = path.join(dir, 'sort5m.csv');
  if (!fs.existsSync(file)) {
    await writeSyntheticCsv(db, file, rows);
    await db.run(`create or replace table sort5m as select * from read_csv('${file}')`);
  }
  const query = `offset=${SORT_OFFSET}&limit=${WINDOW}&sort=score&dir=asc`;
  const windows = new Map<string, string>();
  const result = await measure({
    key,
    title: `first sorted ${WINDOW}-row window at offset ${SORT_OFFSET / 1000} k, ${rows / 1e6} M-row CSV (fresh load each run${key === 'sort' ? ', its stats done' : ', stats still running'})`,
    servers,
    ours: async (srv, run) => {
      const session = `${key}-run-${run}`;
      await call(srv, '/load', { path: file, session, no_browser: true }); // untimed: every run sorts a new dataset
      if (key === 'sort') await call(srv, `/api/sessions/${session}/stats`);
      const [t, answer] = await timed(() => call(srv, `/api/sessions/${session}/rows?${query}`), srv.proc.pid);
      windows.set(srv.label, JSON.stringify((answer as { row_numbers: number[] }).row_numbers));
      await call(srv, '/load', { path: path.join(dir, 'tiny.csv'), session, no_browser: true }); // frees the 5 M rows
      return t;
    },
    direct: async () => (await timed(() => db.runAndReadAll(`select * from sort5m order by score asc nulls last, rowid limit ${WINDOW} offset ${SORT_OFFSET}`)))[0],
    directNote: 'ORDER BY … LIMIT/OFFSET on a loaded table',
  });
  // An A/B run must show the same rows in the same order on both sides.
  if (new Set(windows.values()).size > 1) throw new Error(`the sorted windows differ between ${[...windows.keys()].join(' and ')}`);
  return result;
}

async function main(): Promise<void> {
  const dir = benchHome();
  fs.writeFileSync(path.join(dir, 'tiny.csv'), 'a\n1\n');
  const db = await (await DuckDBInstance.create(':memory:')).connect();
  const baseline = process.env.BENCH_AB_DIST;
  const servers = [await startServer('ours', BINARY), ...(baseline ? [await startServer(`baseline ${baseline}`, path.join(path.resolve(baseline), 'buckaroo-table'))] : [])];
  const rows: Row[] = [];
  try {
    if (FIGURES.includes('parquet1m')) rows.push(...(await parquetFigure(db, servers, dir, 1_000_000, 'parquet1m')));
    if (FIGURES.includes('parquet5m')) rows.push(...(await parquetFigure(db, servers, dir, 5_000_000, 'parquet5m')));
    for (const key of ['sort', 'sortBusy'] as const) if (FIGURES.includes(key)) rows.push(...(await sortFigure(db, servers, dir, key)));
  } finally {
    for (const s of servers) s.proc.kill('SIGTERM');
  }
  printTable(`parity with Python Buckaroo (issue 20): ${RUNS} runs, sides alternating; p90 column shows p90`, rows);
}

await main();
