// Per-column stats from GET /api/sessions/:id/stats, as the pinned rows and the Σ summary show them: the
// contract's column stats, with the histogram turned into a list of labelled bars.

import type { ColumnStats as ApiColumnStats, Histogram, StatsAnswer } from '../contract/data-api.ts';

export type BarKind = 'bin' | 'top' | 'tail' | 'other' | 'unique' | 'null';

export interface HistogramBar {
  label: string;
  count: number;
  kind: BarKind;
}

/** A column's stats as the page holds them: the API's, the histogram as bars. */
export type ColumnStats = Omit<ApiColumnStats, 'histogram'> & { histogram: HistogramBar[] };

/**
 * The bars of a histogram, in the order the sparkline draws them: numeric bins between the low and high
 * tails, or the top values, then the long tail, the uniques and the nulls. Empty tails, uniques and nulls
 * get no bar.
 */
export function histogramBars(h: Histogram | null): HistogramBar[] {
  if (h === null) return [];
  const bars: HistogramBar[] = [];
  const add = (label: string, count: number | null, kind: BarKind): void => {
    if (count) bars.push({ label, count, kind });
  };
  if (h.kind === 'numeric') {
    add('below 1st pct', h.low_tail, 'tail');
    for (const b of h.bins) bars.push({ label: `${formatNumber(b.lo)} – ${formatNumber(b.hi)}`, count: b.count, kind: 'bin' });
    add('above 99th pct', h.high_tail, 'tail');
  } else {
    for (const t of h.top) bars.push({ label: String(t.value), count: t.count, kind: 'top' });
    add('long tail', h.longtail, 'other');
    add('unique', h.unique, 'unique');
  }
  add('null', h.nulls, 'null');
  return bars;
}

/** Stats by column name. */
export function parseStats(body: StatsAnswer): Map<string, ColumnStats> {
  return new Map(body.columns.map((c) => [c.name, { ...c, histogram: histogramBars(c.histogram) }]));
}

/** Short, readable numbers for stats cells: integers with separators, others to 4 significant decimals. */
export function formatNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return n.toLocaleString('en-US');
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e15)) return n.toExponential(3);
  return n.toLocaleString('en-US', { maximumFractionDigits: abs < 1 ? 6 : 4 });
}

export function formatStat(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** The rows of the Σ summary, top to bottom: a label and how to read each column's value. */
export const SUMMARY_ROWS: { label: string; value: (s: ColumnStats) => string }[] = [
  { label: 'dtype', value: (s) => s.dtype },
  { label: 'non-null', value: (s) => formatStat(s.non_null) },
  { label: 'nulls', value: (s) => formatStat(s.nulls) },
  { label: 'distinct', value: (s) => (s.distinct === null ? '' : `${s.distinct_approx ? '≈' : ''}${formatNumber(s.distinct)}`) },
  { label: 'mean', value: (s) => formatStat(s.mean) },
  { label: 'std', value: (s) => formatStat(s.std) },
  { label: 'min', value: (s) => formatStat(s.min) },
  { label: '25%', value: (s) => formatStat(s.q25) },
  { label: 'median', value: (s) => formatStat(s.median) },
  { label: '75%', value: (s) => formatStat(s.q75) },
  { label: 'max', value: (s) => formatStat(s.max) },
  { label: 'top values', value: (s) => s.top.slice(0, 5).map((t) => `${formatStat(t.value)} (${formatNumber(t.count)})`).join(', ') },
];
