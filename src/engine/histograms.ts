// Histogram rules of the upstream Buckaroo viewer, as pure functions over counts DuckDB computed.
// Numeric: 10 equal bins over the 1st–99th percentile, plus low/high tail counts and nulls.
// Categorical: the 7 most frequent values, then the long tail (values seen more than once), uniques, nulls.

import type { Json } from '@duckdb/node-api';
import type { CategoricalHistogram, NumericHistogram } from '../contract/data-api.ts';

export const NUMERIC_BINS = 10;
export const CATEGORICAL_TOP = 7;
export const LOW_PERCENTILE = 0.01;
export const HIGH_PERCENTILE = 0.99;

/** Bin edges over [lo, hi]; a constant column gets one bin. */
export function binEdges(lo: number, hi: number, bins = NUMERIC_BINS): number[] {
  if (!(hi > lo)) return [lo, hi];
  const w = (hi - lo) / bins;
  return Array.from({ length: bins + 1 }, (_, k) => (k === bins ? hi : lo + k * w));
}

/**
 * SQL for the bin of expression x: -1 below the first edge (low tail), 0…n-1 for the n bins ([lo, hi), the last
 * one closed), n above the last edge (high tail), NULL for NULL. A constant column has one bin.
 */
export function binIndexSql(x: string, edges: number[]): string {
  const lo = edges[0]!;
  const hi = edges.at(-1)!;
  const n = edges.length - 1;
  const inside = n === 1 ? '0' : `least(floor((${x} - ${sqlNumber(lo)}) / ${sqlNumber((hi - lo) / n)})::int, ${n - 1})`;
  // NULL first: least() skips NULL arguments, so least(NULL, n - 1) would land a null in the last bin.
  return `case when ${x} is null then null when ${x} < ${sqlNumber(lo)} then -1 when ${x} > ${sqlNumber(hi)} then ${n} else ${inside} end`;
}

/** A finite number as SQL text (computed by us, never taken from a request). */
export function sqlNumber(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`not a finite number: ${n}`);
  return `${n}::double`;
}

export function numericHistogram(edges: number[], counts: number[], lowTail: number, highTail: number, nulls: number): NumericHistogram {
  const bins = counts.map((count, k) => ({ lo: edges[k]!, hi: edges[k + 1]!, count }));
  return { kind: 'numeric', bins, low_tail: lowTail, high_tail: highTail, nulls };
}

export function categoricalHistogram(
  top: { value: Json; count: number }[],
  nonNull: number,
  uniqueRows: number | null,
  nulls: number,
): CategoricalHistogram {
  const shown = top.slice(0, CATEGORICAL_TOP);
  const shownRows = shown.reduce((s, t) => s + t.count, 0);
  // Values shown in the top 7 that occur once are already counted there, not in `unique`.
  const shownUniques = shown.filter((t) => t.count === 1).length;
  const unique = uniqueRows === null ? null : Math.max(0, uniqueRows - shownUniques);
  const longtail = Math.max(0, nonNull - shownRows - (unique ?? 0));
  return { kind: 'categorical', top: shown, longtail, unique, nulls };
}
