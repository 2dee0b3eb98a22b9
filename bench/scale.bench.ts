// Issue 18's scale figures: for CSVs of 1 M, 5 M and 20 M rows (generated here by DuckDB), what a person and the
// agent wait for, against DuckDB's own CTAS + SUMMARIZE on the same file in this process, in the same run:
// - first preview rows painted in a real page (Chromium, running) opened as /load starts (goal ≤ 1 s, flat across
//   sizes): the HTML's preview table or the grid, whichever shows first; then the grid,
// - the full table in that page, and /load's answer with the agent's summary (goal ≤ 1.0× DuckDB),
// - the server's peak RSS, a sorted 100-row window at the middle (p50 ≤ 15 ms),
// - /health p99 (< 10 ms) and another session's 100-row window p99 (< 50 ms) while the load runs.
// BENCH_SCALE_ROWS=1M,5M picks the sizes (default 1M,5M,20M): 20 M rows is ~1.3 GB of CSV.
// Run: node bench/scale.bench.ts (BUCKAROO_DIST_DIR picks the build); alone on a quiet machine for real figures.

import { DuckDBInstance } from '@duckdb/node-api';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { startServer, type StartedServer } from '../test/helpers/binary.ts';
import { grantBrowser, launchChromium, type LaunchedBrowser } from '../test/helpers/browser.ts';
import { writeSyntheticCsv } from '../test/helpers/datasets.ts';
import { benchHome, BINARY, jsonRequest, ms, percentile, ROOT, timed, type JsonReply } from './lib.ts';

const SIZES = (process.env.BENCH_SCALE_ROWS ?? '1M,5M,20M').split(',').map((s) => Math.round(Number.parseFloat(s) * (/m$/i.test(s.trim()) ? 1e6 : 1)));
/** What the leading columns' summary covers in view_data (MAX_LISTED_COLUMNS): all 6 columns here. */
const SUMMARY_COLUMNS = 50;
const WINDOW = 100;
const SORTED_WINDOWS = 20;
/** Pauses between probes while a load runs: frequent enough for a p99 over a few seconds of load. */
const HEALTH_EVERY_MS = 5;
const OTHER_WINDOW_EVERY_MS = 10;
/** How often this bench asks /preview while the first pass loads (its answer time is the server's share). */
const PREVIEW_POLL_MS = 25;
/** How often the page's opening waits for meta to say the load has started. */
const LOAD_STARTED_POLL_MS = 5;
/** 20 M rows on a busy 2-core machine: minutes, not hours. */
const LOAD_TIMEOUT_MS = 30 * 60_000;
const PAINT_TIMEOUT_MS = LOAD_TIMEOUT_MS;

/** As ensureServer starts a server; the thread and priority settings pass through (e.g. BUCKAROO_DUCKDB_NICE=0). */
const SERVER_ENV: Record<string, string> = {
  MALLOC_ARENA_MAX: '2',
  ...Object.fromEntries(['BUCKAROO_DUCKDB_THREADS', 'BUCKAROO_DUCKDB_NICE', 'UV_THREADPOOL_SIZE'].flatMap((k) => (process.env[k] ? [[k, process.env[k]!]] : []))),
};

interface Figures {
  rows: number;
  mb: number;
  previewMs: number;
  /** /preview's first 200-row answer over HTTP, polled from here: the server's share of previewMs. */
  previewApiMs: number;
  /** The grid (the page's script has run) shows the preview's rows, or the table's. */
  gridMs: number;
  fullTableMs: number;
  summaryMs: number;
  directMs: number;
  directLoadMs: number;
  peakRssMiB: number;
  firstSortedMs: number;
  sortedP50: number;
  healthP99: number;
  healthP50: number;
  healthN: number;
  otherP99: number;
  otherP50: number;
  otherN: number;
  load: string;
}

const get = (port: number, pathname: string, token: string, body?: unknown): Promise<JsonReply> => jsonRequest(port, pathname, { token, body, timeoutMs: LOAD_TIMEOUT_MS });

/** Probes `fn` every `everyMs` until `busy()` is false; the times taken while it was still busy. */
async function probeWhile(busy: () => boolean, everyMs: number, fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  while (busy()) {
    const [t] = await timed(fn);
    if (busy()) out.push(t);
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return out;
}

const peakRssMiB = (pid: number): number => Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const loadAvg = (): string => os.loadavg().map((l) => l.toFixed(1)).join(' ');

/** DuckDB alone: the file into a table, then SUMMARIZE (what the agent's summary is measured against). */
async function direct(csv: string): Promise<{ loadMs: number; totalMs: number }> {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  const [loadMs] = await timed(() => c.run(`create table t as select * from read_csv('${csv.replaceAll("'", "''")}')`));
  const [sumMs] = await timed(() => c.runAndReadAll('summarize t'));
  c.closeSync();
  db.closeSync();
  return { loadMs, totalMs: loadMs + sumMs };
}

async function serverFigures(browser: LaunchedBrowser, csv: string, rows: number): Promise<Omit<Figures, 'rows' | 'mb' | 'directMs' | 'directLoadMs' | 'load'>> {
  const server: StartedServer = await startServer({ env: SERVER_ENV });
  try {
    const { token } = JSON.parse(fs.readFileSync(path.join(server.home, 'run', `server-${server.port}.json`), 'utf8')) as { token: string };
    await grantBrowser(browser.context, server.home, server.port, path.join(ROOT, 'samples', 'penguins.csv'));
    await get(server.port, '/load', token, { path: path.join(ROOT, 'samples', 'penguins.csv'), session: 'scale-other', no_browser: true });
    const page: Page = await browser.context.newPage();
    const session = `scale-${rows}`;
    // Pass 1, what the person and the agent see: the page and /load alone (probing the server hundreds of times a
    // second would put the probes' own cost into these figures).
    let loading = true;
    const t0 = performance.now();
    const load = timed(() => get(server.port, '/load', token, { path: csv, session, no_browser: true, summary_columns: SUMMARY_COLUMNS })).finally(() => (loading = false));
    // The page opens once the load has started, as the tab the server opens then would (the browser is running).
    const painted = (async () => {
      while (loading && (await get(server.port, `/api/sessions/${session}/meta`, token)).body?.status !== 'loading') await new Promise((r) => setTimeout(r, LOAD_STARTED_POLL_MS));
      await page.goto(`http://127.0.0.1:${server.port}/s/${session}`, { waitUntil: 'commit' });
      // Rows a person can read: the first data row's text on screen, in the HTML's preview or in the grid.
      await page.waitForFunction(
        () => {
          const cell = document.querySelector('#bt-html-preview tbody td') ?? document.querySelector('#bt-grid .ag-row[row-index="0"] .ag-cell[col-id="c0"]');
          return !!cell?.textContent?.trim() && cell.getBoundingClientRect().height > 0;
        },
        undefined,
        { timeout: PAINT_TIMEOUT_MS, polling: 'raf' },
      );
      const previewMs = performance.now() - t0;
      // The grid's own preview (the page's script has run; it takes the HTML's rows over) or the full table.
      await page.waitForSelector('#bt-grid .ag-row[row-index="0"] .ag-cell[col-id="c0"]:not(:empty)', { timeout: PAINT_TIMEOUT_MS });
      const gridMs = performance.now() - t0;
      // The full table's first window from the server (a preview's rows are the page's own and set no mark).
      await page.waitForFunction(() => performance.getEntriesByName('bt-first-window').length > 0, undefined, { timeout: PAINT_TIMEOUT_MS, polling: 'raf' });
      return { previewMs, gridMs, fullTableMs: performance.now() - t0 };
    })();
    const previewApi = (async () => {
      while (loading) {
        const r = await get(server.port, `/api/sessions/${session}/preview`, token);
        if (r.status === 200) return performance.now() - t0;
        await new Promise((res) => setTimeout(res, PREVIEW_POLL_MS));
      }
      return NaN;
    })();
    const [summaryMs, answer] = await load;
    if (answer.status !== 200) throw new Error(`/load answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    const { previewMs, gridMs, fullTableMs } = await painted;
    const previewApiMs = await previewApi;
    await page.close();
    // Pass 2, the same load again in another session while /health and another session's windows are probed.
    let probing = true;
    const reload = get(server.port, '/load', token, { path: csv, session: `${session}-probed`, no_browser: true, summary_columns: SUMMARY_COLUMNS }).finally(() => (probing = false));
    const [health, other] = await Promise.all([
      probeWhile(() => probing, HEALTH_EVERY_MS, () => get(server.port, '/health', token)),
      probeWhile(() => probing, OTHER_WINDOW_EVERY_MS, () => get(server.port, `/api/sessions/scale-other/rows?offset=${Math.floor(Math.random() * 200)}&limit=${WINDOW}`, token)),
    ]);
    if ((await reload).status !== 200) throw new Error('the probed reload failed');
    await get(server.port, `/api/sessions/${session}/stats`, token); // the page's stats: done before windows are timed
    const mid = Math.floor(rows / 2);
    const [firstSortedMs] = await timed(() => get(server.port, `/api/sessions/${session}/rows?offset=${mid}&limit=${WINDOW}&sort=score&dir=asc`, token));
    const sorted: number[] = [];
    for (let i = 0; i < SORTED_WINDOWS; i++) {
      const off = mid + ((i * 7919) % 10_000) - 5_000;
      sorted.push((await timed(() => get(server.port, `/api/sessions/${session}/rows?offset=${off}&limit=${WINDOW}&sort=score&dir=asc`, token)))[0]);
    }
    return {
      previewMs,
      gridMs,
      previewApiMs,
      fullTableMs,
      summaryMs,
      peakRssMiB: peakRssMiB(server.pid),
      firstSortedMs,
      sortedP50: percentile(sorted, 50),
      healthP99: percentile(health, 99),
      healthP50: percentile(health, 50),
      healthN: health.length,
      otherP99: percentile(other, 99),
      otherP50: percentile(other, 50),
      otherN: other.length,
    };
  } finally {
    await server.killAndWait();
  }
}

function printScaleTable(all: Figures[]): void {
  const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}×`;
  console.log('\n### Scale (issue 18): preview first, full table, summary vs DuckDB CTAS + SUMMARIZE, while the load runs\n');
  console.log('| rows | CSV | first preview rows in page (≤ 1 s) / its /preview answer | grid shows rows | full table in page | agent summary (/load) | DuckDB CTAS + SUMMARIZE | ratio (≤ 1.0×) | peak RSS | sorted middle window first / p50 (≤ 15 ms) | /health p99 (< 10 ms) / p50 (probes) | other session window p99 (< 50 ms) / p50 (windows) | load avg |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const f of all) {
    console.log(
      `| ${(f.rows / 1e6).toFixed(0)} M | ${f.mb.toFixed(0)} MB | ${ms(f.previewMs)} / ${ms(f.previewApiMs)} | ${ms(f.gridMs)} | ${ms(f.fullTableMs)} | ${ms(f.summaryMs)} | ${ms(f.directMs)} (CTAS ${ms(f.directLoadMs)}) | ${ratio(f.summaryMs, f.directMs)} | ${f.peakRssMiB.toFixed(0)} MiB | ${ms(f.firstSortedMs)} / ${ms(f.sortedP50)} | ${ms(f.healthP99)} / ${ms(f.healthP50)} (${f.healthN}) | ${ms(f.otherP99)} / ${ms(f.otherP50)} (${f.otherN}) | ${f.load} |`,
    );
  }
}

async function main(): Promise<void> {
  if (!fs.existsSync(BINARY)) throw new Error(`${BINARY} is missing: build first (make build)`);
  const dir = benchHome();
  const browser = await launchChromium();
  const all: Figures[] = [];
  try {
    for (const rows of SIZES) {
      const csv = path.join(dir, `scale-${rows}.csv`);
      const gen = await DuckDBInstance.create(':memory:');
      const gc = await gen.connect();
      await writeSyntheticCsv(gc, csv, rows);
      gc.closeSync();
      gen.closeSync();
      const loadBefore = loadAvg();
      // DuckDB alone first, then the server, on the same file and the same machine.
      const d = await direct(csv);
      const s = await serverFigures(browser, csv, rows);
      all.push({ rows, mb: fs.statSync(csv).size / 1e6, directMs: d.totalMs, directLoadMs: d.loadMs, ...s, load: `${loadBefore} → ${loadAvg()}` });
      fs.rmSync(csv, { force: true });
      printScaleTable(all.slice(-1)); // each size as soon as it is measured: 20 M rows takes minutes
    }
  } finally {
    await browser.close();
  }
  printScaleTable(all);
}

await main();
