// Per-column summary statistics, computed by DuckDB over every row and cached per dataset: counts, distinct
// (approximate above APPROX_DISTINCT_ABOVE_ROWS rows, flagged), min/max, moments and quartiles for numbers,
// the most frequent values, and a histogram. Columns are computed in batches so a 5,000-column file answers
// its first columns quickly.

import type { DuckDBConnection, DuckDBValueConverter, Json } from '@duckdb/node-api';
import type { Engine } from './duckdb.ts';
import {
  binEdges,
  binIndexSql,
  CATEGORICAL_TOP,
  categoricalHistogram,
  HIGH_PERCENTILE,
  LOW_PERCENTILE,
  numericHistogram,
  type Histogram,
} from './histograms.ts';
import type { Dataset } from './load.ts';
import { quoteIdent } from './sql.ts';
import { createValueConverter, isNumericType } from './values.ts';

/** Above this many rows, distinct counts and frequencies come from sketches instead of a full group-by. */
export const APPROX_DISTINCT_ABOVE_ROWS = 1_000_000;
/**
 * Above this many rows, quartiles and histogram edges come from a t-digest (flagged `quantiles_approx`): an
 * exact quantile sorts the whole column, ~60 ms per numeric column at 1 M rows, the sketch a fifth of that.
 */
export const APPROX_QUANTILES_ABOVE_ROWS = 100_000;
/** Columns summarised per query round. */
const STATS_BATCH_COLUMNS = 25;
export const TOP_VALUES = 5;
/**
 * Up to this many rows, every column's frequencies come from one GROUPING SETS query: on a small file each
 * query is mostly fixed cost, and one query instead of one per column is what keeps view_data quick.
 */
const ONE_QUERY_FREQUENCIES_MAX_ROWS = 20_000;
/** Connections running per-column frequency queries at once (DuckDB parallelises each one as well). */
const FREQUENCY_LANES = 3;

export interface ColumnStats {
  name: string;
  dtype: string;
  non_null: number;
  nulls: number;
  distinct: number | null;
  distinct_approx: boolean;
  /** Quartiles and histogram edges from a t-digest sketch (above APPROX_QUANTILES_ABOVE_ROWS rows). */
  quantiles_approx: boolean;
  min: Json;
  max: Json;
  mean: Json;
  std: Json;
  q25: Json;
  median: Json;
  q75: Json;
  /** The most frequent values, most frequent first (ties by value). */
  top: { value: Json; count: number }[];
  histogram: Histogram | null;
}

/** Nested values (lists, structs, maps) get counts only: ordering and grouping them says little. */
export function isNestedType(dtype: string): boolean {
  return /\[\]$|\[\d+\]$|^(STRUCT|MAP|UNION|VARIANT)/i.test(dtype);
}

export interface StatsCache {
  /** Stats of the given columns (by index), computing what is missing. */
  get(indices: number[]): Promise<ColumnStats[]>;
  /** Milliseconds spent computing so far. */
  computedMs(): number;
  /** Interrupts running queries (the dataset is being replaced: nobody will read the answer). */
  cancel(): void;
}

export function createStatsCache(engine: Engine, ds: Dataset): StatsCache {
  const perColumn = new Map<number, Promise<ColumnStats>>();
  const convert = createValueConverter(engine.api);
  const running = new Set<DuckDBConnection>();
  let cancelled = false;
  // Every connection the batches use is registered, so cancel() can interrupt it.
  const tracked: Engine = {
    ...engine,
    withConnection: (fn) =>
      engine.withConnection(async (conn) => {
        if (cancelled) throw new Error('stats cancelled: the dataset was replaced');
        running.add(conn);
        try {
          return await fn(conn);
        } finally {
          running.delete(conn);
        }
      }),
  };
  let spentMs = 0;
  return {
    async get(indices) {
      const missing = indices.filter((i) => !perColumn.has(i));
      for (let b = 0; b < missing.length; b += STATS_BATCH_COLUMNS) {
        const batch = missing.slice(b, b + STATS_BATCH_COLUMNS);
        const t0 = performance.now();
        const work = computeBatch(tracked, ds, batch, convert).finally(() => {
          spentMs += performance.now() - t0;
        });
        batch.forEach((col, k) => {
          const p = work.then((all) => all[k]!);
          p.catch(() => perColumn.delete(col)); // a failed batch may be retried by the next request
          perColumn.set(col, p);
        });
      }
      return Promise.all(indices.map((i) => perColumn.get(i)!));
    },
    computedMs: () => spentMs,
    cancel() {
      cancelled = true;
      for (const c of running) c.interrupt();
    },
  };
}

const num = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : Number(v ?? 0));

async function computeBatch(engine: Engine, ds: Dataset, indices: number[], convert: DuckDBValueConverter<Json>): Promise<ColumnStats[]> {
  const approx = ds.rows > APPROX_DISTINCT_ABOVE_ROWS;
  const approxQuantiles = ds.rows > APPROX_QUANTILES_ABOVE_ROWS;
  const cols = indices.map((i) => {
    const c = ds.columns[i]!;
    return { index: i, ...c, q: quoteIdent(c.name), numeric: isNumericType(c.dtype), nested: isNestedType(c.dtype) };
  });

  // Round 1: one scan for counts, ranges, moments and percentiles of every column in the batch.
  const select: string[] = [];
  cols.forEach((c, k) => {
    select.push(`count(${c.q}) as "nn${k}"`);
    if (!c.nested) {
      // Exact distinct counts come from the frequency query below; only the sketch runs here.
      if (approx) select.push(`approx_count_distinct(${c.q}) as "d${k}"`);
      select.push(`min(${c.q}) as "min${k}"`, `max(${c.q}) as "max${k}"`);
    }
    if (c.numeric) {
      select.push(
        `avg(${c.q}::double) as "mean${k}"`,
        `stddev_samp(${c.q}::double) as "std${k}"`,
        // Exact percentiles sort the column; above the approximation threshold a t-digest sketch does.
        `${approxQuantiles ? 'approx_quantile' : 'quantile_cont'}(${c.q}::double, [${LOW_PERCENTILE}, 0.25, 0.5, 0.75, ${HIGH_PERCENTILE}]) as "q${k}"`,
      );
    }
  });
  // The frequency group-bys run on other connections while the scans below run on the first: on a small file
  // each query is mostly fixed cost, so running them side by side is what makes the answer fast.
  type Freq = Awaited<ReturnType<typeof frequencies>>;
  const freqOut: Freq[] = new Array<Freq>(cols.length);
  let nextCol = 0;
  const lane = (): Promise<void> =>
    engine.withConnection(async (conn) => {
      for (let k = nextCol++; k < cols.length; k = nextCol++) {
        const c = cols[k]!;
        freqOut[k] = c.nested ? { top: [], distinct: null, uniqueRows: null } : await frequencies(conn, ds, c.q, approx, convert);
      }
    });
  const grouped = cols.filter((c) => !c.nested);
  const freqs =
    !approx && ds.rows <= ONE_QUERY_FREQUENCIES_MAX_ROWS && grouped.length > 0
      ? engine.withConnection((conn) => frequenciesInOneQuery(conn, ds, cols, convert))
      : Promise.all(Array.from({ length: Math.min(FREQUENCY_LANES, cols.length) }, lane)).then(() => freqOut);
  freqs.catch(() => {}); // awaited below; this only keeps an early scan failure from leaving it unhandled
  return engine.withConnection(async (conn) => {
  const r1 = await conn.runAndReadAll(`select ${select.join(', ')} from ${ds.relation}`);
  const names = r1.columnNames();
  const raw = r1.getRows()[0] ?? [];
  const conv = r1.convertRows(convert)[0] ?? [];
  const at = (key: string): { raw: unknown; json: Json } => {
    const i = names.indexOf(key);
    return { raw: i >= 0 ? raw[i] : null, json: i >= 0 ? (conv[i] ?? null) : null };
  };

  // Round 2: histogram bins of the numeric columns, one more scan for all of them: each row yields one bin
  // index per column (unnested in lockstep with the column's position), then a single group-by counts them.
  const edgesByK = new Map<number, number[]>();
  const binned: { k: number; expr: string }[] = [];
  cols.forEach((c, k) => {
    if (!c.numeric) return;
    const q = at(`q${k}`).json;
    if (!Array.isArray(q) || typeof q[0] !== 'number' || typeof q[4] !== 'number') return;
    const edges = binEdges(q[0], q[4]);
    edgesByK.set(k, edges);
    binned.push({ k, expr: binIndexSql(`${c.q}::double`, edges) });
  });
  const binCounts = new Map<number, Map<number, number>>(binned.map((b) => [b.k, new Map()]));
  if (binned.length > 0) {
    const r2 = await conn.runAndReadAll(
      `select k, b, count(*) as n from (select unnest([${binned.map((b) => b.expr).join(', ')}]) as b, unnest(range(${binned.length})) as k from ${ds.relation}) where b is not null group by all`,
    );
    for (const [k, b, n] of r2.getRows()) binCounts.get(binned[Number(k)]!.k)!.set(Number(b), num(n));
  }

  const out: ColumnStats[] = [];
  for (const [k, c] of cols.entries()) {
    const nonNull = num(at(`nn${k}`).raw);
    const nulls = ds.rows - nonNull;
    const { top, distinct, uniqueRows } = (await freqs)[k]!;
    const q = at(`q${k}`).json;
    const quart = (i: number): Json => (Array.isArray(q) ? (q[i] ?? null) : null);
    let histogram: Histogram | null = null;
    const edges = edgesByK.get(k);
    if (edges) {
      const byBin = binCounts.get(k)!;
      const nb = edges.length - 1;
      const counts = Array.from({ length: nb }, (_, b) => byBin.get(b) ?? 0);
      histogram = numericHistogram(edges, counts, byBin.get(-1) ?? 0, byBin.get(nb) ?? 0, nulls);
    } else if (!c.numeric && !c.nested) {
      histogram = categoricalHistogram(top, nonNull, uniqueRows, nulls);
    }
    out.push({
      name: c.name,
      dtype: c.dtype,
      non_null: nonNull,
      nulls,
      distinct: c.nested ? null : distinct ?? num(at(`d${k}`).raw),
      distinct_approx: approx && !c.nested,
      quantiles_approx: approxQuantiles && c.numeric,
      min: at(`min${k}`).json,
      max: at(`max${k}`).json,
      mean: c.numeric ? at(`mean${k}`).json : null,
      std: c.numeric ? at(`std${k}`).json : null,
      q25: quart(1),
      median: quart(2),
      q75: quart(3),
      top: top.slice(0, TOP_VALUES),
      histogram,
    });
  }
  return out;
  });
}

/** The most frequent values (top 7), and when exact, the distinct count and how many rows hold a unique value. */
async function frequencies(
  conn: DuckDBConnection,
  ds: Dataset,
  q: string,
  approx: boolean,
  convert: DuckDBValueConverter<Json>,
): Promise<{ top: { value: Json; count: number }[]; distinct: number | null; uniqueRows: number | null }> {
  if (approx) {
    // A sketch picks the candidates; their counts are then exact.
    const r = await conn.runAndReadAll(
      `with cand as (select unnest(approx_top_k(${q}, ${CATEGORICAL_TOP})) as v from ${ds.relation})
       select t.${q} as v, count(*) as n from ${ds.relation} t where t.${q} in (select v from cand) group by all order by n desc, v limit ${CATEGORICAL_TOP}`,
    );
    const rows = r.convertRows(convert);
    return { top: rows.map((row) => ({ value: row[0] ?? null, count: Number(row[1]) })), distinct: null, uniqueRows: null };
  }
  const r = await conn.runAndReadAll(
    `with f as (select ${q} as v, count(*) as n from ${ds.relation} where ${q} is not null group by all),
          s as (select count(*) as d, count(*) filter (where n = 1) as u from f)
     select s.d, s.u, t.v, t.n from s left join (select v, n from f order by n desc, v limit ${CATEGORICAL_TOP}) t on true order by t.n desc, t.v`,
  );
  const rows = r.convertRows(convert);
  const first = rows[0];
  const top = rows.filter((row) => row[3] !== null).map((row) => ({ value: row[2] ?? null, count: Number(row[3]) }));
  return { top, distinct: first ? Number(first[0]) : 0, uniqueRows: first ? Number(first[1]) : 0 };
}

type Frequencies = { top: { value: Json; count: number }[]; distinct: number | null; uniqueRows: number | null };

/**
 * Frequencies of every (non-nested) column in one scan: GROUPING SETS ((c1), (c2), …) counts each column's
 * values; grouping_id tells the sets apart (in set k every other column is grouped away, so NULL).
 */
async function frequenciesInOneQuery(
  conn: DuckDBConnection,
  ds: Dataset,
  cols: readonly { q: string; nested: boolean }[],
  convert: DuckDBValueConverter<Json>,
): Promise<Frequencies[]> {
  const grouped = cols.map((c, k) => ({ ...c, k })).filter((c) => !c.nested);
  const n = grouped.length;
  const list = grouped.map((c) => c.q).join(', ');
  // grouping_id sets a bit for each column NOT grouped in the row's set; the first column is the high bit.
  const gidOf = (j: number): number => 2 ** n - 1 - 2 ** (n - 1 - j);
  const nonNull = grouped.map((c, j) => `(gid = ${gidOf(j)} and ${c.q} is not null)`).join(' or ');
  const r = await conn.runAndReadAll(
    `with g as (select grouping_id(${list}) as gid, ${list}, count(*) as n from ${ds.relation} group by grouping sets (${grouped.map((c) => `(${c.q})`).join(', ')})),
          f as (select * from g where ${nonNull}),
          s as (select gid, count(*) as d, count(*) filter (where n = 1) as u from f group by gid),
          r as (select *, row_number() over (partition by gid order by n desc, ${list}) as rk from f)
     select s.gid, s.d, s.u, r.* exclude (gid, rk) from s left join r on r.gid = s.gid and r.rk <= ${CATEGORICAL_TOP} order by s.gid, r.rk`,
  );
  const rows = r.convertRows(convert);
  const out: Frequencies[] = cols.map((c) => (c.nested ? { top: [], distinct: null, uniqueRows: null } : { top: [], distinct: 0, uniqueRows: 0 }));
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
