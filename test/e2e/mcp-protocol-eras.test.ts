// Both MCP protocol eras on one stdio, through clients nobody here wrote: the SDK's client (2025 handshake and
// pinned 2026-07-28) and the MCP Inspector CLI (modern/legacy, --strict schema portability, --load). And the
// model's eye: Claude Code and Codex hand the model JSON.stringify(structuredContent), never the text, so every
// result's text must be renderable from its structuredContent alone.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnosticsText, type DiagnosticsResult } from '../../src/mcp/tools/diagnostics.ts';
import type { ViewResult } from '../../src/mcp/view-result.ts';
import { viewResultText } from '../../src/mcp/view-result-text.ts';
import { freePort, killStarted, stopStateServer, readState, tempHome, testEnv } from '../helpers/binary.ts';
import { connectMcp, MODERN_REVISION, runInspector, textOf, type Era, type ToolResult } from '../helpers/mcp-client.ts';

let home: string;
let port: number;
let csv: string;
let env: Record<string, string>;

beforeAll(async () => {
  home = tempHome();
  port = await freePort();
  csv = path.join(home, 'people.csv');
  fs.writeFileSync(csv, 'id,name,tags\n1,Ann,a\n2,Bob,\n3,"Lee, Jr.",c\n');
  env = testEnv(home, { BUCKAROO_PORT: String(port) });
});

afterAll(() => {
  stopStateServer(home, port);
  killStarted();
});

/** What the model is given by Claude Code/Codex, turned back into our text: must be the text we sent. */
function expectModelSeesEverything(r: ToolResult, render: (s: never) => string): void {
  expect(r.isError, textOf(r)).toBeFalsy();
  expect(r.structuredContent).toBeDefined();
  const seen = JSON.parse(JSON.stringify(r.structuredContent)) as never;
  expect(render(seen)).toBe(textOf(r));
}

describe.each<Era>(['legacy', 'modern'])('the SDK client, %s era', (era) => {
  it('lists tools and views a file on one stdio', async () => {
    const client = await connectMcp(env, era);
    try {
      expect(client.getServerVersion()?.name).toBe('buckaroo-table');
      expect(client.getProtocolEra()).toBe(era);
      if (era === 'modern') expect(client.getNegotiatedProtocolVersion()).toBe(MODERN_REVISION);
      const tools = (await client.listTools()).tools;
      // The chat app's app-only tools are hidden from a client that does not render apps, in both eras: the
      // 2026-07-28 era has no initialize, but each request carries the client's capabilities (src/mcp/viewer-app.ts)
      expect(tools.map((t) => t.name).sort()).toEqual(['buckaroo_diagnostics', 'buckaroo_table', 'compare_data', 'query_data', 'view_data']);
      const r = (await client.callTool({ name: 'view_data', arguments: { path: csv } })) as ToolResult;
      expectModelSeesEverything(r, viewResultText);
      expect((r.structuredContent as ViewResult).summary).toContain('people.csv — 3 rows × 3 columns');
      const d = (await client.callTool({ name: 'buckaroo_diagnostics', arguments: {} })) as ToolResult;
      expectModelSeesEverything(d, diagnosticsText);
      expect((d.structuredContent as DiagnosticsResult).server.state).toBe('ours');
    } finally {
      await client.close();
    }
  }, 60_000);
});

describe('what the model sees', () => {
  it('every view_data text is in structuredContent for wide empty and browserless results', async () => {
    const wide = path.join(home, 'wide.csv');
    const cols = Array.from({ length: 60 }, (_, i) => `c${i}`);
    fs.writeFileSync(wide, `${cols.join(',')}\n${cols.map((_, i) => i).join(',')}\n`);
    const empty = path.join(home, 'empty-rows.csv');
    fs.writeFileSync(empty, 'a,b\n');
    // No BUCKAROO_NO_BROWSER and no opener on PATH: the browser cannot open, and the hint must reach the model.
    const noOpener = fs.mkdtempSync(path.join(home, 'bin-'));
    const browserless = { ...testEnv(home, { BUCKAROO_PORT: String(await freePort()), PATH: noOpener }) };
    delete (browserless as Record<string, string | undefined>).BUCKAROO_NO_BROWSER;
    const client = await connectMcp(browserless, 'modern');
    try {
      for (const file of [wide, empty, csv]) {
        const r = (await client.callTool({ name: 'view_data', arguments: { path: file } })) as ToolResult;
        expectModelSeesEverything(r, viewResultText);
        const s = r.structuredContent as ViewResult;
        if (file === wide) expect(s.hints.join('\n')).toContain('… and 10 more columns');
        if (file === empty) expect(s.hints).toContain('The file has a header but no data rows.');
        if (s.browser_action === 'failed') expect(s.hints.join('\n')).toContain(`give the person the URL ${s.url}`);
      }
    } finally {
      await client.close();
      try {
        process.kill(readState(home, Number(browserless.BUCKAROO_PORT)).pid, 'SIGTERM');
      } catch {
        /* not started */
      }
    }
  }, 90_000);
});

describe('the MCP Inspector CLI', () => {
  const base = () => ({ BUCKAROO_HOME: home, BUCKAROO_NO_BROWSER: '1', BUCKAROO_NO_UPDATE_CHECK: '1', BUCKAROO_PORT: String(port) });

  it.each(['modern', 'legacy'])('lists_tools_with_zero_strict_portability_warnings_in_the_%s_era', (era) => {
    const r = runInspector(home, base(), ['--strict', '--protocol-era', era], ['--method', 'tools/list']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/Warning|Error/);
    expect(JSON.parse(r.stdout).tools.map((t: { name: string }) => t.name)).toContain('view_data');
  }, 60_000);

  it('calls view_data in the modern era', () => {
    const r = runInspector(home, base(), ['--protocol-era', 'modern', '--format', 'json', '-q'], ['--method', 'tools/call', '--tool-name', 'view_data', '--tool-arg', `path=${csv}`]);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { result: ToolResult };
    expect(out.result.isError).toBeFalsy();
    expect((out.result.structuredContent as ViewResult).rows).toBe(3);
  }, 60_000);

  it('survives a load test of concurrent view_data calls', () => {
    // A running server first: five concurrent first calls on a cold start measure the lifecycle's start race
    // (lifecycle-concurrency.test.ts covers it), not the MCP side under load.
    const warm = runInspector(home, base(), ['--protocol-era', 'legacy', '--format', 'json', '-q'], ['--method', 'tools/call', '--tool-name', 'view_data', '--tool-arg', `path=${csv}`]);
    expect(warm.status, warm.stderr).toBe(0);
    const r = runInspector(home, base(), ['--protocol-era', 'legacy', '--load', '--load-requests', '20', '--load-concurrency', '5', '--format', 'json', '-q'], [
      '--method',
      'tools/call',
      '--tool-name',
      'view_data',
      '--tool-arg',
      `path=${csv}`,
    ]);
    expect(r.status, r.stderr).toBe(0);
    const summary = (JSON.parse(r.stdout) as { result: { requests: number; ok: number; toolErrors: number; errors: number } }).result;
    expect(summary).toMatchObject({ requests: 20, ok: 20, toolErrors: 0, errors: 0 });
  }, 120_000);
});
