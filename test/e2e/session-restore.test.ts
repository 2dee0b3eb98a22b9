// A session's tables through a server replacement, on the compiled binary: the registry keeps every file the
// session loaded with its table name, so after a crash the new server shows the last file and query_data reads
// every table again, each from the file it named before (two sales.csv in different folders included).

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killStarted, startServer, tempHome, waitForExit } from '../helpers/binary.ts';
import { loadFile } from '../helpers/browser.ts';
import { request } from '../helpers/http.ts';

/** The restored tables load behind the shown file; a cold DuckDB on a busy 2-core machine. */
const RESTORED_WITHIN_MS = 20_000;
const EXIT_WITHIN_MS = 5_000;

afterAll(() => killStarted());

describe('a session through a server replacement', () => {
  it('restores every table under the name it had, each from its own file, and shows the last file', async () => {
    const home = tempHome();
    const dir = fs.mkdtempSync(path.join(home, 'data-'));
    fs.mkdirSync(path.join(dir, 'north'));
    fs.mkdirSync(path.join(dir, 'south'));
    const north = path.join(dir, 'north', 'sales.csv');
    const south = path.join(dir, 'south', 'sales.csv');
    const returns = path.join(dir, 'returns.csv');
    fs.writeFileSync(north, 'region,amount\nnorth,1\nnorth,2\n');
    fs.writeFileSync(south, 'region,amount\nsouth,5\n');
    fs.writeFileSync(returns, 'id,reason\n1,late\n');
    const session = 'restore-tables-1';
    const first = await startServer({ home });
    await loadFile(home, first.port, south, session); // sales
    await loadFile(home, first.port, north, session); // sales_2
    await loadFile(home, first.port, returns, session); // returns
    await loadFile(home, first.port, north, session); // sales_2 again, shown: reloaded first, it must not take `sales`
    first.kill('SIGKILL');
    await waitForExit(first.proc, EXIT_WITHIN_MS);

    const second = await startServer({ home, args: ['--port', String(first.port)] });
    const meta = (await request(second.port, `/api/sessions/${session}/meta`)).json<{ status: string; path: string }>();
    expect(meta).toMatchObject({ status: 'ready', path: north });
    // A query waits behind the restored tables (they load on the session's chain after the shown file).
    const res = await request(second.port, `/api/sessions/${session}/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sql: "select (select string_agg(region, ',') from sales), (select string_agg(region, ',' order by amount) from sales_2), (select count(*) from returns)" }),
      timeoutMs: RESTORED_WITHIN_MS,
    });
    expect(res.status, res.body).toBe(200);
    const answer = res.json<{ rows: unknown[][]; tables: string[] }>();
    expect(answer.rows).toEqual([['south', 'north,north', 1]]);
    expect([...answer.tables].sort()).toEqual(['returns', 'sales', 'sales_2']);
    await second.killAndWait();
  });
});
