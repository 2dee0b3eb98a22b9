// The table inside the chat, in a real host: ext-apps' AppBridge in Chromium loads the app resource read from
// the compiled binary into a sandboxed iframe (under a host's default CSP), feeds it real view_data results and
// proxies its tool calls through a real SDK Client on the binary (test/helpers/app-host.ts). Rows, sort,
// search, theme, size, full screen, a later view_data in its own instance, and no network of its own.

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

async function view(file: string): Promise<ToolResult> {
  return (await client.callTool({ name: 'view_data', arguments: { path: file } })) as ToolResult;
}

async function mount(id: string, file: string): Promise<{ frame: Frame; result: ToolResult }> {
  const result = await view(file);
  const frame = await host.mount(id, { html, input: { path: file }, result: result as never, hostContext: { ...HOST_CONTEXT } });
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

  it('shows a later view_data in its own instance; the older one says its file was replaced, never the new rows', async () => {
    const { frame: b } = await mount('b', 'other.csv');
    expect(await cell(b, 0, 'c0')).toBe('Mercury');
    // The older instance reads again (a sort): the session now holds other.csv.
    await a.click('.ag-header-cell[col-id="c1"] .ag-header-cell-label');
    await a.waitForFunction(() => document.querySelector('#bt-state h1')?.textContent === 'small.csv was replaced', undefined, { timeout: PAINT_TIMEOUT_MS });
    expect(await a.evaluate(() => document.querySelector('#bt-state')?.hasAttribute('hidden'))).toBe(false);
    expect(await a.evaluate(() => document.querySelector('#bt-state-message, .bt-state-message')?.textContent)).toContain('other.csv');
    expect(await a.evaluate(() => [...document.querySelectorAll('#bt-grid .ag-cell')].some((c) => c.textContent?.includes('Mercury')))).toBe(false);
    expect(await cell(b, 3, 'c0')).toBe('Mars');
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
