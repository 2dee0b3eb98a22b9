// Viewer page speed in headless Chromium (Debian's, via playwright-core) against the compiled binary and a
// 1 M-row CSV generated with DuckDB: navigation → first rows painted, sort click → repainted, scroll jump
// to the middle → rows painted (p50 of 10), and a scrollbar drag to the end (for the fetch debounce).
// Times are taken by the page's own clock (performance.now).
// Run: node bench/browser.bench.ts (BUCKAROO_DIST_DIR picks the build).

import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { killStarted, startServer } from '../test/helpers/binary.ts';
import { launchChromium, loadFile, openViewLink } from '../test/helpers/browser.ts';
import { benchHome, BINARY, ms, percentile, printTable } from './lib.ts';

const ROWS = 1_000_000;
const SAMPLES = 10;
/** Each drag takes a second or two of frames; a few are enough to see the settle time. */
const DRAG_SAMPLES = 3;
const GOAL = '≤ 300 ms';
/** One wait for anything the page must paint; far above the goal so a slow run reports instead of hanging. */
const PAINT_TIMEOUT_MS = 20_000;

async function writeData(file: string): Promise<void> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  // `value` is a scrambled float so asc, desc and file order all start with different rows.
  await conn.run(
    `copy (select i, 'row-' || i as label, (((i + 12345) * 7919) % 1000003) / 7.0 as value, (['Paris','Berlin','Lagos','Lima'])[1 + i % 4] as city,
            i % 97 as bucket, date '2020-01-01' + (i % 1000)::int as day from range(${ROWS}) t(i))
     to '${file.replaceAll("'", "''")}' (header, delimiter ',')`,
  );
  conn.closeSync();
  db.closeSync();
}

async function scrollToTop(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const all = [...document.querySelectorAll<HTMLElement>('#bt-grid *')];
    const scroller = all.reduce((best, el) => (el.scrollHeight - el.clientHeight > best.scrollHeight - best.clientHeight ? el : best));
    scroller.scrollTop = 0;
    await new Promise((r) => setTimeout(r, 300));
  });
}

async function main(): Promise<void> {
  if (!fs.existsSync(BINARY)) throw new Error(`${BINARY} is missing: build first (make build)`);
  const home = benchHome();
  const csv = path.join(home, 'million.csv');
  await writeData(csv);
  const server = await startServer({ home });
  const session = 'bench-browser-1';
  const loaded = await loadFile(home, server.port, csv, session);
  const url = `http://127.0.0.1:${server.port}/s/${session}`;
  const browser = await launchChromium();
  try {
    // Warm-up: the first visit fetches the script (then cached for a year) and lets the server compute stats;
    // it opens the single-use link, so later visits use the plain URL with the cookie, as a person's would.
    const warm = await browser.context.newPage();
    await openViewLink(warm, String(loaded.url));
    await warm.waitForSelector('#bt-grid .ag-row[row-index="0"] .ag-cell[col-id="c0"]:not(:empty)', { timeout: PAINT_TIMEOUT_MS });
    await warm.close();

    const nav: number[] = [];
    /** Where navigation time goes, by the page's performance marks (ms from navigation start). */
    const phases: Record<string, number[]> = {};
    for (let k = 0; k < SAMPLES; k++) {
      const page = await browser.context.newPage();
      await page.goto(url, { waitUntil: 'commit' });
      const t = await page.evaluate(
        (timeout) =>
          new Promise<number>((resolve, reject) => {
            const end = performance.now() + timeout;
            const check = (): void => {
              const cell = document.querySelector('#bt-grid .ag-row[row-index="0"] .ag-cell[col-id="c0"]');
              if (cell?.textContent?.trim() === '0') return resolve(performance.now()); // ms since navigation start
              if (performance.now() > end) return reject(new Error('first rows never painted'));
              requestAnimationFrame(check);
            };
            check();
          }),
        PAINT_TIMEOUT_MS,
      );
      nav.push(t);
      const marks = await page.evaluate(() => {
        const at = (name: string): number => performance.getEntriesByName(name)[0]?.startTime ?? NaN;
        const navEntry = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
        return { script: navEntry?.domContentLoadedEventEnd ?? NaN, meta: at('bt-meta'), grid: at('bt-grid-created'), window: at('bt-first-window') };
      });
      for (const [k2, v] of Object.entries(marks)) (phases[k2] ??= []).push(v);
      await page.close();
    }

    const page = await browser.context.newPage();
    await page.goto(url);
    await page.waitForSelector('#bt-grid .ag-row[row-index="0"] .ag-cell[col-id="c0"]:not(:empty)', { timeout: PAINT_TIMEOUT_MS });

    // Sort: click the `value` header (asc → desc → original …); each click changes the first row.
    const sort: number[] = [];
    const header = page.locator('#bt-grid .ag-header-cell[col-id="c2"] .ag-header-cell-label');
    for (let k = 0; k < SAMPLES; k++) {
      // The click is a real mouse click (AG Grid ignores synthetic ones); its event timestamp starts the clock.
      const done = page.evaluate(
        (timeout) =>
          new Promise<number>((resolve, reject) => {
            const first = (): string | undefined => document.querySelector('#bt-grid .ag-row[row-index="0"] .ag-cell[col-id="c0"]')?.textContent?.trim();
            const before = first();
            document.addEventListener(
              'pointerdown',
              (e) => {
                const t0 = e.timeStamp;
                const check = (): void => {
                  const now = first();
                  if (now && now !== before) return resolve(performance.now() - t0);
                  if (performance.now() - t0 > timeout) return reject(new Error('sort never repainted'));
                  requestAnimationFrame(check);
                };
                requestAnimationFrame(check);
              },
              { once: true, capture: true },
            );
          }),
        PAINT_TIMEOUT_MS,
      );
      await header.click();
      sort.push(await done);
    }

    // Scroll: jump from wherever we are to near the middle (a different window each time, so never cached).
    const scroll: number[] = [];
    for (let k = 0; k < SAMPLES; k++) {
      const fraction = 0.45 + k * 0.01;
      scroll.push(
        await page.evaluate(
          ([f, rows, timeout]) =>
            new Promise<number>((resolve, reject) => {
              const all = [...document.querySelectorAll<HTMLElement>('#bt-grid *')];
              const scroller = all.reduce((best, el) => (el.scrollHeight - el.clientHeight > best.scrollHeight - best.clientHeight ? el : best));
              const target = Math.round(f * rows);
              const t0 = performance.now();
              scroller.scrollTop = f * (scroller.scrollHeight - scroller.clientHeight);
              const check = (): void => {
                const dataRows = [...document.querySelectorAll('#bt-grid .ag-grid-scrolling-rows .ag-row')];
                const texts = dataRows.map((r) => r.querySelector('.ag-cell[col-id="c0"]')?.textContent?.trim() ?? '');
                const near = dataRows.some((r) => Math.abs(Number(r.getAttribute('row-index')) - target) < 200);
                if (near && texts.length > 0 && texts.every((t) => /^\d+$/.test(t))) return resolve(performance.now() - t0);
                if (performance.now() - t0 > timeout) return reject(new Error('scrolled rows never painted'));
                requestAnimationFrame(check);
              };
              requestAnimationFrame(check);
            }),
          [fraction, ROWS, PAINT_TIMEOUT_MS] as const,
        ),
      );
    }
    // Drag: the scrollbar from the top to the end over 60 frames; the figure is the settle time after the last frame.
    const drag: number[] = [];
    let dragRequests = 0;
    page.on('request', (r) => {
      if (r.url().includes('/rows?')) dragRequests++;
    });
    for (let k = 0; k < DRAG_SAMPLES; k++) {
      await scrollToTop(page);
      drag.push(
        await page.evaluate(async ([timeout, rowsTotal]) => {
          const all = [...document.querySelectorAll<HTMLElement>('#bt-grid *')];
          const scroller = all.reduce((best, el) => (el.scrollHeight - el.clientHeight > best.scrollHeight - best.clientHeight ? el : best));
          for (let i = 1; i <= 60; i++) {
            scroller.scrollTop = (i / 60) * (scroller.scrollHeight - scroller.clientHeight);
            await new Promise((r) => requestAnimationFrame(r));
          }
          const t0 = performance.now();
          return new Promise<number>((resolve, reject) => {
            const check = (): void => {
              const rows = [...document.querySelectorAll('#bt-grid .ag-grid-scrolling-rows .ag-row')];
              const done = rows.some((r) => r.getAttribute('row-index') === String(rowsTotal - 1)) && rows.every((r) => r.querySelector('.ag-cell[col-id="c0"]')?.textContent?.trim());
              if (done) return resolve(performance.now() - t0);
              if (performance.now() - t0 > timeout) return reject(new Error('drag never settled'));
              requestAnimationFrame(check);
            };
            check();
          });
        }, [PAINT_TIMEOUT_MS, ROWS] as const),
      );
    }
    await page.close();

    const row = (figure: string, samples: number[], note: string) => ({
      figure,
      median: ms(percentile(samples, 50)),
      p90: ms(percentile(samples, 90)),
      goal: GOAL,
      note: `${note}; max ${ms(Math.max(...samples))}`,
    });
    printTable(`Viewer page in headless Chromium (${ROWS.toLocaleString('en-US')} rows × 6 columns, p50 of ${SAMPLES})`, [
      row('navigation → first rows painted', nav, 'fresh tab, script cached; page clock from navigation start'),
      row('sort click → repainted', sort, 'float column, asc → desc → original cycle; first asc/desc build the cached order'),
      row('scroll jump to the middle → rows painted', scroll, 'a different uncached window near 50 % each time'),
      {
        figure: 'scrollbar drag to the end (60 frames) → last rows painted',
        median: ms(percentile(drag, 50)),
        p90: ms(percentile(drag, 90)),
        goal: '',
        note: `settle time after the last frame, p50 of ${DRAG_SAMPLES}; ${Math.round(dragRequests / DRAG_SAMPLES)} row requests per drag`,
      },
    ]);
    const p50 = (name: string): string => ms(percentile(phases[name] ?? [], 50));
    console.log(
      `\nNavigation breakdown (p50, ms from navigation start): script run ${p50('script')}, meta read ${p50('meta')}, ` +
        `grid created ${p50('grid')}, first window in ${p50('window')}, first rows painted ${ms(percentile(nav, 50))}.`,
    );
  } finally {
    await browser.close();
    killStarted();
    fs.rmSync(home, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(`browser bench failed: ${(err as Error).stack ?? String(err)}`);
  killStarted();
  process.exit(1);
});
