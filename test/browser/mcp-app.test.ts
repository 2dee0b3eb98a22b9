// The table inside the chat, in a real host: ext-apps' AppBridge in Chromium loads the app resource read from
// the compiled binary into a sandboxed iframe (under a host's default CSP), feeds it real view_data, query_data
// and compare_data results and proxies its tool calls through a real SDK Client on the binary
// (test/helpers/app-host.ts). Rows, sort, search, theme, size, full screen, a query's SQL, a diff's changed
// cells, older instances keeping their data (or saying it is gone), and no network of its own.

import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import fs from 'node:fs';
import path from 'node:path';
import type { McpUiHostContext } from '@modelcontextprotocol/ext-apps';
import type { Frame } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAppHost, type AppHost } from '../helpers/app-host.ts';
import { BINARY, freePort, killStarted, stopStateServer, tempHome, testEnv } from '../helpers/binary.ts';
import { SCREENSHOT_DIR } from '../helpers/browser.ts';
import type { ToolResult } from '../helpers/mcp-client.ts';

const SMALL_CSV = `name,city,score,visits
delta,Paris,4.5,10
alpha,Berlin,1.5,20
charlie,paris,,30
bravo,Lima,2.5,40
echo,Lagos,3.5,
`;
const OTHER_CSV = 'planet,moons\nMercury,0\nVenus,0\nEarth,1\nMars,2\n';
/** small.csv with bravo's score changed, echo gone and foxtrot added. */
const SMALL2_CSV = 'name,city,score,visits\ndelta,Paris,4.5,10\nalpha,Berlin,1.5,20\ncharlie,paris,,30\nbravo,Lima,9.5,40\nfoxtrot,Oslo,1,1\n';
/** A cold DuckDB start plus the first window through host, MCP and data server, on a busy 2-core machine. */
const PAINT_TIMEOUT_MS = 20_000;
const HOST_CONTEXT: McpUiHostContext = { theme: 'light', displayMode: 'inline', availableDisplayModes: ['inline', 'fullscreen'], containerDimensions: { maxHeight: 800 } };

let home: string;
let port: number;
let client: Client;
let host: AppHost;
let html: string;
let dataDir: string;
const consoleErrors: string[] = [];

async function mount(id: string, file: string): Promise<{ frame: Frame; result: ToolResult }> {
  return mountCall(id, 'view_data', { path: file });
}

/** Calls a tool that shows data and mounts its result in a new app instance, as a host does. */
async function mountCall(id: string, tool: string, args: Record<string, unknown>): Promise<{ frame: Frame; result: ToolResult }> {
  const result = (await client.callTool({ name: tool, arguments: args })) as ToolResult;
  const frame = await host.mount(id, { html, input: args, result: result as never, hostContext: { ...HOST_CONTEXT } });
  return { frame, result };
}

async function cell(frame: Frame, row: number, col: string): Promise<string> {
  const h = await frame.waitForFunction(
    ([r, c]) => document.querySelector(`#bt-grid .ag-row[row-index="${r}"] .ag-cell[col-id="${c}"]`)?.textContent?.trim() || false,
    [row, col] as const,
    { timeout: PAINT_TIMEOUT_MS },
  );
  return String(await h.jsonValue());
}

async function waitForCell(frame: Frame, row: number, col: string, expected: string): Promise<void> {
  await frame.waitForFunction(
    ([r, c, e]) => document.querySelector(`#bt-grid .ag-row[row-index="${r}"] .ag-cell[col-id="${c}"]`)?.textContent?.trim() === e,
    [row, col, expected] as const,
    { timeout: PAINT_TIMEOUT_MS },
  );
}

const callsOf = (id: string, name: string) => host.toolCalls.filter((c) => c.instance === id && c.name === name);

beforeAll(async () => {
  home = tempHome();
  port = await freePort();
  dataDir = fs.mkdtempSync(path.join(home, 'data-'));
  fs.writeFileSync(path.join(dataDir, 'small.csv'), SMALL_CSV);
  fs.writeFileSync(path.join(dataDir, 'other.csv'), OTHER_CSV);
  fs.writeFileSync(path.join(dataDir, 'small2.csv'), SMALL2_CSV);
  client = new Client({ name: 'buckaroo-harness', version: '0.0.0' }, { capabilities: { extensions: { 'io.modelcontextprotocol/ui': { mimeTypes: ['text/html;profile=mcp-app'] } } } });
  await client.connect(new StdioClientTransport({ command: BINARY, args: ['mcp'], env: testEnv(home, { BUCKAROO_PORT: String(port) }), stderr: 'pipe', cwd: dataDir }));
  const read = await client.readResource({ uri: 'ui://buckaroo-table/viewer.html' });
  html = (read.contents[0] as { text: string }).text;
  host = await openAppHost(client);
  host.page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
});

afterAll(async () => {
  await host?.close();
  await client?.close();
  stopStateServer(home, port);
  killStarted();
});

describe('the viewer app in a host', () => {
  let a: Frame;
  let first: ToolResult;

  it('shows the rows of its view_data result, with the dtype and histogram rows, read through the app-only tools', async () => {
    ({ frame: a, result: first } = await mount('a', 'small.csv'));
    expect((first.structuredContent as { display: string }).display).toBe('app');
    expect(await cell(a, 0, 'c0')).toBe('delta');
    expect(await cell(a, 4, 'c1')).toBe('Lagos');
    await a.waitForSelector('.bt-stat-histogram .bt-spark', { timeout: PAINT_TIMEOUT_MS });
    expect(await a.textContent('.bt-file')).toBe('small.csv');
    expect(callsOf('a', 'viewer_meta').length).toBeGreaterThan(0);
    expect(callsOf('a', 'viewer_rows')[0]!.arguments).toMatchObject({ session: (first.structuredContent as { session: string }).session, offset: 0 });
    expect(callsOf('a', 'viewer_stats').length).toBeGreaterThan(0);
  });

  it('asks the host for an inline height that fits the table, within the container', async () => {
    const log = await host.log('a');
    const last = log.sizes.at(-1);
    expect(last?.height).toBeGreaterThanOrEqual(200);
    expect(last?.height).toBeLessThanOrEqual(520);
  });

  it('sorts through viewer_rows with the column and direction', async () => {
    await a.click('.ag-header-cell[col-id="c0"] .ag-header-cell-label');
    await waitForCell(a, 0, 'c0', 'alpha');
    expect(callsOf('a', 'viewer_rows').some((c) => c.arguments.sort === 'name' && c.arguments.dir === 'asc')).toBe(true);
    await a.click('.ag-header-cell[col-id="c0"] .ag-header-cell-label');
    await waitForCell(a, 0, 'c0', 'echo');
    await a.click('.ag-header-cell[col-id="c0"] .ag-header-cell-label');
    await waitForCell(a, 0, 'c0', 'delta');
  });

  it('searches through viewer_rows and shows the filtered count', async () => {
    await a.fill('#bt-search', 'paris');
    await a.waitForFunction(() => document.querySelector('#bt-counts')?.textContent === '2 of 5 rows × 4 columns', undefined, { timeout: PAINT_TIMEOUT_MS });
    expect(callsOf('a', 'viewer_rows').some((c) => c.arguments.search === 'paris')).toBe(true);
    await a.fill('#bt-search', '');
    await a.waitForFunction(() => document.querySelector('#bt-counts')?.textContent === '5 rows × 4 columns', undefined, { timeout: PAINT_TIMEOUT_MS });
  });

  it('follows the host theme and display mode, and opens the browser page through the host', async () => {
    await host.setContext('a', { theme: 'dark' });
    await a.waitForFunction(() => document.documentElement.dataset.theme === 'dark' && document.body.dataset.agThemeMode === 'dark');
    await a.click('#bt-fullscreen');
    expect((await host.log('a')).displayModes).toEqual(['fullscreen']);
    await a.waitForFunction(() => document.documentElement.dataset.displayMode === 'fullscreen');
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await host.page.screenshot({ path: path.join(SCREENSHOT_DIR, 'mcp-app-fullscreen-dark.png') });
    await a.click('#bt-fullscreen');
    await a.waitForFunction(() => document.documentElement.dataset.displayMode === 'inline');
    await host.setContext('a', { theme: 'light' });
    await a.click('#bt-open-browser');
    expect((await host.log('a')).links).toEqual([(first.structuredContent as { url: string }).url]);
  });

  it('shows a later view_data in its own instance; the older one keeps reading its own file, never the new rows', async () => {
    const { frame: b } = await mount('b', 'other.csv');
    expect(await cell(b, 0, 'c0')).toBe('Mercury');
    // The older instance reads again (a sort by city): the session now shows other.csv, small.csv is still kept.
    await a.click('.ag-header-cell[col-id="c1"] .ag-header-cell-label');
    await waitForCell(a, 0, 'c1', 'Berlin');
    expect(await a.textContent('.bt-file')).toBe('small.csv');
    expect(callsOf('a', 'viewer_rows').at(-1)!.arguments).toMatchObject({ dataset: (first.structuredContent as { dataset_id: number }).dataset_id, sort: 'city' });
    expect(await a.evaluate(() => [...document.querySelectorAll('#bt-grid .ag-cell')].some((c) => c.textContent?.includes('Mercury')))).toBe(false);
    expect(await cell(b, 3, 'c0')).toBe('Mars');
  });

  let q: Frame;
  const SQL = 'select city, count(*) as n from small group by city order by n desc, city';

  it('shows a query_data result with its SQL above the rows', async () => {
    const mounted = await mountCall('q', 'query_data', { sql: SQL });
    q = mounted.frame;
    expect((mounted.result.structuredContent as { display: string }).display).toBe('app');
    expect(await cell(q, 0, 'c0')).toBe('Berlin');
    expect(await q.textContent('.bt-file')).toBe('Query result');
    expect(await q.locator('#bt-query').isVisible()).toBe(true);
    expect((await q.locator('#bt-query code').textContent())?.trim()).toBe(SQL);
  });

  it('shows a compare_data diff: changed cells as old → new, one-sided rows coloured', async () => {
    const { frame: d } = await mountCall('d', 'compare_data', { left: 'small.csv', right: 'small2.csv', keys: ['name'] });
    await cell(d, 0, 'c0');
    expect(await d.textContent('.bt-file')).toBe('small.csv → small2.csv');
    expect(await d.locator('#bt-query').isVisible()).toBe(false);
    await d.waitForFunction(() => [...document.querySelectorAll('#bt-grid .bt-diff-changed')].some((c) => c.textContent?.trim() === '2.5 → 9.5'), undefined, { timeout: PAINT_TIMEOUT_MS });
    const classes = await d.evaluate(() => [...document.querySelectorAll('#bt-grid .ag-row')].map((r) => r.className).join(' '));
    expect(classes).toContain('bt-diff-left');
    expect(classes).toContain('bt-diff-right');
  });

  it('says clearly that an older query result is gone once it is no longer kept, and shows no other rows', async () => {
    for (let i = 0; i < 4; i++) await client.callTool({ name: 'query_data', arguments: { sql: `select ${i} as later` } });
    await q.click('.ag-header-cell[col-id="c1"] .ag-header-cell-label');
    await q.waitForFunction(() => document.querySelector('#bt-state h1')?.textContent === 'This query result was replaced', undefined, { timeout: PAINT_TIMEOUT_MS });
    expect(await q.evaluate(() => document.querySelector('.bt-state-message')?.textContent)).toContain('no longer kept');
    expect(await q.evaluate(() => [...document.querySelectorAll('#bt-grid .ag-cell')].some((c) => c.textContent?.trim() === 'later'))).toBe(false);
  });

  it('shows a failed view_data as the error it is', async () => {
    const c = await mount('c', 'missing.csv');
    expect(c.result.isError).toBe(true);
    await c.frame.waitForFunction(() => document.body.dataset.state === 'error' && (document.querySelector('.bt-state-message')?.textContent ?? '').includes('missing.csv'), undefined, {
      timeout: PAINT_TIMEOUT_MS,
    });
  });

  it('made no network request of its own, and broke no content security rule', () => {
    const own = host.requests.filter((u) => !host.hostUrls.includes(u) && !u.startsWith('about:') && !u.startsWith('data:'));
    expect(own).toEqual([]);
    expect(consoleErrors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
  });
});
