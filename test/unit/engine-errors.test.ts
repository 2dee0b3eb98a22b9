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

describe('a load that ran out of memory or disk', () => {
  it('names a full temp disk, which DuckDB calls out of memory too', () => {
    const e = translateLoadError("Out of Memory Error: failed to offload data block of size 96.0 KiB (36.0 MiB/36.0 MiB used). This limit was set by the 'max_temp_directory_size' setting.", 'parquet', '/d/big.parquet');
    expect(e.code).toBe('E_OUT_OF_SPACE');
    expect(e.status).toBe(507);
    expect(e.message).toBe("Loading /d/big.parquet ran out of temporary disk space: what does not fit in DuckDB's memory spills to BUCKAROO_HOME/tmp/duckdb, and that disk is full (36.0 MiB spilled). Nothing of this load was kept.");
  });

  it('names memory when that is what ran out', () => {
    const e = translateLoadError('Out of Memory Error: could not allocate block of size 64.0 MiB (0 bytes/57.2 MiB used)', 'csv', '/d/a.csv');
    expect(e.code).toBe('E_OUT_OF_MEMORY');
    expect(e.hint).toMatch(/BUCKAROO_DUCKDB_MEMORY_LIMIT/);
  });
});
