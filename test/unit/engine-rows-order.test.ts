// engine/rows.ts on a real in-process DuckDB: a sorted or searched order is a table of row numbers whose own
// rowid is the position. Pins ties (file order), NULLs (last either way) and NaN (above every number), and that
// every window of a file spanning several row groups (sorted on several threads) is what ORDER BY … OFFSET gives.

import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import * as api from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/engine/load.ts';
import { createRowsReader, type RowsQuery } from '../../src/engine/rows.ts';

/** Rows enough for several of DuckDB's row groups (122,880 rows each), so the sort runs on several threads. */
const BIG_ROWS = 250_000;

let instance: DuckDBInstance;
let conn: DuckDBConnection;
const engine = {
  api,
  withConnection: async <T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> => fn(await instance.connect()),
};

function dataset(id: number, rows: number, columns: { name: string; dtype: string }[], rowExpr = 'rowid', relation = `"bt_ds_${id}"`): Dataset {
  return { id, path: `/d/${id}.csv`, format: 'csv', gzip: false, encoding: 'UTF-8', relation, rowExpr, kind: 'table', columns, rows, bytes: 1, loadMs: 1, loadedAt: '' };
}

const query = (q: Partial<RowsQuery>): RowsQuery => ({ offset: 0, limit: 100, dir: 'asc', ...q });

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:', { threads: '4' });
  conn = await instance.connect();
  await conn.run("create table bt_ds_1 as select * from (values (2.0, 'b'), (null, 'a'), (1.0, 'B'), (2.0, null), ('nan'::double, 'b'), (1.0, 'A')) t(x, s)");
  // Few distinct values (ties everywhere), NULLs and NaN spread through the file.
  await conn.run(`create table bt_ds_2 as select case when range % 17 = 0 then null when range % 101 = 0 then 'nan'::double else (range * 7919 % 50)::double end as x,
    'v' || (range * 31 % 7) as s from range(${BIG_ROWS})`);
});

describe('sorted windows', () => {
  const small = dataset(1, 6, [{ name: 'x', dtype: 'DOUBLE' }, { name: 's', dtype: 'VARCHAR' }]);

  it('keeps ties in file order and puts NaN above numbers and NULLs last, ascending and descending', async () => {
    const reader = createRowsReader(engine, small);
    expect((await reader.window(query({ sort: 'x', dir: 'asc' }))).row_numbers).toEqual([2, 5, 0, 3, 4, 1]);
    expect((await reader.window(query({ sort: 'x', dir: 'desc' }))).row_numbers).toEqual([4, 0, 3, 2, 5, 1]);
    expect((await reader.window(query({ sort: 's', dir: 'desc' }))).row_numbers).toEqual([0, 4, 1, 2, 5, 3]);
    const page = await reader.window(query({ sort: 'x', offset: 1, limit: 3 }));
    expect(page.row_numbers).toEqual([5, 0, 3]);
    expect(page.rows).toEqual([[1, 'A'], [2, 'b'], [2, null]]);
    await reader.dispose(conn);
  });

  it('numbers a searched order the same way, with or without a sort', async () => {
    const reader = createRowsReader(engine, small);
    expect((await reader.window(query({ search: 'b' })))).toMatchObject({ filtered: 3, row_numbers: [0, 2, 4] });
    expect((await reader.window(query({ search: 'b', sort: 'x', dir: 'desc' })))).toMatchObject({ filtered: 3, row_numbers: [4, 0, 2] });
    await reader.dispose(conn);
  });

  it.each(['asc', 'desc'] as const)('gives every window of %s the rows of order by … nulls last, file order', async (dir) => {
    const ds = dataset(2, BIG_ROWS, [{ name: 'x', dtype: 'DOUBLE' }, { name: 's', dtype: 'VARCHAR' }]);
    const reader = createRowsReader(engine, ds);
    for (const offset of [0, 1, 23_529, 122_879, 122_880, 199_950, BIG_ROWS - 150]) {
      const expected = await conn.runAndReadAll(`select rowid from bt_ds_2 order by x ${dir} nulls last, rowid limit 200 offset ${offset}`);
      const w = await reader.window(query({ sort: 'x', dir, offset, limit: 200 }));
      expect(w.row_numbers).toEqual(expected.getRows().map((r) => Number(r[0])));
    }
    await reader.dispose(conn);
  });
});
