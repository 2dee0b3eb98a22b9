// engine/errors.ts: how DuckDB's load errors read to an agent.

import { describe, expect, it } from 'vitest';
import { csvErrorLine, translateLoadError } from '../../src/engine/errors.ts';

describe('translateLoadError', () => {
  it('names the line of a malformed csv', () => {
    const e = translateLoadError('Invalid Input Error: CSV Error on Line: 4\nOriginal Line: 7,8\nExpected Number of Columns: 3 Found: 2\n', 'csv', '/d/x.csv');
    expect(e.code).toBe('E_MALFORMED_CSV');
    expect(e.message).toContain('line 4 has 2 fields where the header has 3 ("7,8")');
    expect(csvErrorLine('CSV Error on Line: 30002')).toBe(30002);
  });

  it('handles parquet json and sniffing failures', () => {
    expect(translateLoadError('No magic bytes found at end of file', 'parquet', 'f').code).toBe('E_BAD_PARQUET');
    expect(translateLoadError('json_read expected records, but got non-record JSON instead.', 'json', 'f').code).toBe('E_NOT_TABULAR');
    expect(translateLoadError('Error when sniffing file "f". It was not possible to automatically detect the CSV parsing dialect', 'csv', 'f').code).toBe('E_UNSUPPORTED_FORMAT');
    expect(translateLoadError('something odd', 'csv', 'f').code).toBe('E_LOAD_FAILED');
  });
});
