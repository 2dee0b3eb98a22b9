// JSON is read by a child process of the server (src/engine/json-isolate.ts): a file that crashes DuckDB's
// JSON reader costs that one load, never the server. The crash here is real: with the nesting limit raised past
// what DuckDB survives (BUCKAROO_JSON_MAX_DEPTH), 100,000 nested arrays segfault the reader.

import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, killStarted, readState, stopStateServer, tempHome, testEnv, waitUntil } from '../helpers/binary.ts';
import { request } from '../helpers/http.ts';
import { connectMcp, textOf, type ToolResult } from '../helpers/mcp-client.ts';

/** The crashing read takes ~1-3 s alone (DuckDB recurses until the stack runs out). */
const CASE_TIMEOUT_MS = 60_000;

let home: string;
let port: number;
let client: Client;

const view = async (p: string): Promise<ToolResult> =>
  (await client.callTool({ name: 'view_data', arguments: { path: p } }, { timeout: CASE_TIMEOUT_MS })) as ToolResult;

beforeAll(async () => {
  home = tempHome();
  port = await freePort();
  client = await connectMcp(testEnv(home, { BUCKAROO_PORT: String(port), BUCKAROO_JSON_MAX_DEPTH: '1000000' }));
}, CASE_TIMEOUT_MS);

afterAll(async () => {
  await client?.close();
  stopStateServer(home, port);
  killStarted();
});

/** Pids of the server's `json-load` children (the JSON reader), from /proc. */
function jsonChildren(serverPid: number): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === serverPid && fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('json-load')) found.push(Number(entry));
    } catch {
      /* gone meanwhile */
    }
  }
  return found;
}

describe('a JSON file that crashes the reader', () => {
  it('fails that load only: the same server answers and loads the next file', async () => {
    const good = path.join(home, 'good.json');
    fs.writeFileSync(good, '[{"a": 1, "b": "x"}, {"a": 2, "b": "y"}]');
    const first = await view(good);
    expect(first.isError, textOf(first)).toBeFalsy();
    const pid = readState(home, port).pid;

    const deep = path.join(home, 'deep.json');
    fs.writeFileSync(deep, `[{"x": ${'['.repeat(100_000)}${']'.repeat(100_000)}}]`);
    const crashed = await view(deep);
    expect(crashed.isError).toBe(true);
    expect(textOf(crashed)).toMatch(/JSON reader crashed on .*deep\.json/);
    expect(textOf(crashed)).toMatch(/Only this load failed/);
    expect(textOf(crashed)).toContain('(E_BAD_JSON)');

    const health = await request(port, '/health');
    expect(health.json<{ pid: number }>().pid).toBe(pid);
    const again = await view(good);
    expect(again.isError, textOf(again)).toBeFalsy();
    expect(again.structuredContent).toMatchObject({ rows: 2 });
    // Nothing of the crashed read is left in the engine's temp directory.
    expect(fs.readdirSync(path.join(home, 'tmp', 'duckdb')).filter((f) => f.startsWith('json-'))).toEqual([]);
  }, 3 * CASE_TIMEOUT_MS);
});

describe.runIf(process.platform === 'linux')('cancelling a JSON load', () => {
  it('kills the reader child, keeps what the session showed and leaves no file behind', async () => {
    const small = path.join(home, 'small.json');
    fs.writeFileSync(small, '[{"a": 1}]');
    const first = await view(small);
    expect(first.isError, textOf(first)).toBeFalsy();
    const session = String(first.structuredContent!.session);
    const pid = readState(home, port).pid;
    const big = path.join(home, 'big.ndjson');
    const out = fs.openSync(big, 'w');
    // ~130 MB: a few seconds of reading even on a quiet machine, so progress shows and the cancel lands mid-read.
    for (let i = 0; i < 3_000_000; i += 100_000) {
      let chunk = '';
      for (let j = i; j < i + 100_000; j++) chunk += `{"id": ${j}, "name": "row ${j}", "v": ${j / 2}}\n`;
      fs.writeSync(out, chunk);
    }
    fs.closeSync(out);

    const auth = { headers: { authorization: `Bearer ${readState(home, port).token}` } };
    const abort = new AbortController();
    const call = client.callTool({ name: 'view_data', arguments: { path: big } }, { signal: abort.signal, timeout: CASE_TIMEOUT_MS });
    await waitUntil('the JSON reader child to start', () => jsonChildren(pid).length > 0, CASE_TIMEOUT_MS);
    // The child reports how far DuckDB has read; meta (and view_data's progress) pass it on.
    const percent = async () => (await request(port, `/api/sessions/${session}/meta`, auth)).json<{ loading?: { percent: number | null } }>().loading?.percent ?? null;
    await waitUntil('progress from the reader child', async () => ((await percent()) ?? 0) > 0, CASE_TIMEOUT_MS, 50);
    abort.abort();
    await expect(call).rejects.toThrow();
    const meta = async () => (await request(port, `/api/sessions/${session}/meta`, auth)).json<{ status: string; file_name?: string }>();
    await waitUntil('the cancelled load to stop', async () => (await meta()).status !== 'loading', CASE_TIMEOUT_MS);
    expect(await meta()).toMatchObject({ status: 'ready', file_name: 'small.json' });
    await waitUntil('the reader child to be gone', () => jsonChildren(pid).length === 0, 5_000);
    expect(fs.readdirSync(path.join(home, 'tmp', 'duckdb')).filter((f) => f.startsWith('json-'))).toEqual([]);
  }, 3 * CASE_TIMEOUT_MS);
});
