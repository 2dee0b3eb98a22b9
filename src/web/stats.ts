// Per-column stats from GET /api/sessions/:id/stats, read into one shape the pinned rows and the Σ summary
// show: counts, moments, quartiles, top values, and a histogram as a list of labelled bars.

export type BarKind = 'bin' | 'top' | 'tail' | 'other' | 'unique' | 'null';

export interface HistogramBar {
  label: string;
  count: number;
  kind: BarKind;
}

export interface ColumnStats {
  name: string;
  dtype?: string;
  nonNull?: number;
  nulls?: number;
  distinct?: number;
  distinctApprox: boolean;
  mean?: unknown;
  std?: unknown;
  min?: unknown;
  q25?: unknown;
  median?: unknown;
  q75?: unknown;
  max?: unknown;
  top: { value: unknown; count: number }[];
  histogram: HistogramBar[];
}

type Rec = Record<string, unknown>;
const isRecord = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined;

function pick(r: Rec, ...keys: string[]): unknown {
  for (const k of keys) if (r[k] !== undefined) return r[k];
  return undefined;
}

function readTop(v: unknown): { value: unknown; count: number }[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((t) => {
    if (Array.isArray(t)) return [{ value: t[0], count: num(t[1]) ?? 0 }];
    if (isRecord(t)) return [{ value: pick(t, 'value', 'name', 'label'), count: num(pick(t, 'count', 'n', 'population', 'freq')) ?? 0 }];
    return [];
  });
}

const fmtEdge = (v: unknown): string => {
  const n = num(v);
  return n === undefined ? String(v) : formatNumber(n);
};

/** Reads the histogram in any of the shapes the stats API may use into bars. */
export function readHistogram(h: unknown): HistogramBar[] {
  if (Array.isArray(h)) {
    // Upstream-viewer style: [{name, population|count, tail?|cat_pop?|longtail?|unique?|NA?}]
    return h.flatMap((b): HistogramBar[] => {
      if (!isRecord(b)) return [];
      const label = String(pick(b, 'name', 'label', 'value', 'bin') ?? '');
      if (b.NA !== undefined || b.nulls !== undefined || label === 'NA' || label === 'null') {
        return [{ label: 'null', count: num(pick(b, 'NA', 'nulls', 'count', 'population')) ?? 0, kind: 'null' }];
      }
      if (b.longtail !== undefined || b.long_tail !== undefined) return [{ label: 'long tail', count: num(pick(b, 'longtail', 'long_tail')) ?? 0, kind: 'other' }];
      if (b.unique !== undefined) return [{ label: 'unique', count: num(b.unique) ?? 0, kind: 'unique' }];
      if (b.tail !== undefined) return [{ label, count: num(b.tail) ?? 0, kind: 'tail' }];
      if (b.cat_pop !== undefined) return [{ label, count: num(b.cat_pop) ?? 0, kind: 'top' }];
      const lo = pick(b, 'lo', 'low', 'start', 'min');
      const hi = pick(b, 'hi', 'high', 'end', 'max');
      const kind = (pick(b, 'kind', 'type') as BarKind | undefined) ?? 'bin';
      return [{ label: lo !== undefined && hi !== undefined ? `${fmtEdge(lo)} – ${fmtEdge(hi)}` : label, count: num(pick(b, 'count', 'population', 'n')) ?? 0, kind }];
    });
  }
  if (!isRecord(h)) return [];
  const bars: HistogramBar[] = [];
  const lowTail = num(pick(h, 'low_tail', 'lowTail', 'below', 'low'));
  if (lowTail) bars.push({ label: 'below 1st pct', count: lowTail, kind: 'tail' });
  const bins = pick(h, 'bins', 'buckets');
  const counts = pick(h, 'counts');
  const edges = pick(h, 'edges');
  if (Array.isArray(bins) && bins.length > 0 && isRecord(bins[0])) bars.push(...readHistogram(bins));
  else if (Array.isArray(counts)) {
    counts.forEach((c, i) => {
      const label = Array.isArray(edges) && edges.length > i + 1 ? `${fmtEdge(edges[i])} – ${fmtEdge(edges[i + 1])}` : `bin ${i + 1}`;
      bars.push({ label, count: num(c) ?? 0, kind: 'bin' });
    });
  }
  const top = readTop(pick(h, 'top', 'values', 'categories'));
  for (const t of top) bars.push({ label: String(t.value), count: t.count, kind: 'top' });
  const highTail = num(pick(h, 'high_tail', 'highTail', 'above', 'high'));
  if (highTail) bars.push({ label: 'above 99th pct', count: highTail, kind: 'tail' });
  const longTail = num(pick(h, 'long_tail', 'longtail', 'longTail', 'other'));
  if (longTail) bars.push({ label: 'long tail', count: longTail, kind: 'other' });
  const unique = num(pick(h, 'unique'));
  if (unique) bars.push({ label: 'unique', count: unique, kind: 'unique' });
  const nulls = num(pick(h, 'nulls', 'null', 'NA'));
  if (nulls) bars.push({ label: 'null', count: nulls, kind: 'null' });
  return bars;
}

function readColumn(name: string, r: Rec): ColumnStats {
  const quartiles = pick(r, 'quartiles');
  const q = Array.isArray(quartiles) ? quartiles : isRecord(quartiles) ? [quartiles.q25 ?? quartiles['25%'], quartiles.q50 ?? quartiles.median, quartiles.q75 ?? quartiles['75%']] : [];
  const distinct = pick(r, 'distinct', 'distinct_count', 'distinctCount', 'unique_count', 'n_distinct');
  const distinctRecord = isRecord(distinct) ? distinct : undefined;
  return {
    name,
    dtype: typeof r.dtype === 'string' ? r.dtype : typeof r.type === 'string' ? r.type : undefined,
    nonNull: num(pick(r, 'non_null', 'nonNull', 'non_null_count', 'count', 'valid')),
    nulls: num(pick(r, 'nulls', 'null_count', 'nullCount', 'null')),
    distinct: num(distinctRecord ? pick(distinctRecord, 'value', 'count') : distinct),
    distinctApprox: Boolean(pick(r, 'distinct_approx', 'distinctApprox', 'approx_distinct') ?? distinctRecord?.approx ?? distinctRecord?.approximate),
    mean: pick(r, 'mean', 'avg'),
    std: pick(r, 'std', 'stddev', 'std_dev'),
    min: pick(r, 'min'),
    q25: pick(r, 'q25', 'p25', '25%') ?? q[0],
    median: pick(r, 'median', 'q50', 'p50', '50%') ?? q[1],
    q75: pick(r, 'q75', 'p75', '75%') ?? q[2],
    max: pick(r, 'max'),
    top: readTop(pick(r, 'top', 'top_values', 'topValues', 'most_frequent', 'mode')),
    histogram: readHistogram(pick(r, 'histogram', 'hist', 'histogram_bins')),
  };
}

/** Accepts `{columns:[{name,…}]}`, `{stats:{name:{…}}}`, `[{name,…}]` or `{name:{…}}`; returns stats by column name. */
export function parseStats(body: unknown): Map<string, ColumnStats> {
  const out = new Map<string, ColumnStats>();
  let b: unknown = body;
  if (isRecord(b) && (Array.isArray(b.columns) || isRecord(b.columns))) b = b.columns;
  else if (isRecord(b) && (Array.isArray(b.stats) || isRecord(b.stats))) b = b.stats;
  if (Array.isArray(b)) {
    for (const c of b) if (isRecord(c) && typeof c.name === 'string') out.set(c.name, readColumn(c.name, c));
  } else if (isRecord(b)) {
    for (const [name, c] of Object.entries(b)) if (isRecord(c)) out.set(name, readColumn(name, c));
  }
  return out;
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
  { label: 'dtype', value: (s) => s.dtype ?? '' },
  { label: 'non-null', value: (s) => formatStat(s.nonNull) },
  { label: 'nulls', value: (s) => formatStat(s.nulls) },
  { label: 'distinct', value: (s) => (s.distinct === undefined ? '' : `${s.distinctApprox ? '≈' : ''}${formatNumber(s.distinct)}`) },
  { label: 'mean', value: (s) => formatStat(s.mean) },
  { label: 'std', value: (s) => formatStat(s.std) },
  { label: 'min', value: (s) => formatStat(s.min) },
  { label: '25%', value: (s) => formatStat(s.q25) },
  { label: 'median', value: (s) => formatStat(s.median) },
  { label: '75%', value: (s) => formatStat(s.q75) },
  { label: 'max', value: (s) => formatStat(s.max) },
  { label: 'top values', value: (s) => s.top.slice(0, 5).map((t) => `${formatStat(t.value)} (${formatNumber(t.count)})`).join(', ') },
];
