// Which queries summarise a batch of columns, decided from the row count alone: on a small file every query
// is mostly fixed cost, so fewer, wider queries win; on a large one exact counts and quantiles sort or group
// whole columns, so sketches take over. Pure: unit-tested tier by tier (test/unit/stats-plan.test.ts).

import { isDistinctApprox } from '../contract/data-limits.ts';
import { isNestedType, isNumericType } from '../contract/dtype.ts';
import { quoteIdent } from './sql.ts';

/**
 * Above this many rows, quartiles and histogram edges come from a t-digest (flagged `quantiles_approx`): an
 * exact quantile sorts the whole column, ~60 ms per numeric column at 1 M rows, the sketch a fifth of that.
 */
export const APPROX_QUANTILES_ABOVE_ROWS = 100_000;
/**
 * Up to this many rows, every column's frequencies come from one GROUPING SETS query, and the quartiles ride
 * along in the summary's scan: on a small file each query is mostly fixed cost, so fewer queries is faster.
 * Above it the quartiles wait for the second phase (47 ms for three columns at 1 M rows, off the agent's path).
 */
export const SMALL_FILE_MAX_ROWS = 20_000;
/**
 * Up to this many rows, the frequencies ride along in the summary's scan too (histogram() maps, sorted here):
 * the summary is then one query. 344 rows × 8 columns: ~2 ms against ~7 ms for GROUPING SETS; the maps reach
 * JS whole, so at ~3,000 rows the two cost the same and GROUPING SETS wins above.
 */
export const TINY_FILE_MAX_ROWS = 2_000;

/**
 * Where a batch's value frequencies (top values, exact distinct counts) come from: histogram() maps in the
 * summary's scan (tiny files), one GROUPING SETS query beside it (small files), or a group-by per column,
 * exact or sketch-led (above SMALL_FILE_MAX_ROWS).
 */
export type FrequencySource = 'summary-scan' | 'grouping-sets' | 'per-column';

/** One column of a batch, as the queries need it. */
export interface PlannedColumn {
  name: string;
  dtype: string;
  /** The quoted identifier. */
  q: string;
  numeric: boolean;
  nested: boolean;
}

export interface SummaryPlan {
  /** Distinct counts from a sketch, frequencies led by one (more than APPROX_DISTINCT_ABOVE_ROWS rows). */
  distinctApprox: boolean;
  /** Quartiles and histogram edges from a t-digest (more than APPROX_QUANTILES_ABOVE_ROWS rows). */
  quantilesApprox: boolean;
  frequencies: FrequencySource;
  /** The numeric columns' quartiles come from the summary's scan rather than the second phase. */
  quantilesInScan: boolean;
  columns: PlannedColumn[];
}

export function planColumn(c: { name: string; dtype: string }): PlannedColumn {
  return { name: c.name, dtype: c.dtype, q: quoteIdent(c.name), numeric: isNumericType(c.dtype), nested: isNestedType(c.dtype) };
}

export function planSummary(rows: number, columns: readonly { name: string; dtype: string }[]): SummaryPlan {
  const distinctApprox = isDistinctApprox(rows);
  const small = rows <= SMALL_FILE_MAX_ROWS;
  const tiny = !distinctApprox && rows <= TINY_FILE_MAX_ROWS;
  return {
    distinctApprox,
    quantilesApprox: rows > APPROX_QUANTILES_ABOVE_ROWS,
    frequencies: tiny ? 'summary-scan' : !distinctApprox && small ? 'grouping-sets' : 'per-column',
    quantilesInScan: small,
    columns: columns.map(planColumn),
  };
}
