// engine/formats.ts: which reader a file goes to, by name and by content.

import { describe, expect, it } from 'vitest';
import { binaryOffset, detectFormat } from '../../src/engine/formats.ts';

const text = (s: string): Uint8Array => Buffer.from(s);
const fmt = (name: string, head: string | Uint8Array) => {
  const h = typeof head === 'string' ? text(head) : head;
  return detectFormat(name, h, h, false);
};

describe('detectFormat', () => {
  it('handles extensions and gzip variants', () => {
    expect(fmt('a.csv', 'x,y\n')).toEqual({ format: 'csv', gzip: false });
    expect(fmt('a.TSV', 'x\ty\n')).toEqual({ format: 'tsv', gzip: false });
    expect(fmt('a.parq', 'PAR1....')).toEqual({ format: 'parquet', gzip: false });
    expect(fmt('a.jsonl', '{"a":1}\n')).toEqual({ format: 'ndjson', gzip: false });
    const gz = Uint8Array.from([0x1f, 0x8b, 8, 0]);
    expect(detectFormat('a.csv.gz', gz, text('x,y\n1,2\n'), true)).toEqual({ format: 'csv', gzip: true });
  });

  it('handles unknown extensions by content', () => {
    expect(fmt('data.txt', 'a;b\n1;2\n')).toEqual({ format: 'csv', gzip: false });
    expect(fmt('data', '  [{"a":1}]')).toEqual({ format: 'json', gzip: false });
    expect(fmt('data.log', '{"a":1}\n{"a":2}\n')).toEqual({ format: 'ndjson', gzip: false });
    expect(fmt('data.out', '{\n  "a": 1\n}')).toEqual({ format: 'json', gzip: false });
    expect(fmt('misnamed.csv', 'PAR1\u0000\u0001')).toEqual({ format: 'parquet', gzip: false });
  });

  it('refuses binary content in a text format', () => {
    expect(() => fmt('x.csv', Uint8Array.from([1, 2, 0, 3]))).toThrow(/binary data/);
    expect(() => fmt('x.csv', Uint8Array.from([0xff, 0xfe, 0x41]))).toThrow(/binary data/);
  });

  it('handles a multibyte character cut at the end of the sample', () => {
    const s = Buffer.from('a,é');
    expect(binaryOffset(s.subarray(0, s.length - 1), true)).toBe(-1);
  });
});
