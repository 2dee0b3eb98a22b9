// What query_data and compare_data tell the agent: built as data, the text rendered from it alone.

import { describe, expect, it } from 'vitest';
import type { CompareAnswer, QueryAnswer } from '../../src/contract/data-api.ts';
import { buildCompareResult, compareResultText } from '../../src/mcp/compare-result.ts';
import { buildQueryResult, queryResultText } from '../../src/mcp/query-result.ts';

const answer = (over: Partial<QueryAnswer> = {}): QueryAnswer => ({
  session: 's1',
  dataset_id: 3,
  sql: 'select * from sales',
  columns: [
    { name: 'city', dtype: 'VARCHAR' },
    { name: 'tags', dtype: 'VARCHAR[]' },
  ],
  rows: [
    ['Oslo', ['a', 'b']],
    ['', null],
  ],
  returned_rows: 2,
  total_rows: 12_345,
  truncated: true,
  tables: ['sales'],
  query_ms: 41.2,
  url: 'http://127.0.0.1:9870/s/s1',
  browser_action: 'refreshed',
  server_pid: 1,
  ...over,
});

describe('query_data result', () => {
  it('says it cut the result, in text and structure alike', () => {
    const r = buildQueryResult(answer());
    expect(r.summary).toContain('showing 2 of 12,345 rows');
    expect(r.hints.join(' ')).toContain('only the first 2 are here');
    const t = queryResultText(r);
    expect(t).toContain('… showing 2 of 12,345 rows');
    expect(t).toContain('city | tags');
    expect(t).toContain('Oslo | ["a","b"]');
    expect(t).toContain('"" | NULL');
    expect(r.rows[0]).toEqual(['Oslo', '["a","b"]']);
  });
  it('says all rows are here when nothing was cut, and keeps long values whole', () => {
    const long = 'x'.repeat(5_000);
    const r = buildQueryResult(answer({ rows: [[long, null]], returned_rows: 1, total_rows: 1, truncated: false }));
    expect(r.summary).toContain('all 1 rows');
    expect(r.hints).toEqual([]);
    expect(r.rows[0]![0]).toBe(long);
  });
});

describe('compare_data result', () => {
  const a: CompareAnswer = {
    session: 's1',
    dataset_id: 9,
    left: { path: '/d/before.csv', table: 'before', rows: 4, columns: 4 },
    right: { path: '/d/after.csv', table: 'after', rows: 4, columns: 4 },
    keys: ['sku'],
    keys_detected: true,
    only_in_left: 1,
    only_in_right: 1,
    changed_rows: 2,
    changed_by_column: { name: 1, price: 2, stock: 0 },
    columns_only_in_left: ['stock'],
    columns_only_in_right: [],
    type_changes: [{ column: 'price', left: 'BIGINT', right: 'DOUBLE' }],
    compare_ms: 80,
    url: 'http://127.0.0.1:9870/s/s1',
    browser_action: 'refreshed',
    server_pid: 1,
  };
  it('renders the counts, the detected key and the tables from the structured result', () => {
    const r = buildCompareResult(a);
    const t = compareResultText(r);
    expect(t).toContain('before.csv → after.csv: 1 rows only in left, 1 only in right, 2 changed (of 4 and 4 rows; 80 ms)');
    expect(t).toContain('Changed cells by column: price 2, name 1');
    expect(t).not.toContain('stock 0');
    expect(t).toContain('Columns only in left: stock');
    expect(t).toContain('Type changes: price BIGINT → DOUBLE');
    expect(t).toContain('Rows matched by sku, detected');
    expect(t).toContain('query_data as before and after');
    expect(buildCompareResult({ ...a, keys_detected: false }).hints[0]).toBe('Rows matched by sku.');
  });
});
