import { describe, expect, it } from 'vitest';
import type { ColumnStats } from '../../../src/contract/data-api.ts';
import { clippedTextLength, clipStatsText, STATS_TEXT_MAX_CHARS } from '../../../src/contract/data-limits.ts';
import { shortName } from '../../../src/mcp/view-result.ts';
import { clipColumnText } from '../../../src/server/stats-clip.ts';

const long = 'y'.repeat(5_000);

function column(over: Partial<ColumnStats>): ColumnStats {
  return {
    name: 'c', dtype: 'VARCHAR', non_null: 2, nulls: 0, distinct: 2, distinct_approx: false, min: 'a', max: 'b',
    top: [{ value: 'a', count: 1 }], quantiles_approx: false, mean: null, std: null, q25: null, median: null, q75: null,
    histogram: null, ...over,
  };
}

describe('clipping long text in stats answers', () => {
  it('leaves a column whose values fit as the same object', () => {
    const c = column({});
    expect(clipColumnText(c)).toBe(c);
  });

  it('cuts min, max and every top value, naming the real length, and marks the column', () => {
    const c = clipColumnText(column({ max: long, top: [{ value: long, count: 1 }], histogram: { kind: 'categorical', top: [{ value: long, count: 1 }], longtail: 0, unique: 1, nulls: 0 } }));
    expect(c.text_clipped).toBe(true);
    expect(c.min).toBe('a');
    expect(c.max).toBe(`${'y'.repeat(STATS_TEXT_MAX_CHARS)}… (5,000 characters)`);
    expect(c.top[0]!.value).toBe(c.max);
    expect(c.histogram?.kind === 'categorical' && c.histogram.top[0]!.value).toBe(c.max);
  });

  it('lets the agent text tell the real length of a value the server cut', () => {
    const cut = clipStatsText(long);
    expect(clippedTextLength(cut)).toBe(5_000);
    expect(clippedTextLength('short… (5 characters)')).toBeUndefined();
    expect(shortName(cut)).toMatch(/… \(5,000 characters\)$/);
  });
});
