// engine/query-views.ts on a real in-process DuckDB: a session's views are made again only when its tables changed.

import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/engine/load.ts';
import { QueryViews, type QueryTable } from '../../src/engine/query-views.ts';

let conn: DuckDBConnection;

const table = (name: string, id: number, columns: string[]): QueryTable => ({
  name,
  dataset: { id, relation: `"bt_ds_${id}"`, columns: columns.map((c) => ({ name: c, dtype: 'BIGINT' })) } as Dataset,
});

/** The schema's views, by name. */
async function viewsIn(schema: string): Promise<string[]> {
  const r = await conn.runAndReadAll(`select view_name from duckdb_views() where schema_name = '${schema}' order by view_name`);
  return r.getRows().map((row) => String(row[0]));
}

beforeAll(async () => {
  conn = await (await DuckDBInstance.create(':memory:')).connect();
  await conn.run('create table bt_ds_1 as select range as a from range(3)');
  await conn.run('create table bt_ds_2 as select range as b, range * 2 as c from range(5)');
});

describe('QueryViews', () => {
  it('keeps the views while the tables are unchanged, and makes them again when one changes', async () => {
    const views = new QueryViews('bt_q_keep');
    await views.define(conn, [table('sales', 1, ['a'])]);
    // Something the schema would lose if it were made again.
    await conn.run('create view bt_q_keep.marker as select 1');
    await views.define(conn, [table('sales', 1, ['a'])]);
    expect(await viewsIn('bt_q_keep')).toEqual(['marker', 'sales']);
    // The same name now stands for another table: made again, nothing else left in the schema.
    await views.define(conn, [table('sales', 2, ['b', 'c'])]);
    expect(await viewsIn('bt_q_keep')).toEqual(['sales']);
    expect((await conn.runAndReadAll('select count(*), sum(c) from bt_q_keep.sales')).getRowsJson()).toEqual([['5', '20']]);
    await views.define(conn, [table('sales', 2, ['b', 'c']), table('other', 1, ['a'])]);
    expect(await viewsIn('bt_q_keep')).toEqual(['other', 'sales']);
  });

  it('makes them again after a failed attempt left the schema half made', async () => {
    const views = new QueryViews('bt_q_half');
    await views.define(conn, [table('first', 1, ['a'])]);
    // As a cancel would: the schema dropped and only part of the new views made.
    await expect(views.define(conn, [table('other', 2, ['b']), table('broken', 1, ['no_such_column'])])).rejects.toThrow();
    await views.define(conn, [table('first', 1, ['a'])]);
    expect(await viewsIn('bt_q_half')).toEqual(['first']);
  });
});
