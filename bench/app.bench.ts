// The table inside the chat (MCP App): the app page's size as hosts receive it (resources/read), and, in the
// host harness (ext-apps' AppBridge in Chromium, test/helpers/app-host.ts), the time from mounting an app
// instance with a view_data result to its first rows painted, and from a sort click to the sorted rows —
// every request host → MCP process → data server, on a 1 M-row CSV. Times are the harness's wall clock.
// Run: node bench/app.bench.ts (BUCKAROO_DIST_DIR picks the build).

import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { McpUiHostContext } from '@modelcontextprotocol/ext-apps';
import type { Frame } from 'playwright-core';
import { openAppHost } from '../test/helpers/app-host.ts';
import { freePort, killStarted, stopStateServer } from '../test/helpers/binary.ts';
import { writeBigCsv } from '../test/helpers/browser.ts';
import { benchEnv, benchHome, BINARY, ms, percentile, printTable, timeIt } from './lib.ts';

const ROWS = 1_000_000;
const SAMPLES = 7;
const PAINT_TIMEOUT_MS = 30_000;
const HOST_CONTEXT: McpUiHostContext = { theme: 'light', displayMode: 'inline', availableDisplayModes: ['inline', 'fullscreen'] };

const firstCell = (frame: Frame, expected: string): Promise<unknown> =>
  frame.waitForFunction((e) => document.querySelector('#bt-grid .ag-row[row-index="0"] .ag-cell[col-id="c1"]')?.textContent?.trim() === e, expected, { timeout: PAINT_TIMEOUT_MS });

async function main(): Promise<void> {
  if (!fs.existsSync(BINARY)) throw new Error(`${BINARY} is missing: build first (make build)`);
  const home = benchHome();
  const port = await freePort();
  const csv = path.join(home, 'million.csv');
  await writeBigCsv(csv, ROWS);
  const client = new Client({ name: 'bench', version: '0' }, { capabilities: { extensions: { 'io.modelcontextprotocol/ui': { mimeTypes: ['text/html;profile=mcp-app'] } } } });
  await client.connect(new StdioClientTransport({ command: BINARY, args: ['mcp'], env: benchEnv(home, { BUCKAROO_PORT: String(port) }), stderr: 'ignore' }));
  const host = await openAppHost(client);
  try {
    let html = '';
    const readMs = await timeIt(async () => {
      html = ((await client.readResource({ uri: 'ui://buckaroo-table/viewer.html' })).contents[0] as { text: string }).text;
    });
    const bytes = Buffer.byteLength(html);
    const gzipped = zlib.gzipSync(html).length;
    const result = await client.callTool({ name: 'view_data', arguments: { path: csv } });
    // Warm-up: the first instance meets a cold page parse and lets the server finish the stats.
    await firstCell(await host.mount('warm', { html, input: { path: csv }, result: result as never, hostContext: { ...HOST_CONTEXT } }), 'row-0');
    const firstRows: number[] = [];
    const phases = new Map<string, number[]>();
    const calls: number[] = [];
    const sorts: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const t0 = performance.now();
      const frame = await host.mount(`app${i}`, { html, input: { path: csv }, result: result as never, hostContext: { ...HOST_CONTEXT } });
      await firstCell(frame, 'row-0');
      firstRows.push(performance.now() - t0);
      // The app's own marks, on the iframe document's clock (0 = the srcdoc navigation).
      const marks = await frame.evaluate(() => performance.getEntriesByType('mark').map((m) => [m.name, m.startTime] as const));
      for (const [name, at] of marks) (phases.get(name) ?? phases.set(name, []).get(name)!).push(at);
      calls.push(...host.toolCalls.filter((c) => c.instance === `app${i}`).map((c) => c.ms));
      const t1 = performance.now();
      // label sorts as text: 'row-0', 'row-1', 'row-10', … ascending; the sorted window comes from the server.
      await frame.click('.ag-header-cell[col-id="c1"] .ag-header-cell-label');
      await frame.waitForFunction(() => document.querySelector('#bt-grid .ag-row[row-index="1"] .ag-cell[col-id="c1"]')?.textContent?.trim() === 'row-1', undefined, {
        timeout: PAINT_TIMEOUT_MS,
      });
      await firstCell(frame, 'row-0');
      sorts.push(performance.now() - t1);
    }
    printTable('MCP App (table inside the chat)', [
      { figure: 'app page (resources/read text)', median: `${(bytes / 1024).toFixed(0)} KiB`, note: `${(gzipped / 1024).toFixed(0)} KiB gzipped; read in ${ms(readMs)}` },
      { figure: `mount → first rows painted (${ROWS.toLocaleString('en-US')} rows)`, median: ms(percentile(firstRows, 50)), p90: ms(percentile(firstRows, 90)), note: `${SAMPLES} instances; iframe parse + ui/initialize + viewer_meta + viewer_rows through the host` },
      ...[...phases].map(([name, at]) => ({ figure: `  in the frame: ${name}`, median: ms(percentile(at, 50)), p90: ms(percentile(at, 90)), note: 'since the frame document started' })),
      { figure: 'one app tool call through the SDK client', median: ms(percentile(calls, 50)), p90: ms(percentile(calls, 90)), note: `${calls.length} calls (meta, rows, stats)` },
      { figure: 'sort click → sorted rows painted', median: ms(percentile(sorts, 50)), p90: ms(percentile(sorts, 90)), note: 'viewer_rows through the host, sorted by the data server' },
    ]);
  } finally {
    await host.close();
    await client.close();
    stopStateServer(home, port);
    killStarted();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
