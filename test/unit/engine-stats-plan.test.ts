// engine/stats-plan.ts: which queries summarise a batch of columns, tier by tier of row count.

import { describe, expect, it } from 'vitest';
import { APPROX_DISTINCT_ABOVE_ROWS } from '../../src/contract/data-limits.ts';
import { APPROX_QUANTILES_ABOVE_ROWS, planSummary, SMALL_FILE_MAX_ROWS, TINY_FILE_MAX_ROWS } from '../../src/engine/stats-plan.ts';

const columns = [
  { name: 'id', dtype: 'BIGINT' },
  { name: 'city "x"', dtype: 'VARCHAR' },
  { name: 'tags', dtype: 'VARCHAR[]' },
];
const tier = (rows: number) => {
  const { columns: _, ...choices } = planSummary(rows, columns);
  return choices;
};

describe('planSummary', () => {
  it('answers a tiny file from one scan, frequencies and quartiles included', () => {
    expect(tier(0)).toEqual({ distinctApprox: false, quantilesApprox: false, frequencies: 'summary-scan', quantilesInScan: true });
    expect(tier(TINY_FILE_MAX_ROWS)).toEqual(tier(0));
  });

  it('counts a small file with one grouping sets query beside the scan', () => {
    expect(tier(TINY_FILE_MAX_ROWS + 1)).toEqual({ distinctApprox: false, quantilesApprox: false, frequencies: 'grouping-sets', quantilesInScan: true });
    expect(tier(SMALL_FILE_MAX_ROWS)).toEqual(tier(TINY_FILE_MAX_ROWS + 1));
  });

  it('groups a larger file column by column and leaves its quartiles to the second phase', () => {
    expect(tier(SMALL_FILE_MAX_ROWS + 1)).toEqual({ distinctApprox: false, quantilesApprox: false, frequencies: 'per-column', quantilesInScan: false });
  });

  it('takes quartiles from a t-digest above the quantile threshold', () => {
    expect(tier(APPROX_QUANTILES_ABOVE_ROWS)).toMatchObject({ quantilesApprox: false });
    expect(tier(APPROX_QUANTILES_ABOVE_ROWS + 1)).toEqual({ distinctApprox: false, quantilesApprox: true, frequencies: 'per-column', quantilesInScan: false });
  });

  it('takes distinct counts from a sketch above a million rows', () => {
    expect(tier(APPROX_DISTINCT_ABOVE_ROWS)).toMatchObject({ distinctApprox: false });
    expect(tier(APPROX_DISTINCT_ABOVE_ROWS + 1)).toEqual({ distinctApprox: true, quantilesApprox: true, frequencies: 'per-column', quantilesInScan: false });
  });

  it('quotes each column and marks numbers and nested values', () => {
    expect(planSummary(10, columns).columns).toEqual([
      { name: 'id', dtype: 'BIGINT', q: '"id"', numeric: true, nested: false },
      { name: 'city "x"', dtype: 'VARCHAR', q: '"city ""x"""', numeric: false, nested: false },
      { name: 'tags', dtype: 'VARCHAR[]', q: '"tags"', numeric: false, nested: true },
    ]);
  });
});
