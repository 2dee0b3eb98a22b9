// engine/query.ts and query-guard.ts on a real in-process DuckDB: what query_data runs, what it refuses (and
// that the refusal happens before DuckDB touches a file), and how DuckDB's errors read without our names.

import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/engine/load.ts';
import { runQueryDataset } from '../../src/engine/query.ts';
import { QueryViews } from '../../src/engine/query-views.ts';
import { EngineError } from '../../src/engine/errors.ts';

let conn: DuckDBConnection;
let sales: Dataset;
let nextId = 100;
const views = new QueryViews('bt_q_1');

beforeAll(async () => {
  conn = await (await DuckDBInstance.create(':memory:')).connect();
  await conn.run(`create table bt_ds_1 as select range as id, ['Oslo','Rome','Lima'][range % 3 + 1] as city, (range * 1.5)::decimal(10,2) as amount from range(10)`);
  sales = {
    id: 1, path: '/d/sales.csv', format: 'csv', gzip: false, encoding: 'UTF-8', relation: '"bt_ds_1"', rowExpr: 'rowid', kind: 'table',
    columns: [{ name: 'id', dtype: 'BIGINT' }, { name: 'city', dtype: 'VARCHAR' }, { name: 'amount', dtype: 'DECIMAL(10,2)' }],
    rows: 10, bytes: 1, loadMs: 1, loadedAt: '',
  };
});

async function query(sql: string): Promise<Dataset> {
  return runQueryDataset(conn, { id: nextId++, sql, views, tables: [{ name: 'sales', dataset: sales }] });
}

async function failure(sql: string): Promise<EngineError> {
  try {
    await query(sql);
  } catch (err) {
    if (err instanceof EngineError) return err;
    throw err;
  }
  throw new Error(`expected ${sql} to fail`);
}


describe('runQueryDataset', () => {
  it('runs a query over a table named after the file, into a dataset in result order', async () => {
    const ds = await query('select city, count(*) as n from sales group by city order by n desc, city');
    expect(ds.rows).toBe(3);
    expect(ds.columns).toEqual([{ name: 'city', dtype: 'VARCHAR' }, { name: 'n', dtype: 'BIGINT' }]);
    expect(ds.sql).toContain('group by city');
    expect((await conn.runAndReadAll(`select city from main.${ds.relation} order by rowid`)).getRowsJson()).toEqual([['Oslo'], ['Lima'], ['Rome']]);
  });
  it('runs CTEs, VALUES, FROM-first, DESCRIBE, SUMMARIZE, PIVOT with IN and a trailing semicolon', async () => {
    expect((await query('with x as (select * from sales where id < 4) select count(*) from x')).rows).toBe(1);
    expect((await query('values (1, 2), (3, 4)')).rows).toBe(2);
    expect((await query('from sales where city = \'Rome\';')).rows).toBe(3);
    expect((await query('describe sales')).rows).toBe(3);
    expect((await query('summarize sales')).rows).toBe(3);
    expect((await query("pivot sales on city in ('Oslo', 'Rome') using sum(amount)")).rows).toBeGreaterThan(0);
    expect((await query('select * from range(5) r, sales where r.range = sales.id')).rows).toBe(5);
  });
  it('numbers the rows itself when the result has a column named rowid', async () => {
    const ds = await query('select id as rowid, city from sales order by id desc');
    expect(ds.rowExpr).toBe('"__buckaroo_row"');
    expect((await conn.runAndReadAll(`select rowid from main.${ds.relation} order by "__buckaroo_row" limit 2`)).getRowsJson()).toEqual([['9'], ['8']]);
  });
  it('refuses statements that are not queries, saying what is allowed', async () => {
    for (const sql of ["copy sales to '/tmp/x.csv'", "attach ':memory:' as x", 'install httpfs', 'load json', 'set threads = 1', 'pragma version', 'create table z (a int)', 'insert into bt_ds_1 values (1, 2, 3)', 'drop table bt_ds_1', "export database '/tmp/x'", 'call pragma_version()', 'select 1; select 2']) {
      const e = await failure(sql);
      expect(e.code, sql).toBe('E_QUERY_REFUSED');
      expect(e.message, sql).toMatch(/read-only query: SELECT/);
      expect(e.hint, sql).toMatch(/Tables loaded in this session: sales\. Load another file with view_data/);
    }
    expect((await conn.runAndReadAll('select count(*) from bt_ds_1')).getRowsJson()).toEqual([['10']]);
  });
  it('refuses reading files, other tables and the catalog before DuckDB opens anything', async () => {
    const secret = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bt-guard-')), 'secret.csv');
    fs.writeFileSync(secret, 'a\n1\n');
    fs.chmodSync(secret, 0o000); // were it opened, DuckDB would say "Permission denied"
    for (const sql of [`select * from read_csv('${secret}')`, `select * from '${secret}'`, "select * from query('select 1')", 'select * from bt_ds_1', 'select * from main.sales', 'select * from duckdb_settings()', 'show tables', "select current_setting('temp_directory')", 'select * from sales where id in (select id from bt_ds_1)']) {
      const e = await failure(sql);
      expect(e.code, sql).toBe('E_QUERY_REFUSED');
      expect(e.message, sql).not.toMatch(/Permission denied/);
    }
    expect((await failure(`select * from read_csv('${secret}')`)).message).toMatch(/read_csv\(…\) reads outside the loaded tables \(at character 15\)/);
    expect((await failure('select * from bt_ds_1')).message).toMatch(/"bt_ds_1" is not a table loaded in this session/);
  });
  it('shows DuckDB\'s own message with the position, without internal names', async () => {
    const e = await failure('select nosuch from sales');
    expect(e.code).toBe('E_SQL_ERROR');
    expect(e.message).toMatch(/nosuch/);
    expect(e.message).toMatch(/LINE 1: select nosuch from sales\n\s+\^/);
    expect(e.message).not.toMatch(/bt_q_|bt_ds_/);
    const parse = await failure('selec 1');
    expect(parse.code).toBe('E_SQL_ERROR');
    expect(parse.message).toMatch(/syntax error at or near "selec"/);
    const runtime = await failure("select city::int from sales");
    expect(runtime.code).toBe('E_SQL_ERROR');
    expect(runtime.message).toMatch(/Conversion Error/);
    expect(runtime.message).not.toMatch(/bt_q_|bt_ds_|create table/i);
  });
  it('stops a query past its timeout with a named error', async () => {
    await expect(runQueryDataset(conn, { id: nextId++, sql: 'select count(*) from range(1000000000000) a', views, tables: [], timeoutMs: 200 })).rejects.toMatchObject({ code: 'E_QUERY_TIMEOUT' });
    expect((await query('select 1')).rows).toBe(1); // the connection still works
  });
});
