// engine/formats.ts: which reader a file goes to, by name and by content (content wins), and its encoding.

import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../src/engine/formats.ts';

const text = (s: string): Uint8Array => Buffer.from(s);
const fmt = (name: string, head: string | Uint8Array) => {
  const h = typeof head === 'string' ? text(head) : head;
  return detectFormat(name, h, h, false);
};

describe('detectFormat', () => {
  it('handles extensions and gzip variants', () => {
    expect(fmt('a.csv', 'x,y\n')).toEqual({ format: 'csv', gzip: false, encoding: 'UTF-8' });
    expect(fmt('a.TSV', 'x\ty\n')).toMatchObject({ format: 'tsv', gzip: false });
    expect(fmt('a.parq', 'PAR1....')).toMatchObject({ format: 'parquet', gzip: false });
    expect(fmt('a.jsonl', '{"a":1}\n')).toMatchObject({ format: 'ndjson', gzip: false });
    const gz = Uint8Array.from([0x1f, 0x8b, 8, 0]);
    expect(detectFormat('a.csv.gz', gz, text('x,y\n1,2\n'), true)).toMatchObject({ format: 'csv', gzip: true });
  });

  it('handles unknown extensions by content', () => {
    expect(fmt('data.txt', 'a;b\n1;2\n')).toMatchObject({ format: 'csv', gzip: false });
    expect(fmt('data', '  [{"a":1}]')).toMatchObject({ format: 'json', gzip: false });
    expect(fmt('data.log', '{"a":1}\n{"a":2}\n')).toMatchObject({ format: 'ndjson', gzip: false });
    expect(fmt('data.out', '{\n  "a": 1\n}')).toMatchObject({ format: 'json', gzip: false });
    expect(fmt('misnamed.csv', 'PAR1\u0000\u0001')).toMatchObject({ format: 'parquet', gzip: false });
  });

  it('handles json named csv as json but keeps a bracketed csv header', () => {
    expect(fmt('x.csv', '[{"a":1},{"a":2}]')).toMatchObject({ format: 'json' });
    expect(fmt('x.csv', '{"a":1}\n{"a":2}\n')).toMatchObject({ format: 'ndjson' });
    expect(fmt('x.csv', '[a],[b]\n1,2\n')).toMatchObject({ format: 'csv' });
  });

  it('refuses text named parquet and whitespace-only files', () => {
    expect(() => fmt('x.parquet', 'a,b\n1,2\n')).toThrow(/named \.parquet but holds text/);
    expect(() => fmt('x.parquet', '[{"a":1}]')).toThrow(/holds JSON, not Parquet/);
    expect(() => fmt('x.csv', '  \n\t\r\n')).toThrow(/only whitespace/);
  });

  it('refuses binary content in a text format', () => {
    expect(() => fmt('x.csv', Uint8Array.from([1, 2, 0, 3]))).toThrow(/binary data/);
    expect(() => fmt('x.csv', Uint8Array.from(Array.from({ length: 300 }, (_, i) => (i * 7919 + 13) % 256 || 1)))).toThrow(/binary data/);
  });

  it('handles a multibyte character cut at the end of the sample', () => {
    const s = Buffer.from('a,é');
    const h = s.subarray(0, s.length - 1);
    expect(detectFormat('x.csv', h, h, true)).toMatchObject({ encoding: 'UTF-8' });
  });
});
