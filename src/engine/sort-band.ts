// A sorted window without sorting every row: an exact selection. A sample of the sort column guesses two values
// bracketing the window's positions; one scan counts exactly the rows before the first and through the last; if
// the window falls between, only the rows between the two values (the band) are sorted, into a small table
// whose rowid + `start` is the position. DuckDB's comparisons agree with its ORDER BY (NaN equals itself and is
// above every number, -0 equals 0, text compares bytewise), so the band holds exactly the positions counted.
// NULLs are the last positions either way, in file order, and are read apart (nullWindowSql).

import type { DuckDBConnection, DuckDBType, DuckDBValue } from '@duckdb/node-api';
import { dtypeFamily } from '../contract/dtype.ts';
import type { Dataset } from './load.ts';
import { quoteIdent } from './sql.ts';

/** Rows sampled to guess the band's bounds: their cost is one scan of the column; more narrow the band. */
export const BAND_SAMPLE_ROWS = 10_000;
/** Standard deviations of the sample's rank error each side of the window; a second try widens it 4×. */
const BAND_MARGIN_SIGMAS = 4;
const BAND_RETRY_WIDEN = 4;
export const BAND_ATTEMPTS = 2;

export interface SortKey {
  column: string;
  dir: 'asc' | 'desc';
}

/** Band positions [start, start + rows) of the non-null rows, sorted into `table` (rowid 0 = position start). */
export interface SortBand {
  table: string;
  start: number;
  rows: number;
}

export interface BandResult {
  /** Rows whose sort value is not NULL: they take positions [0, nonNull), the NULLs the rest. */
  nonNull: number;
  /** Absent when the window lies wholly among the NULLs. */
  band?: SortBand;
}

/**
 * Columns whose comparisons are known to agree with ORDER BY; others (nested values, intervals, times with a
 * zone, enums…) are sorted whole.
 */
export function bandSortable(dtype: string): boolean {
  const f = dtypeFamily(dtype);
  if (f === 'integer' || f === 'float' || f === 'decimal' || f === 'text') return true;
  return f === 'temporal' && !/^(TIME WITH TIME ZONE|TIMETZ)$/i.test(dtype);
}

/**
 * Indices into the sorted non-null sample whose values bracket positions [offset, offset + limit): a sample of
 * `sampled` of `rows` rows holds about offset × sampled / rows values before the window. Undefined `first`: no
 * lower bound (from the first row); undefined `last`: no upper bound (to the last non-null row).
 */
export function bandSampleIndices(offset: number, limit: number, rows: number, sampled: number, attempt: number): { first?: number; last?: number } {
  const f = sampled / rows;
  const spread = (pos: number): number => BAND_MARGIN_SIGMAS * BAND_RETRY_WIDEN ** attempt * Math.sqrt(Math.max(1, pos * f * (1 - f)));
  const first = Math.floor(offset * f - spread(offset)) - 1;
  const last = Math.ceil((offset + limit) * f + spread(offset + limit)) + 1;
  return { first: first >= 0 ? first : undefined, last };
}

/** Whether the counted band holds every non-null position of the window. */
export function bandHolds(c: { before: number; through: number; nonNull: number }, offset: number, limit: number): boolean {
  if (offset >= c.nonNull) return true;
  return c.before <= offset && Math.min(offset + limit, c.nonNull) <= c.through;
}

/** Rows of the window [offset, offset + limit) among the NULLs (positions from nonNull on), in file order. */
export function nullWindowSql(ds: Pick<Dataset, 'relation' | 'rowExpr'>, column: string, nonNull: number, offset: number, limit: number): string | undefined {
  const from = Math.max(offset, nonNull);
  const to = offset + limit;
  if (to <= from) return undefined;
  return `select ${ds.rowExpr} from ${ds.relation} where ${quoteIdent(column)} is null order by ${ds.rowExpr} limit ${to - from} offset ${from - nonNull}`;
}

/**
 * Tries up to BAND_ATTEMPTS samples; undefined when none bracketed the window (then the caller sorts every
 * row). `table` names the band's table, created only on success.
 */
export async function selectSortBand(conn: DuckDBConnection, ds: Pick<Dataset, 'relation' | 'rowExpr' | 'rows'>, key: SortKey, offset: number, limit: number, table: string): Promise<BandResult | undefined> {
  const q = quoteIdent(key.column);
  const sampled = Math.min(BAND_SAMPLE_ROWS, ds.rows);
  const [before, after] = key.dir === 'asc' ? ['<', '>'] : ['>', '<'];
  for (let attempt = 0; attempt < BAND_ATTEMPTS; attempt++) {
    const idx = bandSampleIndices(offset, limit, ds.rows, sampled, attempt);
    const bounds = await sampleBounds(conn, ds.relation, q, key.dir, sampled, idx);
    const counts: string[] = [];
    const values: DuckDBValue[] = [];
    const types: DuckDBType[] = [];
    if (bounds.first) {
      counts.push(`count(*) filter (${q} ${before} $${values.length + 1})`);
      values.push(bounds.first.value);
      types.push(bounds.type);
    }
    if (bounds.last) {
      counts.push(`count(*) filter (${q} ${before}= $${values.length + 1})`);
      values.push(bounds.last.value);
      types.push(bounds.type);
    }
    const r = await conn.runAndReadAll(`select ${[...counts, `count(${q})`].map((c) => `(${c})::bigint`).join(', ')} from ${ds.relation}`, values, types);
    const cells = (r.getRows()[0] ?? []).map((v) => Number(v));
    const nonNull = cells[cells.length - 1] ?? 0;
    const c = { before: bounds.first ? cells[0]! : 0, through: bounds.last ? cells[bounds.first ? 1 : 0]! : nonNull, nonNull };
    if (!bandHolds(c, offset, limit)) continue;
    if (offset >= nonNull) return { nonNull };
    const where = [`${q} is not null`];
    if (bounds.first) where.push(`${q} ${after}= $1`);
    if (bounds.last) where.push(`${q} ${before}= $${bounds.first ? 2 : 1}`);
    await conn.run(`create table ${table} as select ${ds.rowExpr} as r from ${ds.relation} where ${where.join(' and ')} order by ${q} ${key.dir}, ${ds.rowExpr}`, values, types);
    return { nonNull, band: { table, start: c.before, rows: c.through - c.before } };
  }
  return undefined;
}

interface Bound {
  value: DuckDBValue;
}

/** The sample's values at the two indices (in `dir` order); `last` falls back to none past the sample's end. */
async function sampleBounds(
  conn: DuckDBConnection,
  relation: string,
  q: string,
  dir: 'asc' | 'desc',
  sampled: number,
  idx: { first?: number; last?: number },
): Promise<{ first?: Bound; last?: Bound; type: DuckDBType }> {
  const wanted = [idx.first ?? -1, idx.last ?? -1];
  // The sample is taken from the table before NULLs are dropped, so its share of rows holds for the non-null ones.
  const r = await conn.runAndReadAll(
    `select i, v, n from (select v, row_number() over (order by v ${dir}) - 1 as i, count(*) over () as n
       from (select ${q} as v from ${relation} tablesample reservoir(${sampled} rows)) where v is not null)
     where i = ${wanted[0]} or i = ${wanted[1]} or i = n - 1 order by i`,
  );
  const rows = r.getRows();
  const type = r.columnType(1);
  const at = (i: number): Bound | undefined => {
    const row = rows.find((x) => Number(x[0]) === i);
    return row ? { value: row[1] ?? null } : undefined;
  };
  const lastRow = rows[rows.length - 1];
  const n = lastRow ? Number(lastRow[2]) : 0;
  // A first index past the sample's end: the sample's largest value still bounds the band from below.
  const first = idx.first === undefined ? undefined : idx.first < n ? at(idx.first) : lastRow ? { value: lastRow[1] ?? null } : undefined;
  const last = idx.last === undefined || idx.last >= n ? undefined : at(idx.last);
  return { first, last, type };
}
