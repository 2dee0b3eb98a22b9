// Runs query_data's SQL into a dataset: the session's tables as views in a schema of the session's own (so the
// SQL names `sales`, never our internal tables), the guard, then CREATE TABLE AS, so the result is a dataset
// like a loaded file and the page's rows, sort, search and stats work on it unchanged.

import type { DuckDBConnection } from '@duckdb/node-api';
import { EngineError, firstLines } from './errors.ts';
import { ROW_COLUMN, type ColumnInfo, type Dataset } from './load.ts';
import { ALLOWED_QUERY_KINDS, guardQuery, refused } from './query-guard.ts';
import { withoutTerminator } from './query-text.ts';
import type { QueryTable, QueryViews } from './query-views.ts';
import { quoteIdent, quoteString } from './sql.ts';
import { startStepTimer } from './step-timer.ts';

/** How long a query may run before DuckDB is interrupted (the agent can narrow it and ask again). */
export const QUERY_TIMEOUT_MS = 30_000;

export type { QueryTable } from './query-views.ts';

export interface QueryOptions {
  id: number;
  sql: string;
  /** The session's schema of table views (`bt_q_<n>`), made again only when its tables changed. */
  views: QueryViews;
  tables: readonly QueryTable[];
  timeoutMs?: number;
  /** Where the query's time went, step by step (ms): the log says why a query was slow. */
  onSteps?: (steps: Record<string, number>) => void;
}

/** Our schema and table names, kept out of DuckDB's messages (the agent must never see or use them). */
export function scrubQueryMessage(message: string): string {
  return message
    .replace(/"?bt_q_\d+"?\./g, '')
    .replace(/"?memory"?\."?main"?\./g, '')
    .replace(/"?main"?\."?bt_ds_\d+(_o\d+)?"?/g, 'the result')
    .replace(/"?bt_ds_\d+(_o\d+)?"?/g, 'the result');
}

/** DuckDB's error as the agent should read it: its message with the position (LINE n + caret), our names removed. */
export function sqlError(err: unknown): EngineError {
  const message = scrubQueryMessage((err as Error).message ?? String(err)).trim();
  return new EngineError('E_SQL_ERROR', message, 'Fix the SQL and call query_data again; DESCRIBE <table> lists a table\'s columns.');
}

function timeoutError(timeoutMs: number): EngineError {
  return new EngineError('E_QUERY_TIMEOUT', `The query ran longer than ${timeoutMs / 1000} s and was stopped.`, 'Narrow it (filter, aggregate, LIMIT) and call query_data again.');
}

export async function runQueryDataset(conn: DuckDBConnection, o: QueryOptions): Promise<Dataset> {
  const t0 = performance.now();
  const { steps, step } = startStepTimer();
  const names = o.tables.map((t) => t.name);
  await o.views.define(conn, o.tables);
  step('views_ms');
  const verdict = await guardQuery(conn, o.sql, names);
  step('guard_ms');
  const relation = quoteIdent(`bt_ds_${o.id}`);
  const timeoutMs = o.timeoutMs ?? QUERY_TIMEOUT_MS;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    conn.interrupt();
  }, timeoutMs);
  await conn.run(`set search_path = ${quoteString(o.views.schema)}`);
  let count: number | undefined;
  try {
    // Prepared alone first: DuckDB's binder errors then quote the agent's SQL with the caret at the right place.
    let prepared;
    try {
      prepared = await verdict.statements.prepare(0);
    } catch (err) {
      throw timedOut ? timeoutError(timeoutMs) : sqlError(err);
    }
    const { StatementType } = await import('@duckdb/node-api');
    if (prepared.statementType !== StatementType.SELECT) {
      throw refused(`query_data runs ${ALLOWED_QUERY_KINDS}; DuckDB prepared this as ${StatementType[prepared.statementType]}.`, names);
    }
    prepared.destroySync();
    step('prepare_ms');
    // Without its trailing `;` and comments: `DESCRIBE t; -- why` must still fit inside the wrapper. The new
    // line ends a trailing comment that is left (no `;` before it) before the wrapper's `)`.
    const sql = withoutTerminator(o.sql);
    const body = verdict.showStatement ? `select * from (\n${sql}\n)` : `${sql}\n`;
    try {
      const r = await conn.runAndReadAll(`create table main.${relation} as ${body}`);
      const n = r.getRows()[0]?.[0];
      count = typeof n === 'bigint' || typeof n === 'number' ? Number(n) : undefined;
      step('run_ms');
    } catch (err) {
      if (timedOut) throw timeoutError(timeoutMs);
      // Run-time errors quote our CREATE TABLE wrapper, not the agent's SQL: keep DuckDB's sentence only.
      const sentence = (err as Error).message
        .split('\n')
        .filter((l) => !/^\s*LINE \d+:/.test(l) && !/^\s*\^\s*$/.test(l))
        .join('\n');
      throw new EngineError('E_SQL_ERROR', firstLines(scrubQueryMessage(sentence), 2), 'Fix the SQL and call query_data again.');
    }
  } finally {
    clearTimeout(timer);
    await conn.run('reset search_path').catch(() => {});
  }
  try {
    const columns = await resultColumns(conn, relation);
    let rowExpr = 'rowid';
    if (columns.some((c) => c.name.toLowerCase() === 'rowid')) {
      // A result column named rowid shadows DuckDB's pseudo-column (in UPDATE too): step it aside while our
      // own column takes the row's position, in result order.
      const own = quoteIdent(ROW_COLUMN);
      const aside = quoteIdent(`${ROW_COLUMN}_aside`);
      const userRowid = columns.find((c) => c.name.toLowerCase() === 'rowid')!.name;
      await conn.run(`alter table main.${relation} rename column ${quoteIdent(userRowid)} to ${aside}`);
      await conn.run(`alter table main.${relation} add column ${own} bigint`);
      await conn.run(`update main.${relation} set ${own} = rowid`);
      await conn.run(`alter table main.${relation} rename column ${aside} to ${quoteIdent(userRowid)}`);
      rowExpr = own;
    }
    const rows = count ?? Number((await conn.runAndReadAll(`select count(*)::bigint from main.${relation}`)).getRows()[0]?.[0] ?? 0);
    step('columns_ms');
    o.onSteps?.(steps);
    return {
      id: o.id,
      path: o.sql,
      format: 'query',
      gzip: false,
      encoding: 'UTF-8',
      relation,
      rowExpr,
      kind: 'table',
      columns,
      rows,
      bytes: 0,
      loadMs: performance.now() - t0,
      loadedAt: new Date().toISOString(),
      sql: o.sql,
    };
  } catch (err) {
    await conn.run(`drop table if exists main.${relation}`).catch(() => {});
    throw err;
  }
}

async function resultColumns(conn: DuckDBConnection, relation: string): Promise<ColumnInfo[]> {
  const r = await conn.runAndReadAll(`describe main.${relation}`);
  const columns = r.getRowObjectsJson().map((row) => ({ name: String(row.column_name), dtype: String(row.column_type) }));
  if (columns.some((c) => c.name === ROW_COLUMN)) {
    throw new EngineError('E_SQL_ERROR', `The result has a column named ${ROW_COLUMN}, which buckaroo-table uses itself.`, 'Rename that column with AS.');
  }
  return columns;
}
