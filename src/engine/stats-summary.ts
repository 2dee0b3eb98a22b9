// The stats' first phase, what the agent's text needs: one scan for counts, ranges and moments (and, on small
// files, quartiles and value frequencies), with the frequency group-bys the plan chose running beside it.

import type { DuckDBConnection, DuckDBType, DuckDBValueConverter, Json } from '@duckdb/node-api';
import type { ColumnSummary } from '../contract/data-api.ts';
import type { Engine } from './duckdb.ts';
import {
  columnFrequencies,
  frequenciesFromHistogram,
  frequenciesInOneQuery,
  histogramSelect,
  nanCountAlias,
  NO_FREQUENCIES,
  type Frequencies,
} from './frequencies.ts';
import { HIGH_PERCENTILE, LOW_PERCENTILE } from './histograms.ts';
import type { Dataset } from './load.ts';
import type { PlannedColumn, SummaryPlan } from './stats-plan.ts';

export const TOP_VALUES = 5;
/** Connections running per-column frequency queries at once (DuckDB parallelises each one as well). */
const FREQUENCY_LANES = 3;

/** The first phase of one column, plus what the second phase builds on. */
export interface SummaryPart {
  summary: ColumnSummary;
  freq: Frequencies;
  mean: Json;
  std: Json;
  /** [p01, q25, median, q75, p99] when the summary's scan computed them (small files). */
  quantiles?: Json;
}

/** The names of column k's aggregates in the summary's scan (k: the column's place in its batch). */
const alias = {
  nonNull: (k: number) => `nn${k}`,
  distinct: (k: number) => `d${k}`,
  min: (k: number) => `min${k}`,
  max: (k: number) => `max${k}`,
  mean: (k: number) => `mean${k}`,
  std: (k: number) => `std${k}`,
  quantiles: (k: number) => `q${k}`,
  /** The histogram() map of a tiny file's column; its NaN count is under nanCountAlias() of this. */
  histogram: (k: number) => `h${k}`,
};

/** A count or other integer aggregate as a number (DuckDB hands BIGINT over as bigint). */
export const countOf = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : Number(v ?? 0));

/** The percentiles the histograms and quartiles need, over the finite values, exact or from a t-digest. */
export function quantileSql(c: PlannedColumn, approx: boolean): string {
  // Exact percentiles sort the column; above the approximation threshold a t-digest sketch does.
  const fn = approx ? 'approx_quantile' : 'quantile_cont';
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

/** The summary scan's select list. */
function summarySelect(plan: SummaryPlan): string[] {
  const select: string[] = [];
  plan.columns.forEach((c, k) => {
    select.push(`count(${c.q}) as "${alias.nonNull(k)}"`);
    if (!c.nested) {
      // Exact distinct counts come from the frequency queries; only the sketch runs here.
      if (plan.distinctApprox) select.push(`approx_count_distinct(${c.q}) as "${alias.distinct(k)}"`);
      select.push(`min(${c.q}) as "${alias.min(k)}"`, `max(${c.q}) as "${alias.max(k)}"`);
      if (plan.frequencies === 'summary-scan') select.push(...histogramSelect(c.q, c.dtype, alias.histogram(k)));
    }
    if (c.numeric) {
      // stddev_samp raises "out of range" on NaN/±Inf: the spread is that of the finite values (mean keeps them).
      select.push(
        `avg(${c.q}::double) as "${alias.mean(k)}"`,
        `stddev_samp(case when isfinite(${c.q}::double) then ${c.q}::double end) as "${alias.std(k)}"`,
      );
      if (plan.quantilesInScan) select.push(`${quantileSql(c, plan.quantilesApprox)} as "${alias.quantiles(k)}"`);
    }
  });
  return select;
}

/** Phase 1 of a batch: one scan for counts, ranges and moments, with the frequency group-bys beside it. */
export async function computeSummaries(engine: Pick<Engine, 'withConnection'>, ds: Dataset, plan: SummaryPlan, convert: DuckDBValueConverter<Json>): Promise<SummaryPart[]> {
  const cols = plan.columns;
  // The frequency group-bys run on other connections while the scan runs on its own: on a small file each
  // query is mostly fixed cost, so running them side by side is what makes the answer fast. A tiny file's
  // frequencies come from the scan itself (its histogram() maps).
  const freqs =
    plan.frequencies === 'summary-scan'
      ? Promise.resolve(undefined)
      : plan.frequencies === 'grouping-sets'
        ? engine.withConnection((conn) => frequenciesInOneQuery(conn, ds, cols, convert))
        : frequencyLanes(engine, ds, cols, plan.distinctApprox, convert);
  freqs.catch(() => {}); // awaited below; this only keeps an early scan failure from leaving it unhandled
  const at = await engine.withConnection((conn) => readAggregates(conn, `select ${summarySelect(plan).join(', ')} from ${ds.relation}`, convert));
  const fromScan = (c: PlannedColumn, k: number): Frequencies => {
    if (c.nested) return { ...NO_FREQUENCIES, top: [] };
    const h = at(alias.histogram(k));
    return frequenciesFromHistogram(h.raw, h.type, countOf(at(nanCountAlias(alias.histogram(k))).raw), convert);
  };
  const freqOut = (await freqs) ?? cols.map(fromScan);
  return cols.map((c, k) => {
    const nonNull = countOf(at(alias.nonNull(k)).raw);
    const freq = freqOut[k]!;
    const part: SummaryPart = {
      summary: {
        name: c.name,
        dtype: c.dtype,
        non_null: nonNull,
        nulls: ds.rows - nonNull,
        distinct: c.nested ? null : (freq.distinct ?? countOf(at(alias.distinct(k)).raw)),
        // A column proven to hold each value once has an exact count even above the sketch threshold.
        distinct_approx: plan.distinctApprox && !c.nested && freq.distinct === null,
        min: at(alias.min(k)).json,
        max: at(alias.max(k)).json,
        top: freq.top.slice(0, TOP_VALUES),
      },
      freq,
      mean: c.numeric ? at(alias.mean(k)).json : null,
      std: c.numeric ? at(alias.std(k)).json : null,
    };
    if (c.numeric && plan.quantilesInScan) part.quantiles = at(alias.quantiles(k)).json;
    return part;
  });
}

/**
 * Per-column frequency queries, FREQUENCY_LANES at a time, each on a connection of its own: a load pausing the
 * stats (stats-gate.ts) then runs only the interrupted column's query again.
 */
async function frequencyLanes(engine: Pick<Engine, 'withConnection'>, ds: Dataset, cols: PlannedColumn[], approx: boolean, convert: DuckDBValueConverter<Json>): Promise<Frequencies[]> {
  const out: Frequencies[] = new Array<Frequencies>(cols.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let k = next++; k < cols.length; k = next++) {
      const c = cols[k]!;
      out[k] = c.nested ? NO_FREQUENCIES : await engine.withConnection((conn) => columnFrequencies(conn, ds, c.q, approx, convert));
    }
  };
  await Promise.all(Array.from({ length: Math.min(FREQUENCY_LANES, cols.length) }, lane));
  return out;
}
