// engine/compare.ts on a real in-process DuckDB: key detection, the counts, and the diff table the page shows.

import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareColumns, compositeKeyCandidates, diffColumnName, diffColumnNames, runCompare } from '../../src/engine/compare.ts';
import type { Dataset } from '../../src/engine/load.ts';

let conn: DuckDBConnection;
let nextId = 200;

async function table(id: number, sql: string): Promise<Dataset> {
  await conn.run(`create table bt_ds_${id} as ${sql}`);
  const cols = (await conn.runAndReadAll(`describe bt_ds_${id}`)).getRowObjectsJson().map((r) => ({ name: String(r.column_name), dtype: String(r.column_type) }));
  const rows = Number((await conn.runAndReadAll(`select count(*) from bt_ds_${id}`)).getRows()[0]![0]);
  return { id, path: `/d/${id}.csv`, format: 'csv', gzip: false, encoding: 'UTF-8', relation: `"bt_ds_${id}"`, rowExpr: 'rowid', kind: 'table', columns: cols, rows, bytes: 1, loadMs: 1, loadedAt: '' };
}

let left: Dataset;
let right: Dataset;

beforeAll(async () => {
  conn = await (await DuckDBInstance.create(':memory:')).connect();
  left = await table(1, "select * from (values (1, 'Ann', 10, 'x'), (2, 'Bob', 20, 'y'), (3, 'Cy', 30, 'z'), (4, 'Di', 40, 'w')) t(id, name, score, gone)");
  right = await table(2, "select * from (values (1, 'Ann', 10.0, 1), (2, 'Bobby', 20.0, 2), (3, 'Cy', 31.0, 3), (5, 'Ed', 50.0, 5)) t(id, name, score, added)");
});

describe('compareColumns', () => {
  it('tells shared columns from one-sided ones and type changes', () => {
    const c = compareColumns(left.columns, right.columns);
    expect(c.shared).toEqual(['id', 'name', 'score']);
    expect(c.onlyLeft).toEqual(['gone']);
    expect(c.onlyRight).toEqual(['added']);
    expect(c.typeChanges).toEqual([{ column: 'score', left: 'INTEGER', right: 'DECIMAL(3,1)' }]);
  });
});

describe('runCompare', () => {
  it('detects the key, counts rows on one side and changed cells per column', async () => {
    const { counts, dataset } = await runCompare(conn, { id: nextId++, left, right });
    expect(counts).toMatchObject({ keys: ['id'], keys_detected: true, only_in_left: 1, only_in_right: 1, changed_rows: 2, changed_by_column: { name: 1, score: 1 } });
    expect(dataset.rows).toBe(4);
    const rows = (await conn.runAndReadAll(`select * from ${dataset.relation} order by rowid`)).getRowsJson();
    expect(rows).toEqual([
      ['only in left', 4, 'Di', '40', []],
      ['only in right', 5, 'Ed', '50.0', []],
      ['changed', 2, 'Bob → Bobby', '20', ['name']],
      ['changed', 3, 'Cy', '30 → 31.0', ['score']],
    ]);
  });
  it('uses the keys given, and refuses keys that are missing or not unique', async () => {
    expect((await runCompare(conn, { id: nextId++, left, right, keys: ['name'] })).counts).toMatchObject({ keys: ['name'], keys_detected: false, only_in_left: 2, only_in_right: 2 });
    await expect(runCompare(conn, { id: nextId++, left, right, keys: ['nope'] })).rejects.toMatchObject({ code: 'E_UNKNOWN_COLUMN' });
    const dup = await table(3, "select * from (values (1, 'a'), (1, 'b')) t(id, name)");
    await expect(runCompare(conn, { id: nextId++, left: dup, right, keys: ['id'] })).rejects.toMatchObject({ code: 'E_KEYS_NOT_UNIQUE' });
    const same = await table(4, "select * from (values (1, 'a'), (1, 'a')) t(id, name)");
    await expect(runCompare(conn, { id: nextId++, left: same, right: same })).rejects.toMatchObject({ code: 'E_NO_KEY' });
  });
});

describe('key detection', () => {
  it('takes a column unique whether or not it ascends in the file, never one with a repeat or a null', async () => {
    const detect = async (sql: string): Promise<string[]> => {
      const ds = await table(nextId++, sql);
      return (await runCompare(conn, { id: nextId++, left: ds, right: ds })).counts.keys;
    };
    // Ascending with a repeat, then unique but unordered.
    expect(await detect('select * from (values (1, 4), (2, 1), (2, 3), (3, 2)) t(a, b)')).toEqual(['b']);
    // Ascending with a null.
    expect(await detect('select * from (values (1, 10), (null, 20), (3, 30), (4, 40)) t(a, b)')).toEqual(['b']);
    // Ascending, one row, text.
    expect(await detect("select * from (values ('a', 1), ('b', 1), ('c', 2)) t(k, n)")).toEqual(['k']);
    expect(await detect('select 7 as a, 1 as b')).toEqual(['a']);
    const dup = await table(nextId++, 'select * from (values (1), (1), (2)) t(id)');
    await expect(runCompare(conn, { id: nextId++, left: dup, right: dup, keys: ['id'] })).rejects.toMatchObject({ code: 'E_KEYS_NOT_UNIQUE', message: expect.stringMatching(/1 rows share a key/) });
  });
});

describe('composite keys', () => {
  it('tries pairs, then triples, of the leading columns, in column order', () => {
    expect(compositeKeyCandidates(['a', 'b', 'c'])).toEqual([['a', 'b'], ['a', 'c'], ['b', 'c'], ['a', 'b', 'c']]);
    expect(compositeKeyCandidates(['a'])).toEqual([]);
    expect(compositeKeyCandidates(['a', 'b', 'c', 'd', 'e', 'f']).flat()).not.toContain('f');
  });

  it('detects two columns together when no single column is unique, and names them', async () => {
    const l = await table(10, "select * from (values ('2024', 'Oslo', 1), ('2024', 'Rome', 1), ('2025', 'Oslo', 3)) t(year, city, n)");
    const r = await table(11, "select * from (values ('2024', 'Oslo', 1), ('2024', 'Rome', 5), ('2025', 'Lima', 1)) t(year, city, n)");
    const { counts } = await runCompare(conn, { id: nextId++, left: l, right: r });
    expect(counts).toMatchObject({ keys: ['year', 'city'], keys_detected: true, only_in_left: 1, only_in_right: 1, changed_rows: 1, changed_by_column: { n: 1 } });
  });
});

describe('the diff\'s own columns', () => {
  it('take names no file column has', () => {
    expect(diffColumnName('change', new Set(['id']))).toBe('change');
    expect(diffColumnName('change', new Set(['Change']))).toBe('diff_change');
    expect(diffColumnName('change', new Set(['change', 'diff_change']))).toBe('diff_change_2');
    const cols = (...names: string[]) => names.map((name) => ({ name, dtype: 'VARCHAR' }));
    expect(diffColumnNames(cols('change', 'changed_columns'), cols('__bt_in'))).toEqual({ change: 'diff_change', changed: 'diff_changed_columns', marker: 'diff___bt_in' });
  });

  it('keep a file\'s own change and changed_columns columns apart in the diff and its counts', async () => {
    const l = await table(12, "select * from (values (1, 'new', 'a'), (2, 'old', 'b'), (3, 'x', 'c')) t(id, change, changed_columns)");
    const r = await table(13, "select * from (values (1, 'new', 'a'), (2, 'older', 'b'), (4, 'y', 'd')) t(id, change, changed_columns)");
    const { counts, dataset } = await runCompare(conn, { id: nextId++, left: l, right: r });
    expect(counts).toMatchObject({ keys: ['id'], only_in_left: 1, only_in_right: 1, changed_rows: 1, changed_by_column: { change: 1, changed_columns: 0 } });
    expect(dataset.columns.map((c) => c.name)).toEqual(['diff_change', 'id', 'change', 'changed_columns', 'diff_changed_columns']);
    const rows = (await conn.runAndReadAll(`select * from ${dataset.relation} order by rowid`)).getRowsJson();
    expect(rows).toEqual([
      ['only in left', 3, 'x', 'c', []],
      ['only in right', 4, 'y', 'd', []],
      ['changed', 2, 'old → older', 'b', ['change']],
    ]);
  });
});
