// engine/sort-band.ts on a real in-process DuckDB: a sorted window selected from a band (a sample's guess,
// counted exactly) is the window ORDER BY … OFFSET gives, for ties, NaN, -0 and 0, NULLs, text, dates, mostly-NULL
// columns, windows crossing into the NULLs and past the end, both directions; plus the pure decisions.

import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import * as api from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/engine/load.ts';
import { createRowsReader, type RowsQuery } from '../../src/engine/rows.ts';
import { bandHolds, bandSampleIndices, bandSortable, nullWindowSql } from '../../src/engine/sort-band.ts';

/** Rows enough for several of DuckDB's row groups (122,880 rows each) and a sample of a tenth of them. */
const ROWS = 250_000;

let instance: DuckDBInstance;
let conn: DuckDBConnection;
const engine = {
  api,
  withConnection: async <T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> => fn(await instance.connect()),
};

const COLUMNS = [
  { name: 'x', dtype: 'DOUBLE' },
  { name: 's', dtype: 'VARCHAR' },
  { name: 'd', dtype: 'DATE' },
  { name: 'sparse', dtype: 'BIGINT' },
  { name: 'rising', dtype: 'DOUBLE' },
  { name: 'u', dtype: 'DOUBLE' },
];
const ds: Dataset = { id: 7, path: '/d/7.csv', format: 'csv', gzip: false, encoding: 'UTF-8', relation: '"bt_ds_7"', rowExpr: 'rowid', kind: 'table', columns: COLUMNS, rows: ROWS, bytes: 1, loadMs: 1, loadedAt: '' };
const query = (q: Partial<RowsQuery>): RowsQuery => ({ offset: 0, limit: 100, dir: 'asc', ...q });

async function tables(): Promise<string[]> {
  const r = await conn.runAndReadAll("select table_name from duckdb_tables() where table_name like 'bt_ds_7_%' order by all");
  return r.getRows().map((x) => String(x[0]));
}

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:', { threads: '4', dynamic_or_filter_threshold: '1000' });
  conn = await instance.connect();
  // Ties everywhere, NULLs and NaN spread through the file, -0 beside 0, a column clustered in file order and one
  // that is mostly NULL.
  await conn.run(`create table bt_ds_7 as select
      case when range % 17 = 0 then null when range % 101 = 0 then 'nan'::double when range % 13 = 0 then -0.0 else (range * 7919 % 50)::double - 10 end as x,
      case when range % 23 = 0 then null else 'v' || (range * 31 % 700) || case when range % 5 = 0 then 'é' else '' end end as s,
      case when range % 29 = 0 then null else date '2020-01-01' + (range * 7 % 900)::int end as d,
      case when range % 20 = 0 then range * 3 % 1000 else null end as sparse,
      (range // 1000)::double as rising,
      hash(range) % 1000003 / 7.0 as u
    from range(${ROWS})`);
});

afterAll(() => conn?.closeSync());

describe('sorted windows from bands', () => {
  it.each(['asc', 'desc'] as const)('gives every window of %s the rows of order by … nulls last, file order', async (dir) => {
    const reader = createRowsReader(engine, ds, { bandMinRows: 0, prefetchOrder: false });
    for (const { name } of COLUMNS) {
      const order = (await conn.runAndReadAll(`select rowid from bt_ds_7 order by ${name} ${dir} nulls last, rowid`)).getRows().map((r) => Number(r[0]));
      const nonNull = Number((await conn.runAndReadAll(`select count(${name}) from bt_ds_7`)).getRows()[0]![0]);
      const offsets = [0, 23_529, 122_879, nonNull - 150, nonNull, nonNull + 7, ROWS - 150, ROWS + 10];
      for (const offset of offsets.filter((o) => o >= 0)) {
        const w = await reader.window(query({ sort: name, dir, offset, limit: 200 }));
        expect({ name, offset, rows: w.row_numbers }).toEqual({ name, offset, rows: order.slice(offset, offset + 200) });
        expect(w.filtered).toBe(ROWS);
      }
    }
    // Every window came from a band: the whole order was never sorted.
    expect((await tables()).filter((t) => t.includes('_o'))).toEqual([]);
    await reader.dispose(conn);
    expect(await tables()).toEqual([]);
  });

  it('binds the bounds back in the column\'s own type: decimals, huge integers, floats, timestamps with and without a zone', async () => {
    const rows = 30_000;
    await conn.run(`create or replace table bt_ds_8 as select
        case when range % 11 = 0 then null else ((range * 7919 % 5000) / 7)::decimal(18,3) end as dec,
        case when range % 13 = 0 then null else (range * 104729 % 3000)::hugeint * 100000000000000000000 end as big,
        case when range % 17 = 0 then 'nan'::float else (range * 31 % 400)::float / 3 end as f,
        timestamp '2024-01-01' + to_microseconds(range * 7 % 5000 * 1000003) as ts,
        (timestamp '2024-01-01' + to_seconds(range * 13 % 9000))::timestamptz as tz
      from range(${rows})`);
    const columns = [{ name: 'dec', dtype: 'DECIMAL(18,3)' }, { name: 'big', dtype: 'HUGEINT' }, { name: 'f', dtype: 'FLOAT' }, { name: 'ts', dtype: 'TIMESTAMP' }, { name: 'tz', dtype: 'TIMESTAMP WITH TIME ZONE' }];
    const typed: Dataset = { ...ds, id: 8, relation: '"bt_ds_8"', columns, rows };
    const reader = createRowsReader(engine, typed, { bandMinRows: 0, prefetchOrder: false });
    for (const { name } of columns) {
      for (const dir of ['asc', 'desc'] as const) {
        const order = (await conn.runAndReadAll(`select rowid from bt_ds_8 order by ${name} ${dir} nulls last, rowid`)).getRows().map((r) => Number(r[0]));
        for (const offset of [0, 14_950, rows - 120]) {
          const w = await reader.window(query({ sort: name, dir, offset, limit: 200 }));
          expect({ name, dir, offset, rows: w.row_numbers }).toEqual({ name, dir, offset, rows: order.slice(offset, offset + 200) });
        }
      }
    }
    const made = await conn.runAndReadAll("select table_name from duckdb_tables() where table_name like 'bt_ds_8_o%'");
    expect(made.getRows()).toEqual([]); // every window came from a band
    await reader.dispose(conn);
  });

  it('returns the cells of the rows it selected, in order', async () => {
    const reader = createRowsReader(engine, ds, { bandMinRows: 0, prefetchOrder: false });
    const w = await reader.window(query({ sort: 'x', dir: 'desc', offset: 3, limit: 2 }));
    const expected = await conn.runAndReadAll('select x, rowid from bt_ds_7 order by x desc nulls last, rowid limit 2 offset 3');
    expect(w.rows.map((r) => r[0])).toEqual(expected.getRows().map(() => 'NaN'));
    await reader.dispose(conn);
  });

  it('reuses a band for the next windows, and builds the whole order in the background once they pause', async () => {
    const reader = createRowsReader(engine, ds, { bandMinRows: 0 });
    await reader.window(query({ sort: 'u', offset: 1000 }));
    await reader.window(query({ sort: 'u', offset: 1050 })); // inside the first band: no new one
    expect((await tables()).filter((t) => t.includes('_b'))).toHaveLength(1);
    // Once the windows pause, the whole order is built; the bands go at the next window, which reads from it.
    for (let i = 0; i < 200 && !(await tables()).some((t) => t.includes('_o')); i++) await new Promise((r) => setTimeout(r, 50));
    const w = await reader.window(query({ sort: 'u', offset: 200_000 }));
    await new Promise((r) => setTimeout(r, 100));
    expect((await tables()).filter((t) => t.includes('_o'))).toHaveLength(1);
    expect((await tables()).filter((t) => t.includes('_b'))).toHaveLength(0);
    const expected = await conn.runAndReadAll('select rowid from bt_ds_7 order by u nulls last, rowid limit 100 offset 200000');
    expect(w.row_numbers).toEqual(expected.getRows().map((r) => Number(r[0])));
    await reader.dispose(conn);
    expect(await tables()).toEqual([]);
  });

  it('interrupts the background build of a sort when another order is asked for', async () => {
    const reader = createRowsReader(engine, ds, { bandMinRows: 0, prefetchDelayMs: 0 });
    await reader.window(query({ sort: 'x' })); // starts x's whole order in the background
    await new Promise((r) => setTimeout(r, 10));
    await reader.window(query({ sort: 's' })); // interrupts it
    await reader.window(query({ sort: 'd' }));
    await new Promise((r) => setTimeout(r, 500));
    const orders = (await tables()).filter((t) => t.includes('_o'));
    expect(orders.length).toBeLessThanOrEqual(1); // only d's may remain
    await reader.dispose(conn);
    expect(await tables()).toEqual([]);
  });
});

describe('band decisions', () => {
  it('brackets the window in the sample with a margin of the given width', () => {
    const a = bandSampleIndices(500_000, 100, 5_000_000, 20_000, 3);
    expect(a.first).toBeLessThan(2_000);
    expect(a.last).toBeGreaterThan(2_000);
    const b = bandSampleIndices(500_000, 100, 5_000_000, 20_000, 12);
    expect(b.first).toBeLessThan(a.first);
    expect(b.last).toBeGreaterThan(a.last);
    expect(bandSampleIndices(0, 100, 5_000_000, 20_000, 3).first).toBeLessThan(0);
  });

  it('holds a window only when the counted band covers its non-null positions', () => {
    expect(bandHolds({ before: 10, through: 500, nonNull: 1000 }, 10, 100)).toBe(true);
    expect(bandHolds({ before: 11, through: 500, nonNull: 1000 }, 10, 100)).toBe(false);
    expect(bandHolds({ before: 10, through: 109, nonNull: 1000 }, 10, 100)).toBe(false);
    expect(bandHolds({ before: 950, through: 1000, nonNull: 1000 }, 990, 100)).toBe(true); // ends in the NULLs
    expect(bandHolds({ before: 0, through: 0, nonNull: 1000 }, 1000, 100)).toBe(true); // wholly NULLs
  });

  it('reads the NULL part of a window in file order', () => {
    expect(nullWindowSql({ relation: '"t"', rowExpr: 'rowid' }, 'a', 1000, 990, 100)).toBe('select rowid from "t" where "a" is null order by rowid limit 90 offset 0');
    expect(nullWindowSql({ relation: '"t"', rowExpr: 'rowid' }, 'a', 1000, 1050, 100)).toBe('select rowid from "t" where "a" is null order by rowid limit 100 offset 50');
    expect(nullWindowSql({ relation: '"t"', rowExpr: 'rowid' }, 'a', 1000, 800, 100)).toBeUndefined();
  });

  it('selects only on types whose comparisons agree with ORDER BY', () => {
    for (const t of ['DOUBLE', 'BIGINT', 'HUGEINT', 'DECIMAL(18,3)', 'VARCHAR', 'DATE', 'TIMESTAMP', 'TIMESTAMP WITH TIME ZONE']) expect(bandSortable(t)).toBe(true);
    for (const t of ['INTEGER[]', 'STRUCT(a INTEGER)', 'INTERVAL', 'TIME WITH TIME ZONE', 'BOOLEAN', 'BLOB']) expect(bandSortable(t)).toBe(false);
  });
});
