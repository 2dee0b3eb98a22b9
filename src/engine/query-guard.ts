// Decides whether query_data may run a piece of SQL, from DuckDB's own parse of it: one statement, a query
// (only SELECT-shaped statements serialise with json_serialize_sql), reading only the session's tables.
//
// Why not `enable_external_access=false`: it is instance-wide and one-way (measured on 1.5.6: set on one
// connection, read_csv on every other connection failed; `allowed_paths` cannot change once it is off), and the
// same instance must keep loading whatever file the agent names. So reads are confined here, before DuckDB binds
// anything (binding read_csv already opens the file), and the prepared statement's type is checked again after.

import type { DuckDBConnection, DuckDBExtractedStatements } from '@duckdb/node-api';
import { EngineError } from './errors.ts';

/** Table functions that read nothing but their arguments. Everything else (read_csv, query, glob…) is refused. */
const ALLOWED_TABLE_FUNCTIONS = new Set(['range', 'generate_series', 'unnest']);
/** Scalar functions that would tell the agent about the server rather than the data (its paths, its settings). */
const REFUSED_FUNCTIONS = new Set(['current_setting']);
/** json_serialize_sql's "no location" sentinel (2^64-1) and anything a double cannot hold exactly. */
const MAX_LOCATION = Number.MAX_SAFE_INTEGER;

export const ALLOWED_QUERY_KINDS = 'one read-only query: SELECT, WITH … SELECT, FROM …, VALUES, DESCRIBE, SUMMARIZE, PIVOT … ON col IN (…), UNPIVOT';

/** What the guard found: the statement is a DESCRIBE/SUMMARIZE (DuckDB's CREATE TABLE AS takes those only as a subquery). */
export interface GuardVerdict {
  showStatement: boolean;
}

/** The verdict and DuckDB's parse of the one statement, for the caller to prepare (no second parse). */
export interface GuardedQuery extends GuardVerdict {
  statements: DuckDBExtractedStatements;
}

/** The tables a refusal lists, and the way out. */
function tablesHint(tables: readonly string[]): string {
  const list = tables.length > 0 ? `Tables loaded in this session: ${tables.join(', ')}.` : 'No file is loaded in this session yet.';
  return `${list} Load another file with view_data first; it then appears here as a table named after the file.`;
}

export function refused(message: string, tables: readonly string[]): EngineError {
  return new EngineError('E_QUERY_REFUSED', message, tablesHint(tables));
}

/** Throws E_QUERY_REFUSED unless `sql` is one query over `tables` (and its own CTEs). */
export async function guardQuery(conn: DuckDBConnection, sql: string, tables: readonly string[]): Promise<GuardedQuery> {
  if (sql.trim() === '') throw refused(`The SQL is empty; query_data runs ${ALLOWED_QUERY_KINDS}.`, tables);
  let statements: DuckDBExtractedStatements | undefined;
  try {
    statements = await conn.extractStatements(sql);
  } catch {
    // a parse error: json_serialize_sql below reports it with DuckDB's words
  }
  if (statements && statements.count > 1) throw refused(`The SQL holds ${statements.count} statements; query_data runs ${ALLOWED_QUERY_KINDS}.`, tables);
  const reader = await conn.runAndReadAll('select json_serialize_sql($1::varchar)', [sql]);
  const ast = JSON.parse(String(reader.getRows()[0]?.[0])) as unknown;
  const verdict = checkParsedQuery(ast, tables);
  // json_serialize_sql parsed what extractStatements could not: not expected, but never run unchecked SQL.
  if (!statements || statements.count !== 1) throw refused(`query_data runs ${ALLOWED_QUERY_KINDS}.`, tables);
  return { ...verdict, statements };
}

interface SerializedSql {
  error: boolean;
  error_type?: string;
  error_message?: string;
  statements?: unknown[];
}

/** The pure half: a verdict from json_serialize_sql's answer. */
export function checkParsedQuery(parsed: unknown, tables: readonly string[]): GuardVerdict {
  const p = parsed as SerializedSql;
  if (p.error) {
    if (p.error_type === 'parser') throw new EngineError('E_SQL_ERROR', `DuckDB could not parse the SQL: ${p.error_message ?? 'syntax error'}`, 'Check the SQL near the position named.');
    throw refused(`query_data runs ${ALLOWED_QUERY_KINDS}; statements that change data or settings or reach outside the loaded tables (COPY, ATTACH, INSTALL/LOAD, SET/PRAGMA, CREATE/INSERT/UPDATE/DELETE, EXPORT, CALL) are refused.`, tables);
  }
  const statements = p.statements ?? [];
  if (statements.length !== 1) throw refused(`query_data runs ${ALLOWED_QUERY_KINDS}.`, tables);
  const allowed = new Set(tables.map((t) => t.toLowerCase()));
  collectCteNames(statements[0], allowed);
  visit(statements[0], (node) => checkNode(node, allowed, tables));
  const root = (statements[0] as { node?: { from_table?: { type?: string } } }).node;
  return { showStatement: root?.from_table?.type === 'SHOW_REF' };
}

type Node = Record<string, unknown>;

function visit(value: unknown, fn: (node: Node) => void): void {
  if (Array.isArray(value)) for (const v of value) visit(v, fn);
  else if (value !== null && typeof value === 'object') {
    fn(value as Node);
    for (const v of Object.values(value)) visit(v, fn);
  }
}

/** Names the query defines itself (WITH x AS …) may be read like tables, wherever they are defined. */
function collectCteNames(statement: unknown, into: Set<string>): void {
  visit(statement, (node) => {
    const map = (node.cte_map as { map?: { key?: unknown }[] } | undefined)?.map;
    if (Array.isArray(map)) for (const entry of map) if (typeof entry.key === 'string') into.add(entry.key.toLowerCase());
  });
}

function at(node: Node): string {
  const loc = node.query_location;
  return typeof loc === 'number' && loc < MAX_LOCATION ? ` (at character ${loc + 1})` : '';
}

function checkNode(node: Node, allowed: ReadonlySet<string>, tables: readonly string[]): void {
  switch (node.type) {
    case 'BASE_TABLE': {
      const name = String(node.table_name ?? '');
      const qualified = [node.catalog_name, node.schema_name].some((s) => typeof s === 'string' && s !== '');
      if (qualified || !allowed.has(name.toLowerCase())) {
        const full = [node.catalog_name, node.schema_name, name].filter((s) => typeof s === 'string' && s !== '').join('.');
        throw refused(`${JSON.stringify(full)} is not a table loaded in this session${at(node)}; query_data reads only loaded files, by their table names.`, tables);
      }
      return;
    }
    case 'TABLE_FUNCTION': {
      const fn = node.function as Node | undefined;
      const name = String(fn?.function_name ?? '');
      const qualified = [fn?.catalog, fn?.schema].some((s) => typeof s === 'string' && s !== '');
      if (qualified || !ALLOWED_TABLE_FUNCTIONS.has(name.toLowerCase())) {
        throw refused(`${name}(…) reads outside the loaded tables${at(node)}; query_data reads only loaded files (table functions allowed: ${[...ALLOWED_TABLE_FUNCTIONS].join(', ')}).`, tables);
      }
      return;
    }
    case 'SHOW_REF':
      // DESCRIBE/SUMMARIZE <query> carry the query (checked as it is visited); SHOW TABLES and the like name a
      // catalog listing instead, which would show more than this session's tables.
      if (typeof node.table_name === 'string' && node.table_name !== '') {
        throw refused(`SHOW lists DuckDB's catalog, not this session's tables; use DESCRIBE <table> or SUMMARIZE <table>.`, tables);
      }
      return;
    case 'FUNCTION':
      if (typeof node.function_name === 'string' && REFUSED_FUNCTIONS.has(node.function_name.toLowerCase())) {
        throw refused(`${node.function_name}() describes the server, not the data${at(node)}.`, tables);
      }
      return;
  }
}
