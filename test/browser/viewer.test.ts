// The viewer page in a real browser (Debian's Chromium via playwright-core) against the compiled binary:
// rows, stats rows, sort, search, Σ, a 1 M-row scroll, following the agent, and a server replacement.
// Screenshots of the main and summary views go to test-output/.

import fs from 'node:fs';
import path from 'node:path';
import type { Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { BINARY, killStarted, startServer, tempHome, testEnv, waitForExit, type StartedServer } from '../helpers/binary.ts';
import { ensureOldBinary, OLD_VERSION } from '../helpers/old-binary.ts';
import { grantBrowser, launchChromium, loadFile, openViewLink, SCREENSHOT_DIR, writeBigCsv, type LaunchedBrowser } from '../helpers/browser.ts';

const SMALL_CSV = `name,city,score,visits
delta,Paris,4.5,10
alpha,Berlin,1.5,20
charlie,paris,,30
bravo,Lima,2.5,40
echo,Lagos,3.5,
`;
const OTHER_CSV = `planet,moons
Mercury,0
Venus,0
Earth,1
Mars,2
`;
/** Long enough for a cold DuckDB start plus a first window on a busy 2-core machine. */
const PAINT_TIMEOUT_MS = 15_000;

/** expect.poll with room for a loaded machine (its default gives up after 1 s). */
const poll = <T>(fn: () => T | Promise<T>, opts: { timeout?: number } = {}) => expect.poll(fn, { timeout: PAINT_TIMEOUT_MS, interval: 50, ...opts });

let server: StartedServer;
let browser: LaunchedBrowser;
let dir: string;
let smallCsv: string;
let otherCsv: string;

const url = (session: string): string => `http://127.0.0.1:${server.port}/s/${session}`;

/** Text of the cell of `col` (header name) in the data row at `rowIndex`. */
async function cellText(page: Page, rowIndex: number, colId: string): Promise<string> {
  // A row appears first as an empty placeholder; its text comes with the server's window.
  const handle = await page.waitForFunction(
    ([r, c]) => {
      const cell = document.querySelector(`#bt-grid .ag-row[row-index="${r}"] .ag-cell[col-id="${c}"]`);
      return cell?.textContent?.trim() || false;
    },
    [rowIndex, colId] as const,
    { timeout: PAINT_TIMEOUT_MS },
  );
  return String(await handle.jsonValue()).trim();
}

async function firstColumnValues(page: Page, colId: string, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(await cellText(page, i, colId));
  return out;
}

/** The server's log lines so far (the test's home), for a failure's message. */
function readServerLog(): string[] {
  try {
    const dir = path.join(server.home, 'logs');
    return fs.readdirSync(dir).flatMap((f) => fs.readFileSync(path.join(dir, f), 'utf8').split('\n')).filter(Boolean);
  } catch {
    return [];
  }
}

async function waitForFirstRow(page: Page, expected: string, colId = 'c0'): Promise<void> {
  try {
    await page.waitForFunction(
      ([c, e]) => document.querySelector(`#bt-grid .ag-row[row-index="0"] .ag-cell[col-id="${c}"]`)?.textContent?.trim() === e,
      [colId, expected] as const,
      { timeout: PAINT_TIMEOUT_MS },
    );
  } catch (err) {
    // A rare failure under a loaded machine: say what the page showed instead, so the next one can be traced.
    const seen = await page
      .evaluate((c) => ({
        url: location.href,
        state: document.body.dataset.state,
        stream: document.body.dataset.stream,
        live: document.querySelector('.bt-live')?.getAttribute('data-live'),
        banner: document.querySelector('#bt-banner')?.textContent?.trim(),
        rows: document.querySelectorAll('#bt-grid .ag-row').length,
        first: document.querySelector(`#bt-grid .ag-row[row-index="0"] .ag-cell[col-id="${c}"]`)?.textContent?.trim(),
        file: document.title,
      }), colId)
      .catch((e: unknown) => ({ evaluate_failed: String(e) }));
    // The server's view of the pages' streams and loads: whether the page was subscribed when the news came.
    const serverLog = readServerLog()
      .filter((l) => /viewer|load|browser/.test(l))
      .slice(-12);
    // No `cause`: CI keeps only the tail of the output, and vitest prints a cause's details last.
    const why = (err as Error).message.split('\n')[0];
    throw new Error(`first row never showed ${JSON.stringify(expected)} (${why}); the page: ${JSON.stringify(seen)}; the server's log:\n${serverLog.join('\n')}`);
  }
}

/** The Σ grid as {stat label: {column id: text}}. */
async function summaryTable(page: Page): Promise<Record<string, Record<string, string>>> {
  return page.evaluate(() => {
    const out: Record<string, Record<string, string>> = {};
    for (const row of document.querySelectorAll('#bt-summary-grid .ag-row')) {
      const cells = [...row.querySelectorAll('.ag-cell')];
      const label = cells.find((c) => c.getAttribute('col-id') === '__stat')?.textContent?.trim();
      if (!label) continue;
      out[label] = Object.fromEntries(cells.map((c) => [c.getAttribute('col-id') ?? '', (c.textContent ?? '').trim()]));
    }
    return out;
  });
}

/** Moves the grid's vertical scroller (whichever element AG Grid scrolls) as a person dragging the scrollbar would. */
async function scrollGridTo(page: Page, where: 'end' | 'middle'): Promise<void> {
  await page.evaluate((w) => {
    const all = [...document.querySelectorAll<HTMLElement>('#bt-grid *')];
    const scroller = all.reduce((best, el) => (el.scrollHeight - el.clientHeight > best.scrollHeight - best.clientHeight ? el : best));
    scroller.scrollTop = w === 'end' ? scroller.scrollHeight : (scroller.scrollHeight - scroller.clientHeight) / 2;
  }, where);
}

let million: Promise<string> | undefined;
/** A 1 M-row CSV, written once per run by DuckDB. */
function millionCsv(): Promise<string> {
  const file = path.join(dir, 'million.csv');
  million ??= writeBigCsv(file, 1_000_000).then(() => file);
  return million;
}

beforeAll(async () => {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  dir = tempHome('bt-browser-data-');
  smallCsv = path.join(dir, 'small.csv');
  otherCsv = path.join(dir, 'planets.csv');
  fs.writeFileSync(smallCsv, SMALL_CSV);
  fs.writeFileSync(otherCsv, OTHER_CSV);
  server = await startServer();
  browser = await launchChromium();
  // As a person who once opened a table link: every session of this server then opens by its plain URL.
  await grantBrowser(browser.context, server.home, server.port, smallCsv);
});

afterAll(async () => {
  await browser?.close();
  killStarted();
});

describe('the viewer page', () => {
  it('renders rows with dtype and histogram rows pinned', async () => {
    const session = 'browser-rows-1';
    await loadFile(server.home, server.port, smallCsv, session);
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(url(session));
    await waitForFirstRow(page, 'delta');
    expect(await firstColumnValues(page, 'c0', 5)).toEqual(['delta', 'alpha', 'charlie', 'bravo', 'echo']);
    expect(await cellText(page, 2, 'c2')).toBe('null');
    expect(await page.title()).toBe('small.csv — buckaroo-table');
    await poll(() => page.locator('#bt-counts').innerText()).toBe('5 rows × 4 columns');
    // Pinned rows: the dtype per column and a histogram with one bar per bin/value.
    const pinned = page.locator('#bt-grid .ag-grid-pinned-top-rows');
    await poll(() => pinned.locator('.ag-row[row-index="t-0"] .ag-cell[col-id="c2"]').innerText()).toBe('DOUBLE');
    expect(await pinned.locator('.ag-row[row-index="t-0"] .ag-cell[col-id="c0"]').innerText()).toBe('VARCHAR');
    await poll(() => pinned.locator('.ag-row[row-index="t-1"] .ag-cell[col-id="c2"] .bt-bar').count()).toBeGreaterThanOrEqual(10);
    const cityBars = await pinned.locator('.ag-row[row-index="t-1"] .ag-cell[col-id="c1"] .bt-bar').evaluateAll((bars) => bars.map((b) => (b as HTMLElement).title));
    expect(cityBars).toContain('Berlin: 1 (20.0%)');
    expect(await page.locator('.bt-live').getAttribute('data-live')).toBe('up');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'viewer-main.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await poll(() => page.evaluate(() => document.body.dataset.agThemeMode)).toBe('dark');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'viewer-main-dark.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('sorts on the server, asc then desc then original', async () => {
    const session = 'browser-sort-1';
    await loadFile(server.home, server.port, smallCsv, session);
    const page = await browser.context.newPage();
    await page.goto(url(session));
    await waitForFirstRow(page, 'delta');
    const header = page.locator('#bt-grid .ag-header-cell[col-id="c2"] .ag-header-cell-label');
    await header.click();
    await waitForFirstRow(page, 'alpha');
    expect(await firstColumnValues(page, 'c0', 5)).toEqual(['alpha', 'bravo', 'echo', 'delta', 'charlie']); // nulls last
    await header.click();
    await waitForFirstRow(page, 'delta');
    expect(await firstColumnValues(page, 'c0', 5)).toEqual(['delta', 'echo', 'bravo', 'alpha', 'charlie']);
    await header.click();
    await waitForFirstRow(page, 'delta');
    expect(await firstColumnValues(page, 'c0', 5)).toEqual(['delta', 'alpha', 'charlie', 'bravo', 'echo']);
    await page.close();
  });

  it('copies the focused cell with Ctrl+C', async () => {
    const session = 'browser-copy-1';
    await loadFile(server.home, server.port, smallCsv, session);
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: `http://127.0.0.1:${server.port}` });
    const page = await browser.context.newPage();
    await page.goto(url(session));
    await waitForFirstRow(page, 'delta');
    await page.locator('#bt-grid .ag-row[row-index="1"] .ag-cell[col-id="c1"]').click();
    await page.keyboard.press('ArrowDown'); // keyboard navigation moves the focus to row 2
    await page.keyboard.press('Control+c');
    await poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('paris');
    expect(await page.locator('.bt-toast').innerText()).toBe('Copied paris');
    await page.close();
  });

  it('searches on the server and highlights matches', async () => {
    const session = 'browser-search-1';
    await loadFile(server.home, server.port, smallCsv, session);
    const page = await browser.context.newPage();
    await page.goto(url(session));
    await waitForFirstRow(page, 'delta');
    await page.locator('#bt-search').fill('PAR');
    await poll(() => page.locator('#bt-counts').innerText()).toBe('2 of 5 rows × 4 columns');
    await waitForFirstRow(page, 'delta');
    expect(await cellText(page, 1, 'c0')).toBe('charlie');
    expect(await page.locator('#bt-grid .ag-grid-scrolling-rows .ag-row').count()).toBe(2);
    const marks = await page.locator('#bt-grid .ag-grid-scrolling-rows mark').allInnerTexts();
    expect(marks.sort()).toEqual(['Par', 'par']);
    await page.locator('#bt-search').fill('');
    await poll(() => page.locator('#bt-counts').innerText()).toBe('5 rows × 4 columns');
    await page.close();
  });

  it('toggles the summary with the stats of every column', async () => {
    const session = 'browser-summary-1';
    await loadFile(server.home, server.port, smallCsv, session);
    const page = await browser.context.newPage();
    await page.goto(url(session));
    await waitForFirstRow(page, 'delta');
    await page.locator('#bt-summary-toggle').click();
    const summary = page.locator('#bt-summary-grid');
    await poll(() => summary.isVisible()).toBe(true);
    expect(await page.locator('#bt-grid').isVisible()).toBe(false);
    await poll(() => summaryTable(page).then((t) => Object.keys(t).length)).toBeGreaterThan(10);
    const table = await summaryTable(page);
    const statCell = (label: string, col: string): string | undefined => table[label]?.[col];
    // score: 4.5, 1.5, null, 2.5, 3.5 → 4 non-null, mean 3, median 3, min 1.5, max 4.5; visits has one null.
    expect(statCell('non-null', 'c2')).toBe('4');
    expect(statCell('nulls', 'c2')).toBe('1');
    expect(statCell('mean', 'c2')).toBe('3');
    expect(statCell('median', 'c2')).toBe('3');
    expect(statCell('min', 'c2')).toBe('1.5');
    expect(statCell('max', 'c2')).toBe('4.5');
    expect(statCell('distinct', 'c1')).toBe('5');
    expect(statCell('nulls', 'c3')).toBe('1');
    expect(statCell('dtype', 'c3')).toMatch(/INT/);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'viewer-summary.png') });
    await page.locator('#bt-summary-toggle').click();
    await poll(() => page.locator('#bt-grid').isVisible()).toBe(true);
    expect(await summary.isVisible()).toBe(false);
    await page.close();
  });

  it('scrolls to the last row of a million rows', async () => {
    const big = await millionCsv();
    const session = 'browser-million-1';
    const loaded = await loadFile(server.home, server.port, big, session);
    expect(loaded.rows).toBe(1_000_000);
    const page = await browser.context.newPage();
    await page.goto(url(session));
    await waitForFirstRow(page, '0');
    await poll(() => page.locator('#bt-counts').innerText()).toBe('1,000,000 rows × 4 columns');
    await scrollGridTo(page, 'end');
    expect(await cellText(page, 999_999, 'c1')).toBe('row-999999');
    expect(await cellText(page, 999_999, '__index')).toBe('999999');
    await page.waitForTimeout(1500);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'viewer-million-end.png') });
    await page.close();
  });

  it('scrolls to the last row of ten million rows in Parquet', async () => {
    // Its own server, stopped at the end, so the stats of 10 M rows do not slow the other tests.
    const file = path.join(dir, 'ten-million.parquet');
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    await conn.run(`copy (select i, 'row-' || i as label from range(10000000) t(i)) to '${file.replaceAll("'", "''")}' (format parquet)`);
    conn.closeSync();
    db.closeSync();
    const own = await startServer();
    const session = 'browser-ten-million-1';
    const loaded = await loadFile(own.home, own.port, file, session);
    expect(loaded.rows).toBe(10_000_000);
    const page = await browser.context.newPage();
    await openViewLink(page, String(loaded.url));
    await waitForFirstRow(page, '0');
    await poll(() => page.locator('#bt-counts').innerText()).toBe('10,000,000 rows × 2 columns');
    await scrollGridTo(page, 'end');
    expect(await cellText(page, 9_999_999, 'c1')).toBe('row-9999999');
    await page.close();
    own.kill('SIGKILL');
    fs.rmSync(file, { force: true });
  });

  it('shows progress in the open page while a big file loads', async () => {
    const big = await millionCsv();
    const session = 'browser-progress-1';
    await loadFile(server.home, server.port, smallCsv, session);
    const page = await browser.context.newPage();
    await page.goto(url(session));
    await waitForFirstRow(page, 'delta');
    const banners: string[] = [];
    await page.exposeFunction('btSawBanner', (t: string) => banners.push(t));
    await page.evaluate(() => {
      const el = document.getElementById('bt-banner')!;
      new MutationObserver(() => (window as unknown as { btSawBanner(t: string): void }).btSawBanner(el.textContent ?? '')).observe(el, { childList: true, characterData: true, subtree: true });
    });
    const res = await loadFile(server.home, server.port, big, session);
    expect(res.browser_action).toBe('refreshed');
    await waitForFirstRow(page, '0');
    expect(banners.some((b) => b.startsWith('Loading million.csv…'))).toBe(true);
    await poll(() => page.locator('#bt-banner').isVisible()).toBe(false);
    await page.close();
  });

  it('switches the open page in place when the agent loads again', async () => {
    const session = 'browser-follow-1';
    await loadFile(server.home, server.port, smallCsv, session);
    const page = await browser.context.newPage();
    await page.goto(url(session));
    await waitForFirstRow(page, 'delta');
    await page.evaluate(() => ((window as unknown as { btMarker: number }).btMarker = 42));
    const second = await loadFile(server.home, server.port, otherCsv, session);
    expect(second.browser_action).toBe('refreshed');
    await waitForFirstRow(page, 'Mercury');
    expect(await page.title()).toBe('planets.csv — buckaroo-table');
    await poll(() => page.locator('#bt-counts').innerText()).toBe('4 rows × 2 columns');
    expect(await page.evaluate(() => (window as unknown as { btMarker?: number }).btMarker)).toBe(42); // same page, no reload
    expect(browser.context.pages().filter((p) => p.url().endsWith(`/s/${session}`)).length).toBe(1);
    await page.close();
  });

  it("keeps the table and says why when the agent's next load fails", async () => {
    const session = 'browser-failed-1';
    await loadFile(server.home, server.port, smallCsv, session);
    const page = await browser.context.newPage();
    await page.goto(url(session));
    await waitForFirstRow(page, 'delta');
    await expect(loadFile(server.home, server.port, path.join(dir, 'missing.csv'), session)).rejects.toThrow(/404/);
    await poll(() => page.locator('#bt-banner').innerText()).toContain('Could not load missing.csv: File not found');
    expect(await page.locator('#bt-banner').getAttribute('data-tone')).toBe('error');
    expect(await cellText(page, 0, 'c0')).toBe('delta');
    expect(await page.evaluate(() => document.body.dataset.state)).toBe('ready');
    await page.close();
  });

  it('follows two view_data calls from an MCP client in one tab', async () => {
    const client = new Client({ name: 'browser-test', version: '1.0.0' });
    await client.connect(new StdioClientTransport({ command: BINARY, args: ['mcp'], env: testEnv(server.home, { BUCKAROO_PORT: String(server.port) }), stderr: 'pipe' }));
    try {
      const first = (await client.callTool({ name: 'view_data', arguments: { path: smallCsv } })) as { structuredContent?: Record<string, unknown>; isError?: boolean };
      expect(first.isError ?? false).toBe(false);
      const viewUrl = String(first.structuredContent?.url);
      expect(viewUrl).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/s/`));
      expect(first.structuredContent?.browser_action).toBe('disabled'); // BUCKAROO_NO_BROWSER=1 in tests: no tab yet
      const page = await browser.context.newPage();
      await openViewLink(page, viewUrl);
      await waitForFirstRow(page, 'delta');
      const second = (await client.callTool({ name: 'view_data', arguments: { path: otherCsv } })) as { structuredContent?: Record<string, unknown> };
      expect(second.structuredContent?.browser_action).toBe('refreshed');
      // The same session's page, through a fresh single-use link.
      expect(new URL(String(second.structuredContent?.url)).pathname).toBe(new URL(viewUrl).pathname);
      expect(second.structuredContent?.url).not.toBe(viewUrl);
      await waitForFirstRow(page, 'Mercury');
      expect(await page.title()).toBe('planets.csv — buckaroo-table');
      await page.close();
    } finally {
      await client.close();
    }
  });

  it("keeps eight tabs live within the browser's six connections per host", async () => {
    // Each tab's own stream would hold one of the six HTTP/1.1 connections Chromium allows per host, and the
    // seventh tab would never load. The tabs share one stream instead.
    const pages: Page[] = [];
    for (let k = 0; k < 8; k++) {
      const session = `browser-tabs-${k % 7}`; // the eighth tab shows the first tab's session again
      await loadFile(server.home, server.port, smallCsv, session);
      const page = await browser.context.newPage();
      await page.goto(url(session));
      await waitForFirstRow(page, 'delta');
      pages.push(page);
    }
    for (const p of pages) await poll(() => p.locator('.bt-live').getAttribute('data-live')).toBe('up');
    for (const k of [0, 5]) {
      const res = await loadFile(server.home, server.port, otherCsv, `browser-tabs-${k}`);
      expect(res.browser_action).toBe('refreshed');
      await waitForFirstRow(pages[k]!, 'Mercury');
    }
    await waitForFirstRow(pages[7]!, 'Mercury'); // the second tab of browser-tabs-0
    // The newest visible tab holds the shared stream; it closes: another takes over and the rest still follow.
    await pages[7]!.close();
    await poll(async () => (await loadFile(server.home, server.port, smallCsv, 'browser-tabs-1')).browser_action).toBe('refreshed');
    await waitForFirstRow(pages[1]!, 'delta');
    expect((await loadFile(server.home, server.port, otherCsv, 'browser-tabs-6')).browser_action).toBe('refreshed');
    await waitForFirstRow(pages[6]!, 'Mercury');
    for (const p of pages.slice(0, 7)) await p.close();
  });

  it("follows the agent in a background tab through the visible tab's stream", async () => {
    await loadFile(server.home, server.port, smallCsv, 'browser-front-1');
    await loadFile(server.home, server.port, smallCsv, 'browser-back-1');
    const front = await browser.context.newPage();
    await front.goto(url('browser-front-1'));
    await waitForFirstRow(front, 'delta');
    // A tab opened in the background does not take the lead: it joins the visible tab's stream.
    const back = await browser.context.newPage();
    await back.addInitScript(() => {
      Object.defineProperty(document, 'hidden', { get: () => true });
      Object.defineProperty(document, 'visibilityState', { get: () => 'hidden' });
    });
    await back.goto(url('browser-back-1'));
    await waitForFirstRow(back, 'delta');
    expect(await back.evaluate(() => document.body.dataset.stream)).toBe('follower');
    expect(await front.evaluate(() => document.body.dataset.stream)).toBe('leader');
    await poll(() => back.locator('.bt-live').getAttribute('data-live')).toBe('up');
    await poll(async () => (await loadFile(server.home, server.port, otherCsv, 'browser-back-1')).browser_action).toBe('refreshed');
    await waitForFirstRow(back, 'Mercury');
    await back.close();
    await front.close();
  });

  it('shows waiting for data for a session with nothing loaded', async () => {
    const page = await browser.context.newPage();
    await page.goto(url('browser-empty-1'));
    await poll(() => page.evaluate(() => document.body.dataset.state)).toBe('waiting');
    expect(await page.locator('#bt-state').innerText()).toContain('ask your agent to call view_data');
    // Then the agent loads into that session: the page shows it without a reload.
    const res = await loadFile(server.home, server.port, otherCsv, 'browser-empty-1');
    expect(res.browser_action).toBe('refreshed');
    await waitForFirstRow(page, 'Mercury');
    await page.close();
  });

  /** An old-version server holding `session`, and a page that `prepare` may set up before it opens the session. */
  async function pageOnOldServer(session: string, prepare: (page: Page) => Promise<unknown> = async () => {}) {
    const home = tempHome();
    const first = await startServer({ home, binary: await ensureOldBinary() });
    const loaded = await loadFile(home, first.port, smallCsv, session);
    const page = await browser.context.newPage();
    await prepare(page);
    await openViewLink(page, String(loaded.url));
    await waitForFirstRow(page, 'delta');
    return { home, first, port: first.port, page };
  }

  it('shows the same table after the server is killed and replaced by a newer version', async () => {
    const { home, first, port, page } = await pageOnOldServer('browser-restart-1');
    first.kill('SIGKILL');
    await waitForExit(first.proc, 5_000);
    await poll(() => page.locator('.bt-live').getAttribute('data-live')).toBe('down');
    expect(await page.locator('#bt-banner').innerText()).toContain('reconnecting');
    const second = await startServer({ home, args: ['--port', String(port)] });
    const { version } = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as { version: string };
    await poll(() => page.locator('#bt-banner').innerText()).toBe(`Server restarted (${OLD_VERSION} → ${version})`);
    await waitForFirstRow(page, 'delta');
    expect(await cellText(page, 1, 'c0')).toBe('alpha');
    expect(await page.locator('.bt-live').getAttribute('data-live')).toBe('up');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'viewer-restarted.png') });
    second.kill('SIGTERM');
    await page.close();
  });

  it("tells of the restart even when the old server died before the page's stream opened", async () => {
    // On a busy machine the page can show its table (plain requests) before its live stream has been answered.
    // Hold the stream's request until the old server is gone, so the first greeting comes from the new one.
    const held: Route[] = [];
    let holding = true;
    const { home, first, port, page } = await pageOnOldServer('browser-restart-2', (p) =>
      p.route('**/api/**events*', (route) => (holding ? void held.push(route) : route.continue())),
    );
    await poll(() => held.length).toBeGreaterThan(0);
    first.kill('SIGKILL');
    await waitForExit(first.proc, 5_000);
    const second = await startServer({ home, args: ['--port', String(port)] });
    const { version } = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as { version: string };
    holding = false;
    for (const route of held) await route.abort('connectionrefused').catch(() => {}); // one the page closed is done
    await poll(() => page.locator('#bt-banner').innerText()).toBe(`Server restarted (${OLD_VERSION} → ${version})`);
    await waitForFirstRow(page, 'delta');
    expect(await page.locator('.bt-live').getAttribute('data-live')).toBe('up');
    second.kill('SIGTERM');
    await page.close();
  });
});
