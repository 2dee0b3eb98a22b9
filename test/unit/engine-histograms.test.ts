// engine/histograms.ts: the upstream viewer's histogram rules.

import { describe, expect, it } from 'vitest';
import { binEdges, binIndexSql, categoricalHistogram, numericHistogram } from '../../src/engine/histograms.ts';

describe('histograms', () => {
  it('makes ten bins over the percentile range and one for a constant column', () => {
    const edges = binEdges(0, 10);
    expect(edges).toHaveLength(11);
    expect(edges[10]).toBe(10);
    expect(binEdges(5, 5)).toEqual([5, 5]);
    expect(binIndexSql('x', [0, 5, 10])).toBe(
      'case when x is null then null when x < 0::double then -1 when x > 10::double then 2 else least(floor((x - 0::double) / 5::double)::int, 1) end',
    );
    expect(binIndexSql('x', [5, 5])).toBe('case when x is null then null when x < 5::double then -1 when x > 5::double then 1 else 0 end');
    expect(numericHistogram([0, 5, 10], [3, 4], 1, 2, 0)).toEqual({
      kind: 'numeric',
      bins: [
        { lo: 0, hi: 5, count: 3 },
        { lo: 5, hi: 10, count: 4 },
      ],
      low_tail: 1,
      high_tail: 2,
      nulls: 0,
    });
  });

  it('splits categorical rows into top 7 longtail and unique', () => {
    const top = Array.from({ length: 8 }, (_, i) => ({ value: `v${i}`, count: 10 - i }));
    // 100 non-null rows: top 7 hold 10+9+…+4 = 49; 20 rows are values seen once.
    const h = categoricalHistogram(top, 100, 20, 5);
    expect(h.top).toHaveLength(7);
    expect(h).toMatchObject({ unique: 20, longtail: 31, nulls: 5 });
    expect(categoricalHistogram([{ value: 'a', count: 1 }], 1, 1, 0)).toMatchObject({ unique: 0, longtail: 0 });
  });
});
