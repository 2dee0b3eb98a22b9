// web/stats.ts: the stats answer as the pinned rows and the Σ summary show it.

import { describe, expect, it } from 'vitest';
import type { StatsAnswer } from '../../src/contract/data-api.ts';
import { formatNumber, parseStats, SUMMARY_ROWS } from '../../src/web/stats.ts';

describe('stats for the pinned rows and the summary', () => {
  const column = { quantiles_approx: false };
  const body: StatsAnswer = {
    session: 's', dataset_id: 1, path: '/d/x.csv', rows: 5, columns_total: 2, distinct_approx: false, wait_ms: 0,
    columns: [
      {
        ...column, name: 'score', dtype: 'DOUBLE', non_null: 4, nulls: 1, distinct: 4, distinct_approx: false, min: 1.5, max: 4.5, mean: 3, std: 1.2909944487358056,
        q25: 2.25, median: 3, q75: 3.75, top: [{ value: 1.5, count: 1 }],
        histogram: { kind: 'numeric', bins: [{ lo: 1.5, hi: 3, count: 2 }, { lo: 3, hi: 4.5, count: 2 }], low_tail: 0, high_tail: 1, nulls: 1 },
      },
      {
        ...column, name: 'city', dtype: 'VARCHAR', non_null: 1_500_000, nulls: 0, distinct: 1_234_567, distinct_approx: true, min: 'A', max: 'Z', mean: null, std: null,
        q25: null, median: null, q75: null, top: [{ value: 'Paris', count: 9 }],
        histogram: { kind: 'categorical', top: [{ value: 'Paris', count: 9 }], longtail: 5, unique: 3, nulls: 2 },
      },
    ],
  };

  it('reads the engines numeric and categorical histograms into bars', () => {
    const stats = parseStats(body);
    expect(stats.get('score')!.histogram).toEqual([
      { label: '1.5 – 3', count: 2, kind: 'bin' },
      { label: '3 – 4.5', count: 2, kind: 'bin' },
      { label: 'above 99th pct', count: 1, kind: 'tail' },
      { label: 'null', count: 1, kind: 'null' },
    ]);
    expect(stats.get('city')!.histogram).toEqual([
      { label: 'Paris', count: 9, kind: 'top' },
      { label: 'long tail', count: 5, kind: 'other' },
      { label: 'unique', count: 3, kind: 'unique' },
      { label: 'null', count: 2, kind: 'null' },
    ]);
  });

  it('formats summary cells and marks approximate distinct counts', () => {
    const stats = parseStats(body);
    const row = (label: string, col: string): string => SUMMARY_ROWS.find((r) => r.label === label)!.value(stats.get(col)!);
    expect(row('mean', 'score')).toBe('3');
    expect(row('std', 'score')).toBe('1.291');
    expect(row('distinct', 'city')).toBe('≈1,234,567');
    expect(row('mean', 'city')).toBe('');
    expect(row('top values', 'city')).toBe('Paris (9)');
    expect(formatNumber(0.000012345)).toBe('1.234e-5');
  });
});
