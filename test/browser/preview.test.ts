// Preview first (#18), in a real browser against the compiled binary: the tab opens as a big CSV's load starts
// (a stand-in OS opener hands us its link), shows the file's first rows labelled as a preview in its HTML before
// its script runs, then in the grid with the load's progress, and switches to the full table in place; another tab keeps scrolling and sorting its own dataset
// meanwhile; a load that fails after the tab opened shows its failure there.

import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killStarted, startServer, tempHome, type StartedServer } from '../helpers/binary.ts';
import { launchChromium, openViewLink, SCREENSHOT_DIR, writeBigCsv, type LaunchedBrowser } from '../helpers/browser.ts';

/** Big enough that its full load takes seconds here (~150 MB); its preview takes milliseconds. */
const BIG_ROWS = 4_000_000;
/** The other tab's dataset: enough rows to scroll. */
const OTHER_ROWS = 100_000;
/** Writing the files and loading 4 M rows on a busy 2-core machine. */
const CASE_TIMEOUT_MS = 240_000;
/** A cold page, or a window of rows, on a busy machine. */
const PAINT_TIMEOUT_MS = 20_000;
/** The full load of BIG_ROWS rows on a busy machine. */
const FULL_LOAD_TIMEOUT_MS = 180_000;

const poll = <T>(fn: () => T | Promise<T>, timeout = PAINT_TIMEOUT_MS) => expect.poll(fn, { timeout, interval: 50 });

let server: StartedServer;
let browser: LaunchedBrowser;
let dir: string;
let openedLog: string;
let token: string;

beforeAll(async () => {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  dir = tempHome('bt-preview-data-');
  // A stand-in `xdg-open` first on PATH records what the server asks it to open: no real browser starts.
  const bin = tempHome('bt-preview-opener-');
  openedLog = path.join(bin, 'opened.txt');
  fs.writeFileSync(path.join(bin, 'xdg-open'), `#!/bin/sh\necho "$1" >> '${openedLog}'\n`, { mode: 0o755 });
  await Promise.all([writeBigCsv(path.join(dir, 'big.csv'), BIG_ROWS), writeBigCsv(path.join(dir, 'other.csv'), OTHER_ROWS)]);
  server = await startServer({ env: { BUCKAROO_NO_BROWSER: '0', PATH: `${bin}:/usr/bin:/bin` } });
  token = (JSON.parse(fs.readFileSync(path.join(server.home, 'run', `server-${server.port}.json`), 'utf8')) as { token: string }).token;
  browser = await launchChromium();
}, CASE_TIMEOUT_MS);

afterAll(async () => {
  await browser?.close();
  await server?.killAndWait();
  killStarted();
});

/** Starts a load without waiting for it; `settled()` tells whether /load has answered. */
function startLoad(file: string, session: string): { answer: Promise<Record<string, unknown>>; settled: () => boolean } {
  let settled = false;
  const answer = fetch(`http://127.0.0.1:${server.port}/load`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ path: file, session }),
    signal: AbortSignal.timeout(FULL_LOAD_TIMEOUT_MS),
  })
    .then(async (r) => ({ status: r.status, ...((await r.json()) as Record<string, unknown>) }))
    .finally(() => (settled = true));
  return { answer, settled: () => settled };
}

/** The link the opener was handed for `session` (it gets a private file that forwards to the page). */
async function openedLink(session: string): Promise<string> {
  let link = '';
  await poll(() => {
    const files = fs.existsSync(openedLog) ? fs.readFileSync(openedLog, 'utf8').trim().split('\n') : [];
    for (const f of files) {
      const m = /url=(http:\/\/[^"]+)"/.exec(fs.readFileSync(new URL(f), 'utf8'));
      if (m?.[1]?.includes(`/s/${session}?`)) link = m[1].replaceAll('&amp;', '&');
    }
    return link;
  }).not.toBe('');
  return link;
}

async function cellText(page: Page, row: number, col: string): Promise<string> {
  const h = await page.waitForFunction(
    ([r, c]) => document.querySelector(`#bt-grid .ag-row[row-index="${r}"] .ag-cell[col-id="${c}"]`)?.textContent?.trim() || false,
    [row, col] as const,
    { timeout: PAINT_TIMEOUT_MS },
  );
  return String(await h.jsonValue());
}

/** The index of the data row just under the pinned stats rows: the first one the person sees. */
function topRow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const pinned = document.querySelector('#bt-grid .ag-row[row-index="t-1"]:not(.ag-row-pinned-left) .ag-cell[col-id="c1"]') ?? document.querySelector('#bt-grid .ag-row[row-index="t-1"]');
    const grid = document.getElementById('bt-grid')!.getBoundingClientRect();
    const y = pinned!.getBoundingClientRect().bottom + 4;
    const row = document.elementFromPoint(grid.left + grid.width / 2, y)?.closest('.ag-row');
    return Number(row?.getAttribute('row-index') ?? NaN);
  });
}

/** Scrolls the grid's scroller so that about `fraction` of it is above the view. */
async function scrollGrid(page: Page, fraction: number): Promise<void> {
  await page.evaluate((f) => {
    const all = [...document.querySelectorAll<HTMLElement>('#bt-grid *')];
    const scroller = all.reduce((best, el) => (el.scrollHeight - el.clientHeight > best.scrollHeight - best.clientHeight ? el : best));
    scroller.scrollTop = (scroller.scrollHeight - scroller.clientHeight) * f;
  }, fraction);
}

describe('preview first', () => {
  it('opens the tab at load start, shows the preview, then the full table in place, while another tab stays live', async () => {
    // The other tab: a dataset loaded and shown before the big load starts.
    const other = startLoad(path.join(dir, 'other.csv'), 'preview-other-1');
    expect((await other.answer).browser_action).toBe('opened');
    const otherPage = await browser.context.newPage();
    await openViewLink(otherPage, await openedLink('preview-other-1'));
    expect(await cellText(otherPage, 0, 'c1')).toBe('row-0');

    const big = startLoad(path.join(dir, 'big.csv'), 'preview-big-1');
    const page = await browser.context.newPage();
    const link = await openedLink('preview-big-1');
    // The page's script is held back: what shows first is the page's HTML alone, which carries the first rows.
    let releaseScript!: () => void;
    const scriptHeld = new Promise<void>((r) => (releaseScript = r));
    await page.route(/\/assets\/viewer-[^/]+\.js$/, async (route) => {
      await scriptHeld;
      await route.continue();
    });
    await page.goto(link); // opened while the load runs; the link's hand-over page moves on to the table's
    await page.waitForURL(link.replace(/\?.*$/, ''), { waitUntil: 'commit' });
    const html = page.locator('#bt-html-preview');
    await poll(() => html.locator('tbody tr:first-child td:nth-of-type(2)').textContent()).toBe('row-0');
    expect(await html.locator('.bt-preview-text').innerText()).toBe('Preview: first 200 rows — loading…');
    expect(await html.locator('.bt-preview-waits').innerText()).toBe('Sorting, search and stats wait for the full load.');
    expect(await html.locator('.bt-counts').innerText()).toBe('200 preview rows × 4 columns');
    expect(await html.locator('tbody tr').count()).toBe(200);
    expect(await html.locator('tbody tr:nth-child(200) td:nth-of-type(2)').textContent()).toBe('row-199');
    expect(await page.locator('#bt-grid').count(), 'no script has run').toBe(0);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'viewer-preview-html.png') });
    expect(big.settled(), 'the HTML preview showed before /load answered').toBe(false);
    releaseScript();
    await page.waitForLoadState('load');

    await page.evaluate(() => ((window as unknown as { btMarker: number }).btMarker = 7));
    // The file's first rows, labelled, before the load completes.
    await poll(() => page.evaluate(() => document.body.dataset.preview)).toBe('on');
    expect(await cellText(page, 0, 'c1')).toBe('row-0');
    // The grid took the HTML's rows over (its JSON copy: no second /preview) and the HTML went once it had painted.
    await poll(() => html.count()).toBe(0);
    expect(await page.evaluate(() => performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/preview')).length)).toBe(0);
    expect(await page.locator('#bt-preview').innerText()).toContain('Preview: first 200 rows — loading');
    expect(await page.locator('#bt-preview').innerText()).toContain('Sorting, search and stats wait for the full load.');
    expect(await page.locator('#bt-search').isDisabled()).toBe(true);
    expect(await page.locator('#bt-summary-toggle').isDisabled()).toBe(true);
    expect(await page.locator('#bt-counts').innerText()).toBe('200 preview rows × 4 columns');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'viewer-preview.png') });
    expect(big.settled(), 'the preview showed before /load answered').toBe(false);
    // A header click does not sort a preview.
    await page.locator('#bt-grid .ag-header-cell[col-id="c2"] .ag-header-cell-label').click();
    expect(await cellText(page, 0, 'c1')).toBe('row-0');

    // Meanwhile the other tab sorts and scrolls its own dataset on the server.
    await otherPage.locator('#bt-grid .ag-header-cell[col-id="c2"] .ag-header-cell-label').click();
    await otherPage.locator('#bt-grid .ag-header-cell[col-id="c2"] .ag-header-cell-label').click(); // descending
    await poll(() => cellText(otherPage, 0, 'c1')).toBe(`row-${OTHER_ROWS - 1}`);
    await scrollGrid(otherPage, 1);
    expect(await cellText(otherPage, OTHER_ROWS - 1, 'c1')).toBe('row-0');
    expect(big.settled(), 'the other tab answered while the big load ran').toBe(false);

    // The person scrolls the preview; the full table comes in where they are.
    await scrollGrid(page, 0.5);
    await poll(() => topRow(page)).toBeGreaterThan(20);
    const top = await topRow(page);
    expect(big.settled(), 'scrolled the preview before the load completed').toBe(false);
    const answer = await big.answer;
    expect(answer.status).toBe(200);
    expect(answer.rows).toBe(BIG_ROWS);
    expect(answer.browser_action).toBe('opened');
    await poll(() => page.evaluate(() => document.body.dataset.preview), FULL_LOAD_TIMEOUT_MS).toBe('off');
    await poll(() => page.locator('#bt-counts').innerText()).toBe('4,000,000 rows × 4 columns');
    expect(await cellText(page, top, 'c1')).toBe(`row-${top}`);
    // The view goes back to that row once the full table's window holding it is in.
    await poll(async () => Math.abs((await topRow(page)) - top)).toBeLessThanOrEqual(1);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'viewer-preview-full.png') });
    expect(await page.evaluate(() => (window as unknown as { btMarker?: number }).btMarker)).toBe(7); // same page, in place
    expect(await page.locator('#bt-search').isDisabled()).toBe(false);
    expect(await page.locator('#bt-summary-toggle').isDisabled()).toBe(false);
    await page.close();
    await otherPage.close();
  }, CASE_TIMEOUT_MS);

  it('shows the failure in the tab it opened when the load fails after its start', async () => {
    // Rows that parse, then a line with an extra field at the end: the load fails once it gets there.
    const broken = path.join(dir, 'broken.csv');
    fs.copyFileSync(path.join(dir, 'other.csv'), broken);
    fs.appendFileSync(broken, '1,row-x,2,Paris,extra,fields\n');
    const load = startLoad(broken, 'preview-broken-1');
    const page = await browser.context.newPage();
    await openViewLink(page, await openedLink('preview-broken-1'));
    const answer = await load.answer;
    expect(answer.status).toBeGreaterThanOrEqual(400);
    await poll(() => page.evaluate(() => document.body.dataset.state)).toBe('error');
    expect(await page.locator('#bt-html-preview').count(), 'the HTML preview gives way to the failure').toBe(0);
    expect(await page.locator('#bt-state').innerText()).toContain(String(answer.message).slice(0, 40));
    expect(await page.evaluate(() => document.body.dataset.preview ?? 'off')).toBe('off');
    await page.close();
  }, CASE_TIMEOUT_MS);
});
