// Issue 11's size figures, each as a ratio to DuckDB called directly from this node process in the same run
// (interleaved, so both see the same machine load): a 5,000-column CSV and a CSV with one 20 MB text field.

import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { readyPort } from '../test/helpers/binary.ts';
import { BINARY, benchEnv, benchHome, ms, percentile, printTable, type Row } from './lib.ts';

const RUNS = 3;
const WIDE_COLUMNS = 5_000;
const WIDE_ROWS = 100;
const BIG_FIELD_BYTES = 20 * 1024 * 1024;
/** What readerSql passes (src/engine/limits.ts): DuckDB's default 2 MB refuses the 20 MB field. */
const DIRECT_MAX_LINE_BYTES = 32 * 1024 * 1024;
const LOAD_TIMEOUT_MS = 300_000;

function post(port: number, token: string, body: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = http.request(
      { host: '127.0.0.1', port, path: '/load', method: 'POST', agent: false, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.setTimeout(LOAD_TIMEOUT_MS, () => req.destroy(new Error('load timed out')));
    req.on('error', reject);
    req.write(data);
    req.end();
  });
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function writeFiles(db: DuckDBConnection, dir: string): Promise<{ wide: string; bigField: string }> {
  const wide = path.join(dir, 'wide.csv');
  const cols = Array.from({ length: WIDE_COLUMNS }, (_, i) => (i % 3 === 0 ? `'v' || ((range + ${i}) % 97) as c${i}` : i % 3 === 1 ? `(range * ${i}) % 1000 as c${i}` : `(range + ${i}) / 7.0 as c${i}`));
  await db.run(`copy (select ${cols.join(', ')} from range(${WIDE_ROWS})) to '${wide}' (header)`);
  const bigField = path.join(dir, 'big-field.csv');
  fs.writeFileSync(bigField, `id,text,n\n1,small,1\n2,${'x'.repeat(BIG_FIELD_BYTES)},2\n3,after,3\n`);
  return { wide, bigField };
}

async function main(): Promise<void> {
  const dir = benchHome();
  const db = await (await DuckDBInstance.create(':memory:')).connect();
  const files = await writeFiles(db, dir);
  const home = benchHome();
  const proc = spawn(BINARY, ['server', '--port', '0'], { env: benchEnv(home, { MALLOC_ARENA_MAX: '2' }), stdio: ['ignore', 'pipe', 'ignore'], detached: true });
  const port = await readyPort(proc);
  const { token } = JSON.parse(fs.readFileSync(path.join(home, 'run', `server-${port}.json`), 'utf8')) as { token: string };
  const figures: Row[] = [];
  for (const [label, file, opts] of [
    [`${WIDE_COLUMNS.toLocaleString('en-US')} columns × ${WIDE_ROWS.toLocaleString('en-US')} rows CSV`, files.wide, ''],
    ['CSV with one 20 MB text field', files.bigField, `, max_line_size=${DIRECT_MAX_LINE_BYTES}`],
  ] as const) {
    const server: number[] = [];
    const direct: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      await db.run('drop table if exists t');
      direct.push(await timed(() => db.run(`create table t as select * from read_csv('${file}'${opts})`)));
      await db.run('drop table if exists t');
      server.push(
        await timed(async () => {
          const status = await post(port, token, { path: file, session: 'bench-fidelity', no_browser: true });
          if (status !== 200) throw new Error(`/load answered ${status} for ${file}`);
        }),
      );
    }
    const p50 = (xs: number[]): number => percentile(xs, 50);
    figures.push({
      figure: `load ${label}, server /load`,
      median: ms(p50(server)),
      p90: ms(percentile(server, 90)),
      goal: '≤ 1.5× direct',
      note: `direct CTAS, interleaved ${ms(p50(direct))}; ${(p50(server) / p50(direct)).toFixed(2)}× direct`,
    });
  }
  proc.kill('SIGTERM');
  printTable('data fidelity sizes (issue 11)', figures);
}

await main();
