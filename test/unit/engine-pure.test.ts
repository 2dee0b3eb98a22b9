// The engine's pure decisions: which reader a file goes to, how DuckDB errors read to an agent, histogram
// rules, value encoding, rows-query validation, quoting.

import { describe, expect, it } from 'vitest';
import { csvErrorLine, translateLoadError } from '../../src/engine/errors.ts';
import { binaryOffset, detectFormat } from '../../src/engine/formats.ts';
import { binEdges, binIndexSql, categoricalHistogram, numericHistogram } from '../../src/engine/histograms.ts';
import { mostFrequentDelimiter } from '../../src/engine/load.ts';
import { MAX_LIMIT, parseRowsQuery, searchPredicate } from '../../src/engine/rows.ts';
import { isValidSessionId, newSessionId } from '../../src/engine/session-registry.ts';
import { quoteIdent, quoteString } from '../../src/engine/sql.ts';
import { isNestedType } from '../../src/engine/stats.ts';
import { exactFloat, exactInteger, isNumericType } from '../../src/engine/values.ts';
import { sizeInMb } from '../../src/engine/memory-release.ts';
import { DEFAULT_DUCKDB_NICE, duckdbNice, keepsPriority, lowerWorkerPriority, QUERY_POOL_THREADS, widenQueryPool } from '../../src/engine/thread-priority.ts';

const text = (s: string): Uint8Array => Buffer.from(s);
const fmt = (name: string, head: string | Uint8Array) => {
  const h = typeof head === 'string' ? text(head) : head;
  return detectFormat(name, h, h, false);
};

describe('detectFormat', () => {
  it('handles_extensions_and_gzip_variants', () => {
    expect(fmt('a.csv', 'x,y\n')).toEqual({ format: 'csv', gzip: false });
    expect(fmt('a.TSV', 'x\ty\n')).toEqual({ format: 'tsv', gzip: false });
    expect(fmt('a.parq', 'PAR1....')).toEqual({ format: 'parquet', gzip: false });
    expect(fmt('a.jsonl', '{"a":1}\n')).toEqual({ format: 'ndjson', gzip: false });
    const gz = Uint8Array.from([0x1f, 0x8b, 8, 0]);
    expect(detectFormat('a.csv.gz', gz, text('x,y\n1,2\n'), true)).toEqual({ format: 'csv', gzip: true });
  });

  it('handles_unknown_extensions_by_content', () => {
    expect(fmt('data.txt', 'a;b\n1;2\n')).toEqual({ format: 'csv', gzip: false });
    expect(fmt('data', '  [{"a":1}]')).toEqual({ format: 'json', gzip: false });
    expect(fmt('data.log', '{"a":1}\n{"a":2}\n')).toEqual({ format: 'ndjson', gzip: false });
    expect(fmt('data.out', '{\n  "a": 1\n}')).toEqual({ format: 'json', gzip: false });
    expect(fmt('misnamed.csv', 'PAR1\u0000\u0001')).toEqual({ format: 'parquet', gzip: false });
  });

  it('refuses_binary_content_in_a_text_format', () => {
    expect(() => fmt('x.csv', Uint8Array.from([1, 2, 0, 3]))).toThrow(/binary data/);
    expect(() => fmt('x.csv', Uint8Array.from([0xff, 0xfe, 0x41]))).toThrow(/binary data/);
  });

  it('handles_a_multibyte_character_cut_at_the_end_of_the_sample', () => {
    const s = Buffer.from('a,é');
    expect(binaryOffset(s.subarray(0, s.length - 1), true)).toBe(-1);
  });
});

describe('translateLoadError', () => {
  it('names_the_line_of_a_malformed_csv', () => {
    const e = translateLoadError('Invalid Input Error: CSV Error on Line: 4\nOriginal Line: 7,8\nExpected Number of Columns: 3 Found: 2\n', 'csv', '/d/x.csv');
    expect(e.code).toBe('E_MALFORMED_CSV');
    expect(e.message).toContain('line 4 has 2 fields where the header has 3 ("7,8")');
    expect(csvErrorLine('CSV Error on Line: 30002')).toBe(30002);
  });

  it('handles_parquet_json_and_sniffing_failures', () => {
    expect(translateLoadError('No magic bytes found at end of file', 'parquet', 'f').code).toBe('E_BAD_PARQUET');
    expect(translateLoadError('json_read expected records, but got non-record JSON instead.', 'json', 'f').code).toBe('E_NOT_TABULAR');
    expect(translateLoadError('Error when sniffing file "f". It was not possible to automatically detect the CSV parsing dialect', 'csv', 'f').code).toBe('E_UNSUPPORTED_FORMAT');
    expect(translateLoadError('something odd', 'csv', 'f').code).toBe('E_LOAD_FAILED');
  });

  it('picks_the_most_frequent_delimiter', () => {
    expect(mostFrequentDelimiter('a,b,c')).toBe(',');
    expect(mostFrequentDelimiter('a;b;c,d')).toBe(';');
    expect(mostFrequentDelimiter('abc')).toBeUndefined();
  });
});

describe('histograms', () => {
  it('makes_ten_bins_over_the_percentile_range_and_one_for_a_constant_column', () => {
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

  it('splits_categorical_rows_into_top_7_longtail_and_unique', () => {
    const top = Array.from({ length: 8 }, (_, i) => ({ value: `v${i}`, count: 10 - i }));
    // 100 non-null rows: top 7 hold 10+9+…+4 = 49; 20 rows are values seen once.
    const h = categoricalHistogram(top, 100, 20, 5);
    expect(h.top).toHaveLength(7);
    expect(h).toMatchObject({ unique: 20, longtail: 31, nulls: 5 });
    expect(categoricalHistogram([{ value: 'a', count: 1 }], 1, 1, 0)).toMatchObject({ unique: 0, longtail: 0 });
  });
});

describe('values', () => {
  it('encodes_integers_beyond_2_53_and_non_finite_floats_as_strings', () => {
    expect(exactInteger(42n)).toBe(42);
    expect(exactInteger(9007199254740993n)).toBe('9007199254740993');
    expect(exactInteger(-(2n ** 100n))).toBe('-1267650600228229401496703205376');
    expect(exactFloat(1.5)).toBe(1.5);
    expect(exactFloat(Number.NaN)).toBe('NaN');
    expect(exactFloat(-Infinity)).toBe('-Infinity');
    expect(isNumericType('DECIMAL(10,2)')).toBe(true);
    expect(isNumericType('VARCHAR')).toBe(false);
    expect(isNestedType('INTEGER[]')).toBe(true);
    expect(isNestedType('STRUCT(a INTEGER)')).toBe(true);
  });
});

describe('parseRowsQuery', () => {
  const cols = ['a', 'b c'];
  const q = (s: string) => parseRowsQuery(new URLSearchParams(s), cols);
  it('clamps_limit_and_defaults', () => {
    expect(q('')).toEqual({ offset: 0, limit: 100, sort: undefined, dir: 'asc', search: undefined });
    expect(q('limit=1000000000').limit).toBe(MAX_LIMIT);
    expect(q('sort=b%20c&dir=DESC&search=x').sort).toBe('b c');
  });
  it('refuses_negative_offset_unknown_sort_and_bad_dir', () => {
    expect(() => q('offset=-1')).toThrow(/offset must be 0 or more/);
    expect(() => q('offset=1.5')).toThrow(/integer/);
    expect(() => q('sort=zzz')).toThrow(/Unknown sort column/);
    expect(() => q('dir=sideways')).toThrow(/asc or desc/);
  });
  it('binds_search_as_a_parameter', () => {
    expect(searchPredicate(['"a"', '"b"'])).toBe('(contains(lower("a"), $1) or contains(lower("b"), $1))');
    expect(searchPredicate([])).toBe('false');
  });
});

describe('quoting and session ids', () => {
  it('quotes_identifiers_and_strings', () => {
    expect(quoteIdent('a"b')).toBe('"a""b"');
    expect(quoteString("it's")).toBe("'it''s'");
    expect(() => quoteString('a\0b')).toThrow();
  });
  it('mints_128_bit_ids_and_refuses_path_like_ones', () => {
    const id = newSessionId();
    expect(id).toHaveLength(22);
    expect(isValidSessionId(id)).toBe(true);
    expect(isValidSessionId('../../etc/passwd')).toBe(false);
    expect(isValidSessionId('short')).toBe(false);
  });
});

describe('DuckDB thread priority', () => {
  it('reads BUCKAROO_DUCKDB_NICE within 0–19 and falls back to the default otherwise', () => {
    expect(duckdbNice({})).toBe(DEFAULT_DUCKDB_NICE);
    expect(duckdbNice({ BUCKAROO_DUCKDB_NICE: '0' })).toBe(0);
    expect(duckdbNice({ BUCKAROO_DUCKDB_NICE: ' 19 ' })).toBe(19);
    for (const bad of ['20', '-5', '2.5', 'low', '']) expect(duckdbNice({ BUCKAROO_DUCKDB_NICE: bad })).toBe(DEFAULT_DUCKDB_NICE);
  });

  it('keeps the event loop and V8 garbage-collection workers at normal priority', () => {
    expect(keepsPriority(100, 'buckaroo-table', 100)).toBe(true);
    expect(keepsPriority(101, 'V8Worker', 100)).toBe(true);
    expect(keepsPriority(102, 'libuv-worker', 100)).toBe(false);
    expect(keepsPriority(103, 'DelayedTaskSche', 100)).toBe(false);
  });

  it("widens libuv's pool for queries unless the person sized it", () => {
    const unset: NodeJS.ProcessEnv = {};
    widenQueryPool(unset);
    expect(unset.UV_THREADPOOL_SIZE).toBe(String(QUERY_POOL_THREADS));
    const set: NodeJS.ProcessEnv = { UV_THREADPOOL_SIZE: '6' };
    widenQueryPool(set);
    expect(set.UV_THREADPOOL_SIZE).toBe('6');
  });

  it('does nothing where threads have no priority of their own, or when asked for 0', () => {
    expect(lowerWorkerPriority(10, 'darwin')).toBe(0);
    expect(lowerWorkerPriority(0, 'linux')).toBe(0);
  });
});

describe('sizeInMb (the idle memory release compares DuckDB sizes)', () => {
  it('reads_duckdb_sizes_in_decimal_and_binary_units', () => {
    expect(sizeInMb('12000MB')).toBe(12000);
    expect(sizeInMb('4GB')).toBe(4000);
    expect(sizeInMb('1GiB')).toBeCloseTo(1073.741824, 6);
    expect(sizeInMb('512 mb')).toBe(512);
    expect(sizeInMb('1.5TB')).toBe(1_500_000);
  });

  it('gives_undefined_for_what_is_not_a_size', () => {
    expect(sizeInMb('lots')).toBeUndefined();
    expect(sizeInMb('12000')).toBeUndefined();
    expect(sizeInMb('')).toBeUndefined();
  });
});
