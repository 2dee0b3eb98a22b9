// Pure pieces of the viewer: reading the data API's answers, search highlighting, stats formatting, the
// page HTML when the build lacks its assets, and the OS opener command per platform.

import { describe, expect, it } from 'vitest';
import { openerCommand } from '../../src/server/browser.ts';
import { isSessionId, viewerPageHtml } from '../../src/server/web.ts';
import type { WebAssets } from '../../src/server/web-assets.ts';
import { createViewerHub } from '../../src/server/viewers.ts';
import { isNoDataError, parseMeta, parseRows, ServerError } from '../../src/web/api.ts';
import { displayValue, matchParts } from '../../src/web/cells.ts';
import { formatNumber, parseStats, readHistogram, SUMMARY_ROWS } from '../../src/web/stats.ts';

const assets = (list: WebAssets['list'], problem?: string): WebAssets => ({ list, problem, source: 'test', read: () => undefined });

describe('reading the data API', () => {
  it('reads_rows_as_arrays_with_the_servers_row_numbers', () => {
    const w = parseRows({ rows: [['a', 1], ['b', null]], row_numbers: [7, 3], total: 10, filtered: 2 }, [
      { name: 'x', dtype: 'VARCHAR' },
      { name: 'y', dtype: 'BIGINT' },
    ]);
    expect(w).toEqual({ rows: [['a', 1], ['b', null]], rowNumbers: [7, 3], total: 10, filtered: 2 });
  });

  it('reads_rows_sent_as_objects_in_column_order', () => {
    const w = parseRows({ rows: [{ y: 2, x: 'q' }], total: 1 }, [
      { name: 'x', dtype: 'VARCHAR' },
      { name: 'y', dtype: 'BIGINT' },
    ]);
    expect(w.rows).toEqual([['q', 2]]);
    expect(w.filtered).toBe(1);
  });

  it('tells_a_loading_session_from_a_ready_one', () => {
    expect(parseMeta({ session: 's', status: 'loading', loading: { path: '/d/big.csv', percent: 42.5 } }, 's')).toEqual({ status: 'loading', path: '/d/big.csv', percent: 42.5 });
    const ready = parseMeta({ status: 'ready', path: '/d/a.csv', format: 'csv', rows: 3, columns: [{ name: 'a', dtype: 'VARCHAR' }] }, 's');
    expect(ready).toEqual({ status: 'ready', meta: { session: 's', path: '/d/a.csv', format: 'csv', rows: 3, columns: [{ name: 'a', dtype: 'VARCHAR' }] } });
  });

  it('treats_unknown_session_and_no_dataset_as_waiting_not_as_errors', () => {
    expect(isNoDataError(new ServerError(404, 'E_UNKNOWN_SESSION', 'Unknown session'))).toBe(true);
    expect(isNoDataError(new ServerError(409, 'E_NO_DATASET', 'nothing yet'))).toBe(true);
    expect(isNoDataError(new ServerError(404, 'E_FILE_NOT_FOUND', 'gone'))).toBe(false);
    expect(isNoDataError(new Error('x'))).toBe(false);
  });
});

describe('stats for the pinned rows and the summary', () => {
  const body = {
    columns: [
      {
        name: 'score', dtype: 'DOUBLE', non_null: 4, nulls: 1, distinct: 4, distinct_approx: false, min: 1.5, max: 4.5, mean: 3, std: 1.2909944487358056,
        q25: 2.25, median: 3, q75: 3.75, top: [{ value: 1.5, count: 1 }],
        histogram: { kind: 'numeric', bins: [{ lo: 1.5, hi: 3, count: 2 }, { lo: 3, hi: 4.5, count: 2 }], low_tail: 0, high_tail: 1, nulls: 1 },
      },
      {
        name: 'city', dtype: 'VARCHAR', non_null: 1_500_000, nulls: 0, distinct: 1_234_567, distinct_approx: true, min: 'A', max: 'Z', mean: null, std: null,
        q25: null, median: null, q75: null, top: [{ value: 'Paris', count: 9 }],
        histogram: { kind: 'categorical', top: [{ value: 'Paris', count: 9 }], longtail: 5, unique: 3, nulls: 2 },
      },
    ],
  };

  it('reads_the_engines_numeric_and_categorical_histograms_into_bars', () => {
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

  it('reads_the_upstream_viewers_histogram_shape_too', () => {
    expect(readHistogram([{ name: 'a', cat_pop: 4 }, { name: 'longtail', longtail: 2 }, { name: 'NA', NA: 1 }])).toEqual([
      { label: 'a', count: 4, kind: 'top' },
      { label: 'long tail', count: 2, kind: 'other' },
      { label: 'null', count: 1, kind: 'null' },
    ]);
  });

  it('formats_summary_cells_and_marks_approximate_distinct_counts', () => {
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

describe('cells', () => {
  it('marks_every_case_insensitive_match', () => {
    expect(matchParts('Paris, paris', 'PAR')).toEqual([
      { text: 'Par', match: true },
      { text: 'is, ', match: false },
      { text: 'par', match: true },
      { text: 'is', match: false },
    ]);
    expect(matchParts('abc', '')).toEqual([{ text: 'abc', match: false }]);
  });

  it('shows_exact_values_the_server_sent_as_strings_or_tagged_objects', () => {
    expect(displayValue('9007199254740993')).toBe('9007199254740993');
    expect(displayValue({ $decimal: '1.10' })).toBe('1.10');
    expect(displayValue([1, 2])).toBe('[1,2]');
    expect(displayValue(null)).toBe('');
  });
});

describe('the page html', () => {
  it('links_the_hashed_script_and_styles_and_starts_in_a_visible_state', () => {
    const html = viewerPageHtml('abc12345', { version: '1.2.3', pid: 4242 }, assets([{ name: 'viewer-AB12.js', bytes: 10, hash: 'h' }, { name: 'viewer-CD34.css', bytes: 5, hash: 'h' }]));
    expect(html).toContain('<script type="module" src="/assets/viewer-AB12.js"></script>');
    expect(html).toContain('<link rel="stylesheet" href="/assets/viewer-CD34.css">');
    expect(html).toContain('Connecting to the buckaroo-table server');
    expect(html).toContain('<meta name="bt-session" content="abc12345">');
    expect(html).toContain('<meta name="bt-pid" content="4242">');
  });

  it('says_the_viewer_is_missing_instead_of_showing_a_blank_page', () => {
    const html = viewerPageHtml('abc12345', { version: '1.2.3', pid: 4242 }, assets([], 'the viewer manifest lists no files'));
    expect(html).toContain('The viewer is missing from this build');
    expect(html).not.toContain('<script');
  });

  it('refuses_session_ids_that_could_escape_the_url', () => {
    expect(isSessionId('Abc_123-xyz')).toBe(true);
    expect(isSessionId('../etc')).toBe(false);
    expect(isSessionId('')).toBe(false);
    expect(isSessionId('a'.repeat(129))).toBe(false);
  });
});

describe('the OS opener', () => {
  it('uses_open_on_macos_xdg_open_on_linux_and_start_on_windows', () => {
    expect(openerCommand('darwin', 'http://127.0.0.1:1/s/x')).toEqual({ command: 'open', args: ['http://127.0.0.1:1/s/x'] });
    expect(openerCommand('linux', 'http://127.0.0.1:1/s/x')).toEqual({ command: 'xdg-open', args: ['http://127.0.0.1:1/s/x'] });
    expect(openerCommand('freebsd', 'u')).toEqual({ command: 'xdg-open', args: ['u'] });
    expect(openerCommand('win32', 'http://127.0.0.1:1/s/x')).toEqual({ command: 'cmd', args: ['/d', '/s', '/c', 'start', '""', '"http://127.0.0.1:1/s/x"'] });
  });
});

describe('the viewer hub', () => {
  const noop = (): void => {};

  it('does not wait for a session nobody watched', async () => {
    const hub = createViewerHub(10_000);
    const t0 = Date.now();
    expect(await hub.rejoined('never-seen')).toBe(false);
    expect(Date.now() - t0).toBeLessThan(50);
  });

  it('waits for a page that left a moment ago, and answers as soon as it is back', async () => {
    const hub = createViewerHub(10_000);
    hub.add('s1', noop)();
    const t0 = Date.now();
    const waiting = hub.rejoined('s1');
    setTimeout(() => hub.add('s1', noop), 30);
    expect(await waiting).toBe(true);
    expect(Date.now() - t0).toBeLessThan(1_000);
  });

  it('gives up when the grace is over', async () => {
    const hub = createViewerHub(60);
    hub.add('s2', noop)();
    expect(await hub.rejoined('s2')).toBe(false);
    expect(await hub.rejoined('s2')).toBe(false); // and later ones do not wait again
  });

  it('counts a session as watched while any of its pages is connected', async () => {
    const hub = createViewerHub(10_000);
    const leave = hub.add('s3', () => {});
    hub.add('s3', () => {});
    leave();
    expect(hub.connected('s3')).toBe(1);
    expect(await hub.rejoined('s3')).toBe(true);
  });
});
