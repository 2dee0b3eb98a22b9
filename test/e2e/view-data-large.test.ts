// Big files through the compiled server: a 1 M-row CSV and Parquet (no sampling, /health stays responsive,
// windows at the far end, stable sorts), memory freed on reload, sessions surviving a server restart, MCP
// progress notifications, and a ~2 GB CSV under a small DuckDB memory limit (spills instead of crashing).

import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BINARY, freePort, killStarted, readState, startServer, tempHome, testEnv, type StartedServer } from '../helpers/binary.ts';
import { serverCommand } from '../../src/lifecycle/reexec.ts';
import { writeSyntheticCsv, writeSyntheticParquet, writeWideCsv } from '../helpers/datasets.ts';
import { request } from '../helpers/http.ts';

const MILLION = 1_000_000;
/** Rows of the file-larger-than-memory test: ~2 GB of CSV at ~80 bytes a row. */
const HUGE_ROWS = 26_000_000;
const HUGE_MEMORY_LIMIT = '512MB';
/** The huge test needs the file, DuckDB's spill files and slack. */
const HUGE_FREE_BYTES_NEEDED = 8 * 1024 ** 3;
/** The server hands DuckDB's spare memory back 250 ms after the last query (IDLE_RELEASE_DELAY_MS); room for a busy machine. */
const RSS_SETTLE_MS = 800;
/** The bound: RSS back within 10 % after 10 reloads. */
const RSS_GROWTH_ALLOWED = 1.1;
/** Readings taken (their lowest counts) before and after the reloads: see the test for why several. */
const RSS_SAMPLE_ROUNDS = 6;
/** 17 rounds of a 1 M-row load plus full stats, and twelve settles, on a machine busy with other test files. */
const RELOAD_TEST_TIMEOUT_MS = 180_000;
/** A stopped server exits within this (it allows itself SHUTDOWN_EXIT_DEADLINE_MS; a hang never exits). */
const STOP_WAIT_MS = 5_000;

/** startServer spawns the binary directly: give it the environment ensureServer's spawn would (malloc arenas). */
const SERVER_ENV = { MALLOC_ARENA_MAX: serverCommand([], {}).env.MALLOC_ARENA_MAX! };

let home: string;
let dataDir: string;
let server: StartedServer;
let token: string;
let db: DuckDBConnection;
let csv: string;
let parquet: string;
const extraPids: number[] = [];

async function load(port: number, tok: string, file: string, session: string): Promise<Record<string, unknown>> {
  const r = await request(port, '/load', {
    method: 'POST',
    headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/json' },
    body: JSON.stringify({ path: file, session, no_browser: true }),
    timeoutMs: 600_000,
  });
  expect(r.status, r.body).toBe(200);
  return r.json();
}

async function rows(port: number, session: string, qs: string): Promise<{ total: number; filtered: number; rows: unknown[][]; row_numbers: number[] }> {
  const r = await request(port, `/api/sessions/${session}/rows?${qs}`, { timeoutMs: 120_000 });
  expect(r.status, r.body).toBe(200);
  return r.json();
}

function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0);
}

beforeAll(async () => {
  home = tempHome();
  dataDir = fs.mkdtempSync(path.join(home, 'data-'));
  db = await (await DuckDBInstance.create(':memory:')).connect();
  csv = path.join(dataDir, 'million.csv');
  parquet = path.join(dataDir, 'million.parquet');
  await writeSyntheticCsv(db, csv, MILLION);
  await writeSyntheticParquet(db, parquet, MILLION);
  server = await startServer({ home, env: SERVER_ENV });
  token = readState(home, server.port).token;
}, 120_000);

afterAll(() => {
  killStarted();
  for (const pid of extraPids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  fs.rmSync(home, { recursive: true, force: true });
});

describe('a 1 M-row file', () => {
  it('handles a 1 M-row csv while health keeps answering', async () => {
    let loading = true;
    const pending = load(server.port, token, csv, 'million-csv-1').finally(() => (loading = false));
    let answered = 0;
    while (loading) {
      const h = await request(server.port, '/health', { timeoutMs: 5_000 });
      expect(h.status).toBe(200);
      if (loading) answered++;
      await new Promise((r) => setTimeout(r, 20));
    }
    const body = await pending;
    expect(body).toMatchObject({ rows: MILLION, format: 'csv', session: 'million-csv-1' });
    expect(answered).toBeGreaterThanOrEqual(3);

    const last = await rows(server.port, 'million-csv-1', `offset=${MILLION - 100}&limit=100`);
    expect(last.total).toBe(MILLION);
    expect(last.row_numbers[0]).toBe(MILLION - 100);
    expect(last.rows.at(-1)![0]).toBe(MILLION - 1);

    const sorted = await rows(server.port, 'million-csv-1', 'sort=score&dir=desc&offset=500000&limit=200');
    const scores = sorted.rows.map((r) => r[3] as number);
    for (let i = 1; i < scores.length; i++) {
      expect(scores[i]!).toBeLessThanOrEqual(scores[i - 1]!);
      if (scores[i] === scores[i - 1]) expect(sorted.row_numbers[i]!).toBeGreaterThan(sorted.row_numbers[i - 1]!);
    }
    const found = await rows(server.port, 'million-csv-1', 'search=LIMA&limit=5');
    expect(found.filtered).toBe(MILLION / 10);
  });

  it('handles 1 M-row parquet in place with stats matching duckdb', async () => {
    const body = await load(server.port, token, parquet, 'million-parquet-1');
    expect(body).toMatchObject({ rows: MILLION, format: 'parquet' });
    const s = (await request(server.port, '/api/sessions/million-parquet-1/stats', { timeoutMs: 120_000 })).json<{ columns: Record<string, unknown>[] }>();
    const direct = (
      await db.runAndReadAll(
        `select count(score)::int nn, count(distinct score)::int d, min(score) mn, max(score) mx, avg(score) mean, stddev_samp(score) std, quantile_cont(score, 0.5) med,
                count(distinct city)::int dc from read_parquet('${parquet}')`,
      )
    ).getRowObjectsJson()[0]!;
    const score = s.columns.find((c) => c.name === 'score')!;
    expect(score).toMatchObject({ non_null: direct.nn, nulls: 0, distinct: direct.d, distinct_approx: false, min: direct.mn, max: direct.mx });
    expect(score.mean as number).toBeCloseTo(Number(direct.mean), 6);
    expect(score.std as number).toBeCloseTo(Number(direct.std), 6);
    // Above 100,000 rows quartiles come from a t-digest sketch, and say so.
    expect(score.quantiles_approx).toBe(true);
    expect(Math.abs((score.median as number) - Number(direct.med))).toBeLessThanOrEqual(Math.abs(Number(direct.med)) * 0.01);
    const hist = score.histogram as { bins: { count: number }[]; low_tail: number; high_tail: number; nulls: number };
    expect(hist.bins).toHaveLength(10);
    expect(hist.bins.reduce((a, b) => a + b.count, 0) + hist.low_tail + hist.high_tail + hist.nulls).toBe(MILLION);
    const city = s.columns.find((c) => c.name === 'city')!;
    expect(city.distinct).toBe(direct.dc);
    expect((city.histogram as { top: unknown[] }).top).toHaveLength(7);
    const last = await rows(server.port, 'million-parquet-1', `offset=${MILLION - 1}&limit=10`);
    expect(last.row_numbers).toEqual([MILLION - 1]);
  });

  it('frees the old dataset when a session reloads', async () => {
    // Each round as the page would drive it: load, then the full stats. RSS is read once the process settles.
    const round = async (): Promise<void> => {
      await load(server.port, token, csv, 'reload-1');
      expect((await request(server.port, '/api/sessions/reload-1/stats', { timeoutMs: 120_000 })).status).toBe(200);
    };
    const settle = (): Promise<void> => new Promise((r) => setTimeout(r, RSS_SETTLE_MS));
    // The server hands DuckDB's spare memory back once idle (src/engine/memory-release.ts); without that, the pool
    // kept the peak of a reload (old and new table at once) for good and RSS sat ~35-45 MiB higher after a few
    // reloads, swinging ±30 MiB from round to round. The lowest of several rounds still reads the steady state;
    // DuckDB's own accounting catches a kept dataset exactly, and a kept dataset (~75 MB a reload) would cross the
    // issue's 10 % at the first reload.
    const steady = async (rounds: number): Promise<{ rssKb: number; duckdbMb: number }> => {
      let low = Number.POSITIVE_INFINITY;
      for (let i = 0; i < rounds; i++) {
        await round();
        await settle();
        low = Math.min(low, rssKb(server.pid));
      }
      const diag = (await request(server.port, '/diagnostics', { timeoutMs: 30_000 })).json<{
        duckdb: { memory_mb: Record<string, number>; spare_memory_releases: { count: number } };
      }>();
      expect(diag.duckdb.spare_memory_releases.count).toBeGreaterThan(0);
      return { rssKb: low, duckdbMb: Object.values(diag.duckdb.memory_mb).reduce((a, b) => a + b, 0) };
    };
    // Baseline from the first reloads: by then the allocator has held one load's peak next to a live dataset.
    await round();
    const first = await steady(RSS_SAMPLE_ROUNDS);
    const reloadsSoFar = 1 + RSS_SAMPLE_ROUNDS;
    for (let i = 0; i < 10 - RSS_SAMPLE_ROUNDS; i++) await round();
    const last = await steady(RSS_SAMPLE_ROUNDS);
    console.log(
      `server RSS (lowest of ${RSS_SAMPLE_ROUNDS}) after ${reloadsSoFar} loads: ${Math.round(first.rssKb / 1024)} MiB, ` +
        `after 10 more: ${Math.round(last.rssKb / 1024)} MiB; DuckDB's own: ${first.duckdbMb} → ${last.duckdbMb} MB`,
    );
    expect(last.duckdbMb).toBeLessThanOrEqual(first.duckdbMb * 1.02);
    expect(last.rssKb).toBeLessThanOrEqual(first.rssKb * RSS_GROWTH_ALLOWED);
  }, RELOAD_TEST_TIMEOUT_MS);

  it('exits promptly when stopped while background stats run', async () => {
    // /load answers before the quartiles and histograms are done; a stop right then must not wait on them.
    const other = await startServer({ home: tempHome(), env: SERVER_ENV });
    const tok = readState(other.home, other.port).token;
    await load(other.port, tok, csv, 'stopped-1');
    const exited = new Promise<number>((resolve) => other.proc.once('exit', () => resolve(performance.now())));
    const t0 = performance.now();
    other.kill('SIGTERM');
    const t1 = await Promise.race([exited, new Promise<number>((r) => setTimeout(() => r(Number.POSITIVE_INFINITY), STOP_WAIT_MS))]);
    other.kill('SIGKILL');
    fs.rmSync(other.home, { recursive: true, force: true });
    expect(t1 - t0).toBeLessThan(STOP_WAIT_MS);
  });

  it('answers load with the summary stats view_data needs', async () => {
    const r = await request(server.port, '/load', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ path: csv, session: 'summary-1', no_browser: true, summary_columns: 2 }),
      timeoutMs: 600_000,
    });
    expect(r.status, r.body).toBe(200);
    const summary = r.json<{ stats: { rows: number; distinct_approx: boolean; columns: Record<string, unknown>[] } }>().stats;
    expect(summary).toMatchObject({ rows: MILLION, distinct_approx: false });
    expect(summary.columns.map((c) => c.name)).toEqual(['id', 'name']);
    const full = (await request(server.port, '/api/sessions/summary-1/stats?limit=2', { timeoutMs: 120_000 })).json<{ columns: Record<string, unknown>[] }>();
    for (const [i, c] of summary.columns.entries()) {
      const { mean: _m, std: _s, q25: _a, median: _b, q75: _c, quantiles_approx: _q, histogram: _h, ...same } = full.columns[i]!;
      expect(c).toEqual(same);
    }
    expect(summary.columns[0]).toMatchObject({ distinct: MILLION, nulls: 0, min: 0, max: MILLION - 1 });
  });

  it('reloads a session from the registry after a server restart', async () => {
    await load(server.port, token, csv, 'survivor-1');
    await server.killAndWait('SIGKILL');
    server = await startServer({ home, args: ['--port', String(server.port)], env: SERVER_ENV });
    token = readState(home, server.port).token;
    const again = await rows(server.port, 'survivor-1', 'offset=10&limit=1');
    expect(again).toMatchObject({ total: MILLION, row_numbers: [10] });
    const meta = (await request(server.port, '/api/sessions/survivor-1/meta')).json();
    expect(meta).toMatchObject({ status: 'ready', file_name: 'million.csv' });
  });

  it('reports mcp progress while a big file loads', async () => {
    const port = await freePort();
    const client = new Client({ name: 'progress-test', version: '0.0.0' });
    await client.connect(new StdioClientTransport({ command: BINARY, args: ['mcp'], env: testEnv(home, { BUCKAROO_PORT: String(port) }), stderr: 'pipe' }));
    const seen: { progress: number; message?: string }[] = [];
    try {
      const r = (await client.callTool({ name: 'view_data', arguments: { path: csv } }, {
        onprogress: (p) => seen.push(p),
        timeout: 300_000,
      })) as { isError?: boolean; content: { text?: string }[] };
      expect(r.isError, r.content[0]?.text).toBeFalsy();
      expect(r.content[0]?.text).toContain('million.csv — 1,000,000 rows × 6 columns');
    } finally {
      await client.close();
      try {
        extraPids.push(readState(home, port).pid);
      } catch {
        /* no server was started */
      }
    }
    // Bytes read while DuckDB loads (view-data-cancel.test.ts checks those on a 5 M-row file); always the neutral
    // first message and the final one, and never a repeat or a step back (the spec's MUST).
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen[0]?.message).toBe('checking the data server');
    expect(seen.at(-1)?.message).toBe('done');
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.progress).toBeGreaterThan(seen[i - 1]!.progress);
  });
});

function freeBytes(dir: string): number {
  const out = execFileSync('df', ['-Pk', dir], { encoding: 'utf8' }).trim().split('\n').at(-1)!.split(/\s+/);
  return Number(out[3]) * 1024;
}

const hugeSkipReason = (): string | undefined => {
  if (process.env.BUCKAROO_TEST_SKIP_HUGE === '1') return 'BUCKAROO_TEST_SKIP_HUGE=1';
  const free = freeBytes(fs.realpathSync(process.env.TMPDIR ?? '/tmp'));
  if (free < HUGE_FREE_BYTES_NEEDED) return `only ${(free / 1024 ** 3).toFixed(1)} GB free in the temp dir; the test needs ${HUGE_FREE_BYTES_NEEDED / 1024 ** 3} GB`;
  return undefined;
};

describe('a file larger than DuckDB memory', () => {
  const reason = hugeSkipReason();
  if (reason) console.log(`skipped the 2 GB spill test: ${reason}`);
  it.skipIf(reason !== undefined)(
    'handles a 2 GB CSV larger than memory by spilling',
    async () => {
      const file = path.join(dataDir, 'huge.csv');
      await writeWideCsv(db, file, HUGE_ROWS);
      const size = fs.statSync(file).size;
      console.log(`huge.csv: ${(size / 1024 ** 3).toFixed(2)} GB`);
      const huge = await startServer({ home: tempHome(), env: { ...SERVER_ENV, BUCKAROO_DUCKDB_MEMORY_LIMIT: HUGE_MEMORY_LIMIT } });
      const tok = readState(huge.home, huge.port).token;
      try {
        const body = await load(huge.port, tok, file, 'huge-session-1');
        expect(body.rows).toBe(HUGE_ROWS);
        const last = await rows(huge.port, 'huge-session-1', `offset=${HUGE_ROWS - 5}&limit=5`);
        expect(last.row_numbers).toEqual([HUGE_ROWS - 5, HUGE_ROWS - 4, HUGE_ROWS - 3, HUGE_ROWS - 2, HUGE_ROWS - 1]);
        expect((await request(huge.port, '/health')).status).toBe(200);
      } finally {
        huge.kill();
        fs.rmSync(file, { force: true });
        fs.rmSync(huge.home, { recursive: true, force: true });
      }
    },
    240_000,
  );
});
