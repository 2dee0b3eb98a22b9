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

/**
 * How each try samples the sort column. The first reads about `rows` rows as whole vectors (2,048 rows each,
 * picked at random): nearly free (a reservoir of 100,000 rows cost more than the count scan), and tight for a
 * column whose values are spread through the file. A column ordered like the file (the dates of a log) fools
 * it, its vectors being runs of near values; the second try samples rows from the whole column (one scan) with
 * a margin four times wider.
 */
const SAMPLES = [
  { rows: 50_000, system: true, sigmas: 3 },
  { rows: 5_000, system: false, sigmas: 12 },
] as const;

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
 * `sampled` of `rows` rows (NULLs included) holds about offset × sampled / rows values before the window, give
 * or take `sigmas` standard deviations. `first` below 0: no lower bound (from the first row); `last` past the
 * sample's non-null values: no upper bound (to the last non-null row).
 */
export function bandSampleIndices(offset: number, limit: number, rows: number, sampled: number, sigmas: number): { first: number; last: number } {
  const f = sampled / rows;
  const spread = (pos: number): number => sigmas * Math.sqrt(Math.max(1, pos * f * (1 - f)));
  return { first: Math.floor(offset * f - spread(offset)) - 1, last: Math.ceil((offset + limit) * f + spread(offset + limit)) + 1 };
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
 * Tries each of SAMPLES; undefined when none bracketed the window (then the caller sorts every row). `table`
 * names the band's table, created only on success.
 */
export async function selectSortBand(conn: DuckDBConnection, ds: Pick<Dataset, 'relation' | 'rowExpr' | 'rows'>, key: SortKey, offset: number, limit: number, table: string): Promise<BandResult | undefined> {
  const q = quoteIdent(key.column);
  const [before, after] = key.dir === 'asc' ? ['<', '>'] : ['>', '<'];
  for (const sample of SAMPLES) {
    const percent = (100 * sample.rows) / ds.rows;
    const method = sample.system ? `${percent.toFixed(6)}% (system)` : `reservoir(${sample.rows} rows)`;
    const from = percent >= 100 ? ds.relation : `${ds.relation} tablesample ${method}`;
    const bounds = await sampleBounds(conn, `select ${q} as v from ${from}`, key.dir, (sampled) => bandSampleIndices(offset, limit, ds.rows, sampled, sample.sigmas));
    const counts: string[] = [];
    const values: DuckDBValue[] = [];
    const types: DuckDBType[] = [];
    for (const [bound, op] of [[bounds.first, before], [bounds.last, `${before}=`]] as const) {
      if (!bound || !bounds.type) continue;
      counts.push(`count(*) filter (${q} ${op} $${values.length + 1})`);
      values.push(bound.value);
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

/** The sample's values at the two indices (in `dir` order): no `first` below index 0, no `last` past the sample. */
async function sampleBounds(
  conn: DuckDBConnection,
  sample: string,
  dir: 'asc' | 'desc',
  indices: (sampled: number) => { first: number; last: number },
): Promise<{ first?: Bound; last?: Bound; type?: DuckDBType }> {
  // Kept in a temporary table: a sample drawn twice would differ. quantile_disc picks values without sorting
  // the sample (an ORDER BY … OFFSET or row_number() over it cost 5-20× more).
  const table = 'bt_band_sample';
  await conn.run(`create or replace temp table ${table} as ${sample}`);
  try {
    const counts = (await conn.runAndReadAll(`select count(*)::bigint, count(v)::bigint from ${table}`)).getRows()[0] ?? [];
    const [sampled, n] = counts.map(Number) as [number, number];
    if (!(n > 0)) return {}; // no value in the sample: the band is every non-null row
    const { first, last } = indices(sampled);
    // Position i of n values in `dir` order, as quantile_disc's fraction of the ascending order.
    const fraction = (i: number): number => Math.min(1, Math.max(0, (dir === 'asc' ? i : n - 1 - i) / Math.max(1, n - 1)));
    const extreme = dir === 'asc' ? 'max' : 'min';
    const r = await conn.runAndReadAll(`select quantile_disc(v, ${fraction(first)}), quantile_disc(v, ${fraction(last)}), ${extreme}(v) from ${table}`);
    const [lo, hi, top] = r.getRows()[0] ?? [];
    return {
      // A first index past the sample's end: its largest value (in `dir` order) still bounds the band.
      first: first < 0 ? undefined : { value: first < n ? (lo ?? null) : (top ?? null) },
      last: last < n ? { value: hi ?? null } : undefined,
      type: r.columnType(0),
    };
  } finally {
    await conn.run(`drop table if exists ${table}`);
  }
}
