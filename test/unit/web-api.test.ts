// web/api.ts: how the page reads the data API's answers and errors, and asks for the preloaded first window.

import { describe, expect, it } from 'vitest';
import type { MetaAnswer, RowsAnswer } from '../../src/contract/data-api.ts';
import { firstWindowPath } from '../../src/contract/data-limits.ts';
import { isNoDataError, parseMeta, parseRows, ServerError } from '../../src/web/api.ts';

const rowsAnswer = (rows: unknown[][], rowNumbers: number[], total: number, filtered: number): RowsAnswer => ({
  session: 's',
  dataset_id: 1,
  offset: 0,
  limit: 100,
  total,
  filtered,
  sort: null,
  dir: 'asc',
  search: null,
  columns: ['x', 'y'],
  rows,
  row_numbers: rowNumbers,
});

describe('reading the data API', () => {
  it('reads rows as arrays with the servers row numbers and the load they came from', () => {
    const w = parseRows(rowsAnswer([['a', 1], ['b', null]], [7, 3], 10, 2));
    expect(w).toEqual({ rows: [['a', 1], ['b', null]], rowNumbers: [7, 3], total: 10, filtered: 2, datasetId: 1 });
  });

  it('tells a loading session from a ready one', () => {
    expect(parseMeta({ session: 's', status: 'loading', loading: { path: '/d/big.csv', percent: 42.5, bytes: null, bytes_read: null, eta_ms: null, elapsed_ms: 900 } }, 's')).toEqual({ status: 'loading', path: '/d/big.csv', percent: 42.5 });
    expect(parseMeta({ session: 's', status: 'loading', loading: { path: '/d/big.csv', percent: null, bytes: null, bytes_read: null, eta_ms: null, elapsed_ms: 900 } }, 's')).toMatchObject({ percent: undefined });
    const body: MetaAnswer = {
      session: 's', status: 'ready', dataset_id: 4, path: '/d/a.csv', file_name: 'a.csv', format: 'csv', gzip: false, bytes: 10, rows: 3,
      columns: [{ name: 'a', dtype: 'VARCHAR' }], load_ms: 1.5, loaded_at: '2026-11-29T12:00:00.000Z', server_version: '1.2.3',
    };
    expect(parseMeta(body, 's')).toEqual({ status: 'ready', meta: { session: 's', datasetId: 4, path: '/d/a.csv', format: 'csv', rows: 3, columns: [{ name: 'a', dtype: 'VARCHAR' }] } });
  });

  it('treats unknown session and no dataset as waiting not as errors', () => {
    expect(isNoDataError(new ServerError(404, 'E_UNKNOWN_SESSION', 'Unknown session'))).toBe(true);
    expect(isNoDataError(new ServerError(409, 'E_NO_DATASET', 'nothing yet'))).toBe(true);
    expect(isNoDataError(new ServerError(404, 'E_FILE_NOT_FOUND', 'gone'))).toBe(false);
    expect(isNoDataError(new Error('x'))).toBe(false);
  });

  it('asks for the first window with the url the server preloads', () => {
    // The server's page preloads firstWindowPath(); the grid's first request must be the same string.
    expect(firstWindowPath('abc12345')).toBe('/api/sessions/abc12345/rows?offset=0&limit=200');
  });
});
