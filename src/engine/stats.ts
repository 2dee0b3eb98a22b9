// Per-column summary statistics, computed by DuckDB over every row and cached per dataset: counts, distinct
// (approximate above APPROX_DISTINCT_ABOVE_ROWS rows, flagged), min/max, moments and quartiles for numbers,
// the most frequent values, and a histogram. Two phases per batch of columns: the summary the agent's text
// needs (counts, distinct, range, top values) first, then quartiles and histograms, which only the page shows.

import type { DuckDBConnection, DuckDBType, DuckDBValueConverter, Json } from '@duckdb/node-api';
import type { Engine } from './duckdb.ts';
import { columnFrequencies, frequenciesFromHistogram, frequenciesInOneQuery, histogramSelect, NO_FREQUENCIES, type Frequencies } from './frequencies.ts';
import { binEdges, binIndexSql, categoricalHistogram, HIGH_PERCENTILE, LOW_PERCENTILE, numericHistogram, type Histogram } from './histograms.ts';
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
 * Up to this many rows, every column's frequencies come from one GROUPING SETS query, and the quartiles ride
 * along in the summary's scan: on a small file each query is mostly fixed cost, so fewer queries is faster.
 * Above it the quartiles wait for the second phase (47 ms for three columns at 1 M rows, off the agent's path).
 */
const SMALL_FILE_MAX_ROWS = 20_000;
/**
 * Up to this many rows, the frequencies ride along in the summary's scan too (histogram() maps, sorted here):
 * the summary is then one query. 344 rows × 8 columns: ~2 ms against ~7 ms for GROUPING SETS; the maps reach
 * JS whole, so at ~3,000 rows the two cost the same and GROUPING SETS wins above.
 */
const TINY_FILE_MAX_ROWS = 2_000;
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

/** What the agent's summary reads: the first phase of ColumnStats. */
export type ColumnSummary = Pick<ColumnStats, 'name' | 'dtype' | 'non_null' | 'nulls' | 'distinct' | 'distinct_approx' | 'min' | 'max' | 'top'>;

/** Nested values (lists, structs, maps) get counts only: ordering and grouping them says little. */
export function isNestedType(dtype: string): boolean {
  return /\[\]$|\[\d+\]$|^(STRUCT|MAP|UNION|VARIANT)/i.test(dtype);
}

/** Stats queries stopped because a load is replacing (or replaced) the dataset; asking again may succeed. */
export class StatsInterruptedError extends Error {
  constructor() {
    super('stats interrupted: a new load is replacing the dataset');
    this.name = 'StatsInterruptedError';
  }
}

export interface StatsCache {
  /** The summary of the given columns (by index), computing what is missing; cheaper than get(). */
  summary(indices: number[]): Promise<ColumnSummary[]>;
  /** Full stats of the given columns (by index), computing what is missing. */
  get(indices: number[]): Promise<ColumnStats[]>;
  /** Milliseconds spent computing so far. */
  computedMs(): number;
  /** Interrupts running queries for good (the dataset was replaced: nobody will read the answer). */
  cancel(): void;
  /**
   * Interrupts running queries and refuses new ones until resume(): a load into the session has started,
   * and every reader waits for it, so the work would only slow that load down. A failed load resumes.
   */
  suspend(): void;
  resume(): void;
}

/** The first phase of one column, plus what the second phase builds on. */
interface SummaryPart {
  summary: ColumnSummary;
  freq: Frequencies;
  mean: Json;
  std: Json;
  /** [p01, q25, median, q75, p99] when the summary's scan computed them (small files). */
  quantiles?: Json;
}

interface Col {
  name: string;
  dtype: string;
  q: string;
  numeric: boolean;
  nested: boolean;
}

export function createStatsCache(engine: Engine, ds: Dataset): StatsCache {
  const summaries = new Map<number, Promise<SummaryPart>>();
  const full = new Map<number, Promise<ColumnStats>>();
  const convert = createValueConverter(engine.api);
  const running = new Set<DuckDBConnection>();
  let cancelled = false;
  let suspended = false;
  const stopped = (): boolean => cancelled || suspended;
  // Every connection the phases use is registered, so cancel() and suspend() can interrupt it.
  const tracked: Engine = {
    ...engine,
    withConnection: (fn) =>
      engine.withConnection(async (conn) => {
        if (stopped()) throw new StatsInterruptedError();
        running.add(conn);
        try {
          return await fn(conn);
        } catch (err) {
          throw stopped() ? new StatsInterruptedError() : err;
        } finally {
          running.delete(conn);
        }
      }),
  };
  const interruptAll = (): void => {
    for (const c of running) c.interrupt();
  };
  let spentMs = 0;
  const timed = async <T>(fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      spentMs += performance.now() - t0;
    }
  };
  /** Starts `compute` for the indices not in `cache`, a batch at a time; a failed batch may be retried later. */
  const fill = <T>(cache: Map<number, Promise<T>>, indices: number[], compute: (batch: number[]) => Promise<T[]>): Promise<T[]> => {
    const missing = [...new Set(indices.filter((i) => !cache.has(i)))];
    for (let b = 0; b < missing.length; b += STATS_BATCH_COLUMNS) {
      const batch = missing.slice(b, b + STATS_BATCH_COLUMNS);
      const work = compute(batch);
      batch.forEach((col, k) => {
        const p = work.then((all) => all[k]!);
        p.catch(() => cache.delete(col));
        cache.set(col, p);
      });
    }
    return Promise.all(indices.map((i) => cache.get(i)!));
  };
  const summaryParts = (indices: number[]): Promise<SummaryPart[]> =>
    fill(summaries, indices, (batch) => timed(() => computeSummaries(tracked, ds, batch.map((i) => columnOf(ds, i)), convert)));
  return {
    summary: async (indices) => (await summaryParts(indices)).map((p) => p.summary),
    get: (indices) =>
      fill(full, indices, async (batch) => {
        // The second phase starts once the batch's summary is there, so it never slows the agent's answer.
        const parts = await summaryParts(batch);
        return timed(() => computeDetails(tracked, ds, batch.map((i) => columnOf(ds, i)), parts, convert));
      }),
    computedMs: () => spentMs,
    cancel() {
      cancelled = true;
      interruptAll();
    },
    suspend() {
      suspended = true;
      interruptAll();
    },
    resume() {
      suspended = false;
    },
  };
}

function columnOf(ds: Dataset, i: number): Col {
  const c = ds.columns[i]!;
  return { name: c.name, dtype: c.dtype, q: quoteIdent(c.name), numeric: isNumericType(c.dtype), nested: isNestedType(c.dtype) };
}

const num = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : Number(v ?? 0));

function quantileSql(ds: Dataset, c: Col): string {
  // Exact percentiles sort the column; above the approximation threshold a t-digest sketch does.
  const fn = ds.rows > APPROX_QUANTILES_ABOVE_ROWS ? 'approx_quantile' : 'quantile_cont';
  // Over the finite values: ±Inf (or NaN) as a percentile would leave the histogram without edges; such values
  // land in the tails instead.
  return `${fn}(case when isfinite(${c.q}::double) then ${c.q}::double end, [${LOW_PERCENTILE}, 0.25, 0.5, 0.75, ${HIGH_PERCENTILE}])`;
}

interface Aggregate {
  raw: unknown;
  /** The JSON form, converted on first read (a histogram map is only ever read raw). */
  readonly json: Json;
  type: DuckDBType | undefined;
}

/** One row of aggregates, read by alias as the raw value, its JSON form, and its type. */
async function readAggregates(conn: DuckDBConnection, sql: string, convert: DuckDBValueConverter<Json>): Promise<(key: string) => Aggregate> {
  const r = await conn.runAndReadAll(sql);
  const names = r.columnNames();
  const types = r.columnTypes();
  const raw = r.getRows()[0] ?? [];
  return (key) => {
    const i = names.indexOf(key);
    const value = i >= 0 ? raw[i] : null;
    const type = i >= 0 ? types[i] : undefined;
    return {
      raw: value,
      type,
      get json(): Json {
        return value === null || value === undefined || type === undefined ? null : (convert(value, type, convert) ?? null);
      },
    };
  };
}

/** Phase 1: one scan for counts, ranges and moments, with the frequency group-bys beside it. */
async function computeSummaries(engine: Engine, ds: Dataset, cols: Col[], convert: DuckDBValueConverter<Json>): Promise<SummaryPart[]> {
  const approx = ds.rows > APPROX_DISTINCT_ABOVE_ROWS;
  const small = ds.rows <= SMALL_FILE_MAX_ROWS;
  const tiny = !approx && ds.rows <= TINY_FILE_MAX_ROWS;
  const select: string[] = [];
  cols.forEach((c, k) => {
    select.push(`count(${c.q}) as "nn${k}"`);
    if (!c.nested) {
      // Exact distinct counts come from the frequency queries; only the sketch runs here.
      if (approx) select.push(`approx_count_distinct(${c.q}) as "d${k}"`);
      select.push(`min(${c.q}) as "min${k}"`, `max(${c.q}) as "max${k}"`);
      if (tiny) select.push(...histogramSelect(c.q, c.dtype, `h${k}`));
    }
    if (c.numeric) {
      // stddev_samp raises "out of range" on NaN/±Inf: the spread is that of the finite values (mean keeps them).
      select.push(`avg(${c.q}::double) as "mean${k}"`, `stddev_samp(case when isfinite(${c.q}::double) then ${c.q}::double end) as "std${k}"`);
      if (small) select.push(`${quantileSql(ds, c)} as "q${k}"`);
    }
  });
  // The frequency group-bys run on other connections while the scan runs on its own: on a small file each
  // query is mostly fixed cost, so running them side by side is what makes the answer fast. A tiny file's
  // frequencies come from the scan itself (its histogram() maps).
  const freqs = tiny
    ? Promise.resolve(undefined)
    : !approx && small
      ? engine.withConnection((conn) => frequenciesInOneQuery(conn, ds, cols, convert))
      : frequencyLanes(engine, ds, cols, approx, convert);
  freqs.catch(() => {}); // awaited below; this only keeps an early scan failure from leaving it unhandled
  const at = await engine.withConnection((conn) => readAggregates(conn, `select ${select.join(', ')} from ${ds.relation}`, convert));
  const freqOut =
    (await freqs) ??
    cols.map((c, k) => (c.nested ? { ...NO_FREQUENCIES, top: [] } : frequenciesFromHistogram(at(`h${k}`).raw, at(`h${k}`).type, num(at(`h${k}nan`).raw), convert)));
  return cols.map((c, k) => {
    const nonNull = num(at(`nn${k}`).raw);
    const freq = freqOut[k]!;
    const part: SummaryPart = {
      summary: {
        name: c.name,
        dtype: c.dtype,
        non_null: nonNull,
        nulls: ds.rows - nonNull,
        distinct: c.nested ? null : (freq.distinct ?? num(at(`d${k}`).raw)),
        distinct_approx: approx && !c.nested,
        min: at(`min${k}`).json,
        max: at(`max${k}`).json,
        top: freq.top.slice(0, TOP_VALUES),
      },
      freq,
      mean: c.numeric ? at(`mean${k}`).json : null,
      std: c.numeric ? at(`std${k}`).json : null,
    };
    if (c.numeric && small) part.quantiles = at(`q${k}`).json;
    return part;
  });
}

/** Per-column frequency queries, FREQUENCY_LANES at a time. */
async function frequencyLanes(engine: Engine, ds: Dataset, cols: Col[], approx: boolean, convert: DuckDBValueConverter<Json>): Promise<Frequencies[]> {
  const out: Frequencies[] = new Array<Frequencies>(cols.length);
  let next = 0;
  const lane = (): Promise<void> =>
    engine.withConnection(async (conn) => {
      for (let k = next++; k < cols.length; k = next++) {
        const c = cols[k]!;
        out[k] = c.nested ? NO_FREQUENCIES : await columnFrequencies(conn, ds, c.q, approx, convert);
      }
    });
  await Promise.all(Array.from({ length: Math.min(FREQUENCY_LANES, cols.length) }, lane));
  return out;
}

/** Phase 2: quartiles (unless the summary had them) and the histograms, on one connection. */
async function computeDetails(engine: Engine, ds: Dataset, cols: Col[], parts: SummaryPart[], convert: DuckDBValueConverter<Json>): Promise<ColumnStats[]> {
  const approxQuantiles = ds.rows > APPROX_QUANTILES_ABOVE_ROWS;
  return engine.withConnection(async (conn) => {
    const quantiles = parts.map((p) => p.quantiles ?? null);
    const pending = cols.flatMap((c, k) => (c.numeric && parts[k]!.quantiles === undefined ? [k] : []));
    if (pending.length > 0) {
      const r = await conn.runAndReadAll(`select ${pending.map((k) => quantileSql(ds, cols[k]!)).join(', ')} from ${ds.relation}`);
      const row = r.convertRows(convert)[0] ?? [];
      pending.forEach((k, j) => (quantiles[k] = row[j] ?? null));
    }

    // Histogram bins of the numeric columns, one more scan for all of them: each row yields one bin index per
    // column (unnested in lockstep with the column's position), then a single group-by counts them.
    const edgesByK = new Map<number, number[]>();
    const binned: { k: number; expr: string }[] = [];
    cols.forEach((c, k) => {
      const q = quantiles[k];
      if (!c.numeric || !Array.isArray(q) || typeof q[0] !== 'number' || typeof q[4] !== 'number') return;
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

    return cols.map((c, k) => {
      const { summary: s, freq, mean, std } = parts[k]!;
      const q = quantiles[k];
      const quart = (i: number): Json => (Array.isArray(q) ? (q[i] ?? null) : null);
      let histogram: Histogram | null = null;
      const edges = edgesByK.get(k);
      if (edges) {
        const byBin = binCounts.get(k)!;
        const nb = edges.length - 1;
        const counts = Array.from({ length: nb }, (_, b) => byBin.get(b) ?? 0);
        histogram = numericHistogram(edges, counts, byBin.get(-1) ?? 0, byBin.get(nb) ?? 0, s.nulls);
      } else if (!c.numeric && !c.nested) {
        histogram = categoricalHistogram(freq.top, s.non_null, freq.uniqueRows, s.nulls);
      }
      return {
        name: s.name,
        dtype: s.dtype,
        non_null: s.non_null,
        nulls: s.nulls,
        distinct: s.distinct,
        distinct_approx: s.distinct_approx,
        quantiles_approx: approxQuantiles && c.numeric,
        min: s.min,
        max: s.max,
        mean,
        std,
        q25: quart(1),
        median: quart(2),
        q75: quart(3),
        top: s.top,
        histogram,
      };
    });
  });
}
