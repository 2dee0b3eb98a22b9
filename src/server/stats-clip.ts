// Stats answers carry at most STATS_TEXT_MAX_CHARS of any string value (see contract/data-limits.ts): applied
// to /stats and to the summary /load adds, so neither ships a 20 MB field three times over.

import type { ColumnStats, ColumnSummary, Histogram, TopValue } from '../contract/data-api.ts';
import { clipStatsText, STATS_TEXT_MAX_CHARS } from '../contract/data-limits.ts';

/** The fields of a column's stats that hold a value of the column (not counts). */
const VALUE_FIELDS = ['min', 'max', 'mean', 'std', 'q25', 'median', 'q75'] as const;

const isLong = (v: unknown): v is string => typeof v === 'string' && v.length > STATS_TEXT_MAX_CHARS;

function hasLongText(c: ColumnSummary & Partial<ColumnStats>): boolean {
  const hist = c.histogram;
  return (
    VALUE_FIELDS.some((f) => isLong(c[f])) ||
    c.top.some((t) => isLong(t.value)) ||
    (hist?.kind === 'categorical' && hist.top.some((t) => isLong(t.value)))
  );
}

const clip = (v: unknown): unknown => (typeof v === 'string' ? clipStatsText(v) : v);
const clipTop = (top: TopValue[]): TopValue[] => top.map((t) => ({ ...t, value: clip(t.value) }));

/** The column with every long string value cut and `text_clipped` set; the same object when none was long. */
export function clipColumnText<C extends ColumnSummary & Partial<ColumnStats>>(column: C): C {
  if (!hasLongText(column)) return column;
  const out: C = { ...column, top: clipTop(column.top), text_clipped: true };
  for (const f of VALUE_FIELDS) if (f in out) (out as Record<string, unknown>)[f] = clip(out[f]);
  const hist: Histogram | null | undefined = out.histogram;
  if (hist?.kind === 'categorical') out.histogram = { ...hist, top: clipTop(hist.top) };
  return out;
}
