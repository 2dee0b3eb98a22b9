// The text view_data returns: header, column table, the 50-column cap, URL and status line.

import { describe, expect, it } from 'vitest';
import type { LoadAnswer, SummaryStats } from '../../src/contract/data-api.ts';
import type { EnsureResult } from '../../src/lifecycle/ensure-server.ts';
import { buildViewResult, formatValue, viewErrorText, viewResultText } from '../../src/mcp/view-result-text.ts';

const load = (n = 2): LoadAnswer => ({
  session: 'sess1234',
  path: '/data/people.csv',
  format: 'csv',
  bytes: 2048,
  rows: 1234,
  columns: Array.from({ length: n }, (_, i) => ({ name: i === 0 ? 'age' : `c${i}`, dtype: i === 0 ? 'BIGINT' : 'VARCHAR' })),
  load_ms: 12.3,
  url: 'http://127.0.0.1:9870/s/sess1234',
  browser_action: 'opened',
  server_pid: 42,
});
const stats: SummaryStats = {
  rows: 1234,
  columns_total: 2,
  distinct_approx: false,
  columns: [
    { name: 'age', dtype: 'BIGINT', non_null: 1231, nulls: 3, distinct: 70, distinct_approx: false, min: 1, max: 99, top: [{ value: 30, count: 40 }] },
    { name: 'c1', dtype: 'VARCHAR', non_null: 1234, nulls: 0, distinct: 2, distinct_approx: false, min: 'a', max: 'b', top: [{ value: 'a', count: 1000 }] },
  ],
};
const server: EnsureResult = { status: 'reused', pid: 42, version: '1.2.3', port: 9870, token: 't', ms: 3 };

describe('viewResultText', () => {
  it('names the encoding of a text file and shortens a very long column name in text and structure', () => {
    const long = 'n'.repeat(10_000);
    const answer = { ...load(), encoding: 'Windows-1252', columns: [{ name: long, dtype: 'BIGINT' }] };
    const t = viewResultText(answer, undefined, server);
    expect(t).toContain('(csv, Windows-1252, 2.0 KB, loaded in 12 ms)');
    expect(t).toContain('… (10,000 characters)');
    expect(t.length).toBeLessThan(2_000);
    const r = buildViewResult(answer, undefined, server);
    expect(r).toMatchObject({ encoding: 'Windows-1252' });
    expect(r.columns[0]!.name).toMatch(/^n+… \(10,000 characters\)$/);
  });

  it('lists rows columns stats url and one status line', () => {
    const t = viewResultText(load(), stats, server);
    expect(t).toContain('people.csv — 1,234 rows × 2 columns (csv, 2.0 KB, loaded in 12 ms)');
    expect(t).toMatch(/age\s+BIGINT\s+3\s+70\s+1 … 99/);
    expect(t).toMatch(/c1\s+VARCHAR\s+0\s+2\s+top "a" \(1,000\)/);
    expect(t).toContain('View: http://127.0.0.1:9870/s/sess1234');
    expect(t).toContain('Browser: opened a browser tab · session sess1234\nReused data server 1.2.3 (pid 42) on port 9870 (3 ms).');
  });

  it('caps wide files at 50 columns and counts the rest', () => {
    const t = viewResultText(load(120), undefined, server, ['Update available: 1.3.0']);
    expect(t).toContain('c49');
    expect(t).not.toContain('c50 ');
    expect(t).toContain('… and 70 more columns (120 in all');
    expect(t).toContain('not available yet');
    expect(t.endsWith('Update available: 1.3.0')).toBe(true);
  });

  it('marks approximate distinct counts and replaced servers', () => {
    const t = viewResultText(load(), { ...stats, distinct_approx: true }, { ...server, status: 'replaced', previous: { version: '1.0.0', pid: 7, how: 'shutdown' } });
    expect(t).toMatch(/~70/);
    expect(t).toContain('approximate');
    expect(t).toContain('Replaced data server 1.0.0 (pid 7, stopped via /shutdown) with 1.2.3 (pid 42) on port 9870 (3 ms).');
  });

  it('formats values and errors compactly', () => {
    expect(formatValue(null)).toBe('–');
    expect(formatValue('x'.repeat(50))).toHaveLength(24);
    expect(viewErrorText('File not found: /a', 'Check the path', 'E_FILE_NOT_FOUND')).toBe('File not found: /a\nHint: Check the path\n(E_FILE_NOT_FOUND)');
  });
});
