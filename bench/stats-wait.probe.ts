// Probe (not a bench, issue 13): how long a /load waits behind background stats, per binary and server environment.
// BINS=dist,/tmp/base ENVS='|UV_THREADPOOL_SIZE=2' RUNS=3 node bench/stats-wait.probe.ts (data under /tmp/stats-probe).
import { DuckDBInstance } from '@duckdb/node-api';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { readyPort } from '../test/helpers/binary.ts';
import { writeSyntheticCsv, writeSyntheticParquet } from '../test/helpers/datasets.ts';
import { benchEnv, benchHome, jsonRequest, timed } from './lib.ts';

const dir = '/tmp/stats-probe/data';
const csv = path.join(dir, 'm1.csv');
const parquet = path.join(dir, 'm1.parquet');
if (!fs.existsSync(parquet)) {
  const db = await (await DuckDBInstance.create(':memory:')).connect();
  await writeSyntheticCsv(db, csv, 1_000_000);
  await writeSyntheticParquet(db, parquet, 1_000_000);
}
const bins = (process.env.BINS ?? '/work/wt-stats/dist').split(',');
const envs = (process.env.ENVS ?? '').split('|').map((s) => Object.fromEntries(s.split(';').filter(Boolean).map((kv) => kv.split('=') as [string, string])));
const RUNS = Number(process.env.RUNS ?? 3);
const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const results = new Map<string, Record<string, number[]>>();
for (let r = 0; r < RUNS; r++) {
  for (const bin of bins) {
    for (const env of envs) {
      const key = `${bin} ${JSON.stringify(env)}`;
      const out = results.get(key) ?? {};
      results.set(key, out);
      const push = (k: string, v: number): void => void (out[k] ??= []).push(v);
      const home = benchHome();
      const proc = spawn(path.join(bin, 'buckaroo-table'), ['server', '--port', '0'], { env: benchEnv(home, { MALLOC_ARENA_MAX: '2', ...env }), stdio: ['ignore', 'pipe', 'ignore'], detached: true });
      const port = await readyPort(proc);
      const token = (JSON.parse(fs.readFileSync(path.join(home, 'run', `server-${port}.json`), 'utf8')) as { token: string }).token;
      const call = (p: string, body?: unknown) => jsonRequest(port, p, { method: body ? 'POST' : 'GET', token, body });
      const load = (file: string, session: string) => timed(() => call('/load', { path: file, session, no_browser: true })).then(([t]) => t);
      await load(parquet, 'warmup-session-w');
      await call('/api/sessions/warmup-session-w/stats');
      // CSV load alone (stats of nothing else running)
      push('csv load (quiet)', await load(csv, 'csv-session-aaa'));
      // parquet into another session while the CSV's background stats run
      push('parquet load, other session during CSV stats', await load(parquet, 'pq-session-bbbb'));
      await call('/api/sessions/csv-session-aaa/stats');
      await call('/api/sessions/pq-session-bbbb/stats');
      // parquet alone, then again into the same session right after
      push('parquet load (quiet)', await load(parquet, 'pq-session-cccc'));
      push('parquet 2nd load same session right after', await load(parquet, 'pq-session-cccc'));
      const [st] = await timed(() => call('/api/sessions/pq-session-cccc/stats'));
      push('parquet stats after 2nd load', st);
      await call('/api/sessions/csv-session-aaa/stats');
      process.kill(-proc.pid!, 'SIGTERM');
      await new Promise((res) => proc.once('exit', res));
      fs.rmSync(home, { recursive: true, force: true });
    }
  }
}
for (const [key, out] of results) {
  console.log(key);
  for (const [k, v] of Object.entries(out)) console.log(`  ${k.padEnd(48)} median ${med(v).toFixed(0)} ms  [${v.map((x) => x.toFixed(0)).join(', ')}]`);
}
