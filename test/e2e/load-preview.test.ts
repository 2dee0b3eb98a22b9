// While a big CSV loads, its first rows are already readable (/preview), read from the head of the file with
// the full load's reader, and meta reports progress in bytes with the time left.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetaAnswer, PreviewAnswer } from '../../src/contract/data-api.ts';
import { killStarted, readState, startServer, tempHome, type StartedServer } from '../helpers/binary.ts';
import { request } from '../helpers/http.ts';

/** Writing ~90 MB and loading it take seconds alone, more on a busy machine. */
const CASE_TIMEOUT_MS = 180_000;
const ROWS = 2_000_000;
const POLL_MS = 20;

let home: string;
let server: StartedServer;
let big: string;

beforeAll(async () => {
  home = tempHome();
  big = path.join(home, 'big.csv');
  const out = fs.openSync(big, 'w');
  fs.writeSync(out, 'id,city,amount,note\n');
  for (let i = 0; i < ROWS; i += 100_000) {
    let chunk = '';
    for (let j = i; j < i + 100_000; j++) chunk += `${j},city ${j % 97},${(j % 1000) / 8},"note, ${j}"\n`;
    fs.writeSync(out, chunk);
  }
  fs.closeSync(out);
  server = await startServer({ home });
}, CASE_TIMEOUT_MS);

afterAll(async () => {
  await server?.killAndWait();
  killStarted();
});

describe('a preview while a big CSV loads', () => {
  it('serves the first rows as the full load will read them, before the load answers', async () => {
    const { token } = readState(home, server.port);
    const auth = { headers: { authorization: `Bearer ${token}` } };
    const session = 'preview-session-1';
    let done = false;
    const load = request(server.port, '/load', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ path: big, session, no_browser: true }),
      timeoutMs: CASE_TIMEOUT_MS,
    }).finally(() => (done = true));

    let preview: PreviewAnswer | undefined;
    let meta: MetaAnswer | undefined;
    while (!done && !preview) {
      const r = await request(server.port, `/api/sessions/${session}/preview`, auth);
      if (r.status === 200) {
        preview = r.json<PreviewAnswer>();
        const m = await request(server.port, `/api/sessions/${session}/meta`, auth);
        meta = m.json<MetaAnswer>();
      } else {
        // Before the load registers, the session is unknown or not loading yet.
        expect(r.json<{ error_code: string }>().error_code).toMatch(/E_NOT_LOADING|E_UNKNOWN_SESSION/);
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    }
    expect(preview, 'a preview before /load answered').toBeDefined();
    expect(preview!.columns.map((c) => c.name)).toEqual(['id', 'city', 'amount', 'note']);
    expect(preview!.rows).toHaveLength(200);
    expect(preview!.rows[0]).toEqual([0, 'city 0', 0, 'note, 0']);
    expect(preview!.rows[199]).toEqual([199, 'city 5', 24.875, 'note, 199']);
    if (meta?.status === 'loading') expect(meta.loading.bytes).toBe(fs.statSync(big).size);

    const loaded = await load;
    expect(loaded.status, loaded.body).toBe(200);
    const rows = await request(server.port, `/api/sessions/${session}/rows?offset=0&limit=200`, { ...auth, timeoutMs: CASE_TIMEOUT_MS });
    expect(rows.json<{ rows: unknown[][] }>().rows).toEqual(preview!.rows);
    // The load is over: no preview, the rows API instead.
    expect((await request(server.port, `/api/sessions/${session}/preview`, auth)).json<{ error_code: string }>().error_code).toBe('E_NOT_LOADING');
  }, CASE_TIMEOUT_MS);
});
