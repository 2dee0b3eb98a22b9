// Encoding detection from a file's first bytes: what is decoded, what is named, what is refused as binary.

import { describe, expect, it } from 'vitest';
import { decodeHead, detectEncoding } from '../../src/engine/encoding.ts';

const enc = (bytes: Uint8Array | string, truncated = false): string => detectEncoding('/d/f.csv', typeof bytes === 'string' ? Buffer.from(bytes) : bytes, truncated);

describe('detectEncoding', () => {
  it('handles utf8 with and without bom', () => {
    expect(enc('a,b\nRenée,1\n')).toBe('UTF-8');
    expect(enc(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a,b\n')]))).toBe('UTF-8 with BOM');
  });

  it('handles utf16 with a bom in either byte order', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b\n1,€\n', 'utf16le')]);
    expect(enc(le)).toBe('UTF-16LE');
    expect(decodeHead(le, 'UTF-16LE')).toBe('a,b\n1,€\n');
    const be = Buffer.from(le.subarray(2)).swap16();
    const withBom = Buffer.concat([Buffer.from([0xfe, 0xff]), be]);
    expect(enc(withBom)).toBe('UTF-16BE');
    expect(decodeHead(withBom, 'UTF-16BE')).toBe('a,b\n1,€\n');
  });

  it('handles windows 1252 and latin1 text', () => {
    // "café,€5,“quoted”" in Windows-1252: é=E9, €=80, curly quotes=93/94.
    const cp = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x2c, 0x80, 0x35, 0x2c, 0x93, 0x71, 0x94, 0x0a]);
    expect(enc(cp)).toBe('Windows-1252');
    expect(decodeHead(cp, 'Windows-1252')).toBe('café,€5,“q”\n');
  });

  it('refuses double byte encodings naming the likely one and iconv', () => {
    const sjis = Buffer.from([0x82, 0xa0, 0x82, 0xa2, 0x82, 0xa4, 0x2c, 0x31, 0x0a, 0x82, 0xa6, 0x82, 0xa8, 0x2c, 0x32, 0x0a]); // あいう,1 / えお,2
    expect(() => enc(sjis)).toThrow(/likely Shift_JIS/);
    expect(() => enc(sjis)).toThrow(expect.objectContaining({ hint: expect.stringContaining('iconv -f SHIFT_JIS -t UTF-8') }));
    const gbk = Buffer.from([0xc4, 0xe3, 0xba, 0xc3, 0x2c, 0xca, 0xc0, 0xbd, 0xe7, 0x0a]); // 你好,世界
    expect(() => enc(gbk)).toThrow(/likely GBK/);
  });

  it('refuses binary data quickly', () => {
    expect(() => enc(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]))).toThrow(/binary data/); // zip / xlsx
    expect(() => enc(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toThrow(/binary data/); // PNG
  });
});
