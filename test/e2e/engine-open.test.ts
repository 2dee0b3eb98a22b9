// The server opens DuckDB in the background as soon as it listens (issue 20): /health never waits for it, a
// /load that arrives while it opens waits for that same opening, and a failure to open still reaches every
// /load as the same named error while the server stays up.

import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { killStarted, startServer, tempHome } from '../helpers/binary.ts';
import { request, type RawResponse } from '../helpers/http.ts';

afterEach(() => killStarted());

/** A fresh home unpacks ~70 MB of DuckDB before the first load can run; a busy 2-core machine needs room. */
const FIRST_LOAD_TIMEOUT_MS = 60_000;

function tenRowCsv(home: string): string {
  const file = path.join(home, 'ten.csv');
  fs.writeFileSync(file, `id,name\n${Array.from({ length: 10 }, (_, i) => `${i},n${i}`).join('\n')}\n`);
  return file;
}

const load = (port: number, file: string): Promise<RawResponse> =>
  request(port, '/load', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ path: file, no_browser: true }),
    timeoutMs: FIRST_LOAD_TIMEOUT_MS,
  });

describe('opening DuckDB in the background', () => {
  it('answers /health while DuckDB opens, and a /load sent at once waits for it and succeeds', async () => {
    // A fresh home: the background opening must unpack the native files first, so the /load lands inside it.
    const home = tempHome();
    const s = await startServer({ home });
    const settled: string[] = [];
    const loading = load(s.port, tenRowCsv(home)).finally(() => settled.push('load'));
    const health = await request(s.port, '/health').finally(() => settled.push('health'));
    expect(health.status).toBe(200);
    const loaded = await loading;
    expect(loaded.status, loaded.body).toBe(200);
    expect(loaded.json()).toMatchObject({ rows: 10 });
    expect(settled).toEqual(['health', 'load']);
    // One opening served both: the files were unpacked once, by a child, not again by the load.
    const diag = (await request(s.port, '/diagnostics', { timeoutMs: FIRST_LOAD_TIMEOUT_MS })).json<{ duckdb: { ok: boolean; native_unpack: { how: string } } }>();
    expect(diag.duckdb).toMatchObject({ ok: true, native_unpack: { how: 'child' } });
  }, FIRST_LOAD_TIMEOUT_MS * 2);

  it('gives every /load the same named error when DuckDB cannot open, and stays up', async () => {
    // The native cache's place is a file: nothing can be unpacked there, so DuckDB cannot be loaded.
    const home = tempHome();
    fs.mkdirSync(path.join(home, 'cache'), { recursive: true, mode: 0o700 });
    fs.writeFileSync(path.join(home, 'cache', 'native'), 'not a directory');
    const s = await startServer({ home });
    const csv = tenRowCsv(home);
    const during = await load(s.port, csv);
    const after = await load(s.port, csv);
    for (const r of [during, after]) {
      expect(r.status).toBe(500);
      expect(r.json()).toMatchObject({ error_code: 'E_INTERNAL', message: expect.stringContaining('Could not unpack DuckDB into') });
    }
    expect(after.json<{ message: string }>().message).toBe(during.json<{ message: string }>().message);
    expect((await request(s.port, '/health')).status).toBe(200);
  }, FIRST_LOAD_TIMEOUT_MS);
});
