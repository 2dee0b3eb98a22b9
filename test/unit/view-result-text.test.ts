// The text view_data returns: header, column table, the 50-column cap, URL and status line.

import { describe, expect, it } from 'vitest';
import type { LoadAnswer, SummaryStats } from '../../src/contract/data-api.ts';
import type { EnsureResult } from '../../src/lifecycle/ensure-server.ts';
import { describeRead, nextProgress, progressTotal } from '../../src/mcp/tools/load-progress.ts';
import { buildViewResult, toCell } from '../../src/mcp/view-result.ts';
import { formatValue, viewErrorText, viewResultText } from '../../src/mcp/view-result-text.ts';

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
  it('names the SQL table query_data knows the file by, in text and structure', () => {
    const r = buildViewResult({ ...load(), table: 'people' }, stats, server);
    expect(r.table).toBe('people');
    expect(viewResultText(r)).toContain('SQL table: people (query it with query_data)');
    expect(buildViewResult(load(), stats, server).table).toBeNull();
  });
  it('names the encoding of a text file and shortens a very long column name in text and structure', () => {
    const long = 'n'.repeat(10_000);
    const answer = { ...load(), encoding: 'Windows-1252', columns: [{ name: long, dtype: 'BIGINT' }] };
    const r = buildViewResult(answer, undefined, server);
    const t = viewResultText(r);
    expect(t).toContain('(csv, Windows-1252, 2.0 KB, loaded in 12 ms)');
    expect(t).toContain('… (10,000 characters)');
    expect(t.length).toBeLessThan(2_000);
    expect(r).toMatchObject({ encoding: 'Windows-1252' });
    expect(r.columns[0]!.name).toMatch(/^n+… \(10,000 characters\)$/);
  });

  it('lists rows columns stats url and one status line', () => {
    const t = viewResultText(buildViewResult(load(), stats, server));
    expect(t).toContain('people.csv — 1,234 rows × 2 columns (csv, 2.0 KB, loaded in 12 ms)');
    expect(t).toMatch(/age\s+BIGINT\s+3\s+70\s+1 … 99/);
    expect(t).toMatch(/c1\s+VARCHAR\s+0\s+2\s+top "a" \(1,000\)/);
    expect(t).toContain('View: http://127.0.0.1:9870/s/sess1234');
    expect(t).toContain('Browser: opened a browser tab · session sess1234\nReused data server 1.2.3 (pid 42) on port 9870 (3 ms).');
  });

  it('says the table is in the chat, no tab opened, with the URL for a browser, when the client renders apps', () => {
    const r = buildViewResult({ ...load(), browser_action: 'skipped' }, stats, server, [], 'app');
    expect(r.display).toBe('app');
    expect(r.status_line).toBe(`Shown in the chat · browser not opened (open in browser: ${r.url}) · session ${r.session}`);
    expect(r.hints).toContain(`The table is shown in the chat (no browser tab was opened); to open it in a browser, give the person the URL ${r.url}`);
    expect(viewResultText(r)).toContain(r.status_line);
    expect(buildViewResult(load(), stats, server).display).toBe('browser');
  });

  it('caps wide files at 50 columns and counts the rest', () => {
    const t = viewResultText(buildViewResult(load(120), undefined, server, ['Update available: 1.3.0']));
    expect(t).toContain('c49');
    expect(t).not.toContain('c50 ');
    expect(t).toContain('… and 70 more columns (120 in all');
    expect(t).toContain('not available yet');
    expect(t.endsWith('Update available: 1.3.0')).toBe(true);
  });

  it('marks approximate distinct counts and replaced servers', () => {
    const t = viewResultText(buildViewResult(load(), { ...stats, distinct_approx: true }, { ...server, status: 'replaced', previous: { version: '1.0.0', pid: 7, how: 'shutdown' } }));
    expect(t).toMatch(/~70/);
    expect(t).toContain('approximate');
    expect(t).toContain('Replaced data server 1.0.0 (pid 7, stopped via /shutdown) with 1.2.3 (pid 42) on port 9870 (3 ms).');
  });

  it('is rendered from the structured result alone so the model sees every sentence', () => {
    const failed = { ...load(120), rows: 0, browser_action: 'failed', browser_reason: 'xdg-open is not installed' };
    const r = buildViewResult(failed, undefined, { ...server, notice: 'server 9.9.9 is newer than this tool 1.2.3' }, ['Update available: x', 'Run: y']);
    // What Claude Code and Codex hand the model: JSON.stringify(structuredContent).
    const seen = JSON.parse(JSON.stringify(r)) as typeof r;
    expect(viewResultText(seen)).toBe(viewResultText(r));
    const json = JSON.stringify(r);
    for (const sentence of [
      'The file has a header but no data rows.',
      '… and 70 more columns',
      'not available yet',
      'Could not open a browser (xdg-open is not installed): give the person the URL http://127.0.0.1:9870/s/sess1234',
      'Note: server 9.9.9 is newer',
      'Update available: x',
      'people.csv — 0 rows × 120 columns (csv, 2.0 KB, loaded in 12 ms)',
      'Reused data server 1.2.3 (pid 42) on port 9870 (3 ms).',
    ]) {
      expect(json).toContain(sentence);
    }
  });

  it('gives nested cell values as json text', () => {
    expect(toCell([1, 2])).toBe('[1,2]');
    expect(toCell({ a: 1 })).toBe('{"a":1}');
    expect(toCell(undefined)).toBeNull();
    expect(toCell('x')).toBe('x');
  });

  it('formats values and errors compactly', () => {
    expect(formatValue(null)).toBe('–');
    expect(formatValue('x'.repeat(50))).toHaveLength(24);
    expect(viewErrorText('File not found: /a', 'Check the path', 'E_FILE_NOT_FOUND')).toBe('File not found: /a\nHint: Check the path\n(E_FILE_NOT_FOUND)');
  });
});

describe('view_data progress', () => {
  it('only moves forward in bytes read', () => {
    expect(nextProgress(undefined, 0, 1000)).toBe(0);
    expect(nextProgress(0, 5, 1000)).toBe(50);
    expect(nextProgress(50, 5, 1000)).toBeUndefined(); // a repeat is not sent
    expect(nextProgress(50, 4, 1000)).toBeUndefined(); // nor a step back
    expect(nextProgress(50, null, 1000)).toBeUndefined(); // DuckDB cannot tell
    expect(nextProgress(50, 250, 1000)).toBe(999); // below the total: only the final 'done' reaches it
    expect(nextProgress(999, 100, 1000)).toBeUndefined();
    expect(progressTotal(undefined)).toBe(100);
    expect(describeRead(50, 2 * 1024 * 1024)).toBe('50% read (1.0 of 2.0 MB)');
  });
});
