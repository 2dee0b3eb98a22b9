// view_data on a multi-million-row file through the compiled binary: progress that only moves forward (bytes
// DuckDB has read), and cancellation — the load is interrupted in DuckDB, the page keeps its table, and the
// next call answers at once.

import { DuckDBInstance } from '@duckdb/node-api';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, killStarted, stopStateServer, tempHome, testEnv, waitUntil } from '../helpers/binary.ts';
import { writeSyntheticCsv } from '../helpers/datasets.ts';
import { request } from '../helpers/http.ts';
import { connectMcp, textOf, type ToolResult } from '../helpers/mcp-client.ts';

/** ~250 MB: a load that takes seconds, so a cancel lands mid-read. */
const BIG_ROWS = 5_000_000;
const BIG_LOAD_TIMEOUT_MS = 300_000;
/** The issue asks for ~100 ms; this bound only catches "the load ran on" under a loaded 2-core machine. */
const CANCEL_SETTLED_WITHIN_MS = 3_000;

let home: string;
let port: number;
let big: string;
let small: string;

beforeAll(async () => {
  home = tempHome();
  port = await freePort();
  big = path.join(home, 'big.csv');
  small = path.join(home, 'small.csv');
  fs.writeFileSync(small, 'a,b\n1,x\n2,y\n3,z\n');
  const db = await (await DuckDBInstance.create(':memory:')).connect();
  await writeSyntheticCsv(db, big, BIG_ROWS);
}, 120_000);

afterAll(() => {
  stopStateServer(home, port);
  killStarted();
});

const env = () => testEnv(home, { BUCKAROO_PORT: String(port) });

describe('view_data on a big file', () => {
  it('reports progress that strictly increases in bytes read', async () => {
    const client = await connectMcp(env(), 'modern');
    const seen: { progress: number; total?: number; message?: string }[] = [];
    try {
      const r = (await client.callTool({ name: 'view_data', arguments: { path: big } }, { onprogress: (p) => seen.push(p), timeout: BIG_LOAD_TIMEOUT_MS })) as ToolResult;
      expect(r.isError, textOf(r)).toBeFalsy();
    } finally {
      await client.close();
    }
    console.log(`progress: ${seen.map((p) => `${p.progress}/${p.total} ${p.message}`).join(' | ')}`);
    expect(seen[0]?.message).toBe('checking the data server');
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.progress).toBeGreaterThan(seen[i - 1]!.progress);
    expect(seen.every((p) => p.total === fs.statSync(big).size)).toBe(true);
    expect(seen.some((p) => /% read \(\d+\.\d of \d+\.\d MB\)/.test(p.message ?? ''))).toBe(true);
    expect(seen.at(-1)).toMatchObject({ progress: fs.statSync(big).size, message: 'done' });
  }, BIG_LOAD_TIMEOUT_MS);

  it('interrupts a cancelled load keeps the page and answers the next call at once', async () => {
    const client = await connectMcp(env(), 'legacy');
    try {
      const first = (await client.callTool({ name: 'view_data', arguments: { path: small } })) as ToolResult;
      expect(first.isError, textOf(first)).toBeFalsy();
      const session = String(first.structuredContent!.session);
      const abort = new AbortController();
      let cancelledAt = 0;
      const call = client.callTool(
        { name: 'view_data', arguments: { path: big } },
        {
          signal: abort.signal,
          timeout: BIG_LOAD_TIMEOUT_MS,
          // Cancel once DuckDB is reading (the first byte-count progress): the load is mid-way.
          onprogress: (p) => {
            if (p.progress > 0 && !abort.signal.aborted) {
              cancelledAt = performance.now();
              abort.abort();
            }
          },
        },
      );
      await expect(call).rejects.toThrow();
      expect(cancelledAt).toBeGreaterThan(0);
      const meta = async () => (await request(port, `/api/sessions/${session}/meta`)).json<{ status: string; file_name?: string }>();
      await waitUntil('the cancelled load to stop', async () => (await meta()).status !== 'loading', CANCEL_SETTLED_WITHIN_MS, 5);
      console.log(`cancelled load stopped ${Math.round(performance.now() - cancelledAt)} ms after the cancel`);
      // The page never switched: the session still holds the small file.
      expect(await meta()).toMatchObject({ status: 'ready', file_name: 'small.csv' });
      const t0 = performance.now();
      const next = (await client.callTool({ name: 'view_data', arguments: { path: small } })) as ToolResult;
      console.log(`next view_data answered in ${Math.round(performance.now() - t0)} ms`);
      expect(next.isError, textOf(next)).toBeFalsy();
      expect(next.structuredContent!.rows).toBe(3);
      await new Promise((r) => setTimeout(r, 500));
      expect(await meta()).toMatchObject({ status: 'ready', file_name: 'small.csv' });
    } finally {
      await client.close();
    }
  }, BIG_LOAD_TIMEOUT_MS);
});
