// Value frequencies of columns: the most frequent values (top 7, always exact) and, when exact, the distinct
// count and how many rows hold a value seen once. Per column: a streaming pass when its order proves each value
// occurs once, a sketch's candidates counted exactly when their counts prove the top (large files), else a
// group-by; one GROUPING SETS query for a small file; histogram() aggregates in the summary's scan for a tiny one.

import type { DuckDBConnection, DuckDBMapType, DuckDBMapValue, DuckDBType, DuckDBValue, DuckDBValueConverter, Json } from '@duckdb/node-api';
import { dtypeFamily } from '../contract/dtype.ts';
import { CATEGORICAL_TOP } from './histograms.ts';
import type { Dataset } from './load.ts';

export interface Frequencies {
  top: { value: Json; count: number }[];
  /** Exact distinct count, or null when only a sketch ran (above the approximation threshold). */
  distinct: number | null;
  /** Rows whose value occurs exactly once (null when approximate). */
  uniqueRows: number | null;
}

export const NO_FREQUENCIES: Frequencies = { top: [], distinct: null, uniqueRows: null };

/**
 * Rows of a column's head read first to pick how its frequencies are found: whether it may hold each value once
 * (a strictly monotone head) and whether a sketch could prove its top values (a head dominated by a few
 * values). A guess that fails costs a few thousand rows, not a scan; what is shown is proven either way.
 */
export const HEAD_ROWS = 2_048;

/** One column's frequencies; `approx` (above the sketch threshold) lets a sketch pick the top values when it can prove them. */
export async function columnFrequencies(
  conn: DuckDBConnection,
  ds: Dataset,
  q: string,
  approx: boolean,
  convert: DuckDBValueConverter<Json>,
): Promise<Frequencies> {
  const head = await readHead(conn, ds, q);
  if (head.monotone) {
    const unique = await uniqueByOrder(conn, ds, q, convert);
    if (unique) return unique;
  }
  if (approx && sketchCouldProve(head.counts, head.nonNull)) {
    const sketched = await topFromSketch(conn, ds, q, convert);
    if (sketched) return sketched;
  }
  // One group-by, then one streaming pass over its groups: the top values are the smallest (-count, value)
  // pairs, which is `order by count desc, value` without sorting a million groups.
  const r = await conn.runAndReadAll(
    `with g as (select count(*) as d, count(*) filter (where n = 1) as u, min({neg: -n, v: v}, ${CATEGORICAL_TOP}) as top
                from (select ${q} as v, count(*) as n from ${ds.relation} where ${q} is not null group by all))
     select d, u, -t.neg as n, t.v from g left join (select unnest(top) as t from g) on true`,
  );
  const rows = r.convertRows(convert);
  const first = rows[0];
  const top = rows.filter((row) => row[2] !== null).map((row) => ({ value: row[3] ?? null, count: Number(row[2]) }));
  return { top, distinct: first ? Number(first[0]) : 0, uniqueRows: first ? Number(first[1]) : 0 };
}

/** Candidates a sketch names for the top values: more than shown, so their counts bound every other value's. */
export const SKETCH_CANDIDATES = 2 * CATEGORICAL_TOP + 2;

/**
 * The top values from a sketch's candidates, counted exactly, when those counts prove no other value belongs
 * among them: every value the sketch missed occurs at most as often as the rows no candidate holds, so the
 * shown values are the true top once the last of them occurs more often than that (or no row is left). The
 * sketch alone can miss a true top value; undefined then, and the caller counts every value.
 */
async function topFromSketch(conn: DuckDBConnection, ds: Dataset, q: string, convert: DuckDBValueConverter<Json>): Promise<Frequencies | undefined> {
  const r = await conn.runAndReadAll(
    `with s as materialized (select approx_top_k(${q}, ${SKETCH_CANDIDATES}) as cand, count(${q}) as nn from ${ds.relation}),
          c as (select t.${q} as v, count(*) as n from ${ds.relation} t where t.${q} in (select unnest(cand) from s) group by all)
     select s.nn, c.v, c.n from s left join c on true order by c.n desc, c.v`,
  );
  const rows = r.convertRows(convert);
  const nonNull = Number(rows[0]?.[0] ?? 0);
  const counted = rows.filter((row) => row[2] !== null).map((row) => ({ value: row[1] ?? null, count: Number(row[2]) }));
  const rest = nonNull - counted.reduce((sum, c) => sum + c.count, 0);
  const top = counted.slice(0, CATEGORICAL_TOP);
  // No row left: the candidates are every value, so the distinct count is exact too.
  if (rest === 0) return { top, distinct: counted.length, uniqueRows: counted.filter((c) => c.count === 1).length };
  return top.length === CATEGORICAL_TOP && top.at(-1)!.count > rest ? { top, distinct: null, uniqueRows: null } : undefined;
}

/** What the head of a column says: strictly monotone or not, and its values' counts, largest first. */
async function readHead(conn: DuckDBConnection, ds: Dataset, q: string): Promise<{ monotone: boolean; counts: number[]; nonNull: number }> {
  const r = await conn.runAndReadAll(
    `with h as materialized (select ${q} as v from ${ds.relation} where ${q} is not null limit ${HEAD_ROWS})
     select (select mono from (${monotoneSql('h')})), (select list(n order by n desc)[1:${SKETCH_CANDIDATES}] from (select count(*)::int as n from h group by v)), (select count(*)::int from h)`,
  );
  const [monotone, counts, nonNull] = r.getRows()[0] ?? [];
  const list = counts instanceof Object && 'items' in counts ? (counts.items as unknown[]).map(Number) : [];
  return { monotone: monotone === true, counts: list, nonNull: Number(nonNull ?? 0) };
}

/**
 * One pass over `source`'s (non-null) v: mono, whether they only rise or only fall in the order a window reads
 * them; n, how many; low, the smallest few.
 */
function monotoneSql(source: string): string {
  // Whatever order the window reads the rows in, it reads each once: strictly monotone there means no repeats.
  return `select count(*) filter (where v <= p) = 0 or count(*) filter (where v >= p) = 0 as mono, count(*) as n, min(v, ${CATEGORICAL_TOP}) as low
          from (select v, lag(v) over () as p from ${source})`;
}

/** Whether the sketch's proof (topFromSketch) holds on the head: else it would not on the whole column either. */
export function sketchCouldProve(counts: readonly number[], nonNull: number): boolean {
  const rest = nonNull - counts.reduce((sum, n) => sum + n, 0);
  return rest === 0 || (counts.length >= CATEGORICAL_TOP && counts[CATEGORICAL_TOP - 1]! > rest);
}

/**
 * A column whose non-null values, read in any one order, only ever rise (or only fall) holds each value once:
 * then its frequencies need no group-by. An id column of a million rows: one streaming pass instead of a
 * million-group hash table. Undefined when the column is not so.
 */
async function uniqueByOrder(conn: DuckDBConnection, ds: Dataset, q: string, convert: DuckDBValueConverter<Json>): Promise<Frequencies | undefined> {
  const r = await conn.runAndReadAll(monotoneSql(`(select ${q} as v from ${ds.relation} where ${q} is not null)`));
  const row = r.convertRows(convert)[0];
  if (!row || row[0] !== true) return undefined;
  const n = Number(row[1]);
  // Every count is 1, so the top values are the smallest ones, as `order by count desc, value` ranks them.
  const low = Array.isArray(row[2]) ? row[2] : [];
  return { top: low.map((value) => ({ value, count: 1 })), distinct: n, uniqueRows: n };
}
/**
 * Exact frequencies of every (non-nested) column in one scan: GROUPING SETS ((c1), (c2), …) counts each
 * column's values; grouping_id tells the sets apart (in set k every other column is grouped away, so NULL).
 */
export async function frequenciesInOneQuery(
  conn: DuckDBConnection,
  ds: Dataset,
  cols: readonly { q: string; nested: boolean }[],
  convert: DuckDBValueConverter<Json>,
): Promise<Frequencies[]> {
  const grouped = cols.map((c, k) => ({ ...c, k })).filter((c) => !c.nested);
  const out: Frequencies[] = cols.map((c) => (c.nested ? { ...NO_FREQUENCIES, top: [] } : { top: [], distinct: 0, uniqueRows: 0 }));
  const n = grouped.length;
  if (n === 0) return out;
  const list = grouped.map((c) => c.q).join(', ');
  // grouping_id sets a bit for each column NOT grouped in the row's set; the first column is the high bit.
  const gidOf = (j: number): number => 2 ** n - 1 - 2 ** (n - 1 - j);
  const nonNull = grouped.map((c, j) => `(__bt_gid = ${gidOf(j)} and ${c.q} is not null)`).join(' or ');
  // Internal names carry a __bt_ prefix: a data column called n, gid or rk must not collide with them.
  const r = await conn.runAndReadAll(
    `with g as (select grouping_id(${list}) as __bt_gid, ${list}, count(*) as __bt_n from ${ds.relation} group by grouping sets (${grouped.map((c) => `(${c.q})`).join(', ')})),
          f as (select * from g where ${nonNull}),
          s as (select __bt_gid, count(*) as __bt_d, count(*) filter (where __bt_n = 1) as __bt_u from f group by __bt_gid),
          r as (select *, row_number() over (partition by __bt_gid order by __bt_n desc, ${list}) as __bt_rk from f)
     select s.__bt_gid, s.__bt_d, s.__bt_u, r.* exclude (__bt_gid, __bt_rk) from s left join r on r.__bt_gid = s.__bt_gid and r.__bt_rk <= ${CATEGORICAL_TOP} order by s.__bt_gid, r.__bt_rk`,
  );
  const rows = r.convertRows(convert);
  const byGid = new Map(grouped.map((c, j) => [gidOf(j), { j, k: c.k }]));
  for (const row of rows) {
    const hit = byGid.get(Number(row[0]));
    if (!hit) continue;
    const f = out[hit.k]!;
    f.distinct = Number(row[1]);
    f.uniqueRows = Number(row[2]);
    const count = row[3 + n];
    if (count !== null && count !== undefined) f.top.push({ value: row[3 + hit.j] ?? null, count: Number(count) });
  }
  return out;
}

/**
 * The aggregates that give one column's exact frequencies from the summary's own scan (tiny files): DuckDB's
 * histogram() map (keys in DuckDB's sort order, nulls left out) and, for floats, the NaN count apart, since
 * NaN breaks histogram's ordered map (every value lands under NaN).
 */
export function histogramSelect(q: string, dtype: string, alias: string): string[] {
  if (dtypeFamily(dtype) !== 'float') return [`histogram(${q}) as "${alias}"`];
  return [`histogram(case when isnan(${q}) then null else ${q} end) as "${alias}"`, `count(*) filter (where isnan(${q})) as "${nanCountAlias(alias)}"`];
}

/** The name of a float column's NaN count beside its histogram() map named `histogramAlias`. */
export function nanCountAlias(histogramAlias: string): string {
  return `${histogramAlias}nan`;
}

/**
 * Frequencies from a histogram() map: most frequent first, ties in key order (a stable sort keeps DuckDB's
 * value order, as `order by n desc, v` does); NaN, which DuckDB orders above every number, goes last.
 */
export function frequenciesFromHistogram(map: unknown, type: DuckDBType | undefined, nan: number, convert: DuckDBValueConverter<Json>): Frequencies {
  const entries: { key: DuckDBValue; n: number }[] =
    map instanceof Object && 'entries' in map ? (map as DuckDBMapValue).entries.map((e) => ({ key: e.key, n: Number(e.value) })) : [];
  if (nan > 0) entries.push({ key: Number.NaN, n: nan });
  const uniqueRows = entries.reduce((u, e) => u + (e.n === 1 ? 1 : 0), 0);
  const keyType = (type as DuckDBMapType | undefined)?.keyType;
  const top = [...entries]
    .sort((a, b) => b.n - a.n)
    .slice(0, CATEGORICAL_TOP)
    .map((e) => ({ value: e.key === null || !keyType ? null : (convert(e.key, keyType, convert) ?? null), count: e.n }));
  return { top, distinct: entries.length, uniqueRows };
}
