// Which DuckDB reader a file goes to. The extension decides first, the first bytes correct it (a Parquet file
// named .csv is still Parquet) and decide for .txt / unknown names. DuckDB then sniffs dialect and types.

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { decodeHead, detectEncoding, type TextEncoding } from './encoding.ts';
import { EngineError } from './errors.ts';

export type DataFormat = 'csv' | 'tsv' | 'parquet' | 'json' | 'ndjson';

export interface FormatChoice {
  format: DataFormat;
  gzip: boolean;
  encoding: TextEncoding;
}

/** Bytes read from the start of a file to recognise it (decompressed when gzip). */
export const HEAD_BYTES = 64 * 1024;

const GZIP_MAGIC = [0x1f, 0x8b];
const PARQUET_MAGIC = 'PAR1';

const BY_EXTENSION: Record<string, DataFormat> = {
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.tab': 'tsv',
  '.parquet': 'parquet',
  '.parq': 'parquet',
  '.pq': 'parquet',
  '.json': 'json',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
};

export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
}

/** JSON's own first characters: an array of values or an object (a record, or one per line). */
function jsonKind(text: string): DataFormat | undefined {
  if (/^\[\s*(\{|\[|\]|$)/.test(text)) return 'json';
  if (/^\{\s*("|\}|$)/.test(text)) {
    // One object per line is NDJSON; a single (pretty-printed) object is plain JSON.
    const firstLine = text.split('\n', 1)[0]?.trim() ?? '';
    return firstLine.endsWith('}') ? 'ndjson' : 'json';
  }
  return undefined;
}

/**
 * Picks a reader and an encoding from the file name and its first (decompressed) bytes. Content beats the
 * name: Parquet's magic number, JSON's opening bracket. Throws E_UNSUPPORTED_FORMAT for content no reader can
 * take (binary data, an encoding we do not decode, text named .parquet) and E_EMPTY_FILE for blank files.
 */
export function detectFormat(file: string, rawHead: Uint8Array, head: Uint8Array, headTruncated: boolean): FormatChoice {
  const gzip = isGzip(rawHead);
  let name = path.basename(file).toLowerCase();
  if (name.endsWith('.gz') || name.endsWith('.gzip')) name = name.slice(0, name.lastIndexOf('.'));
  const byName = BY_EXTENSION[path.extname(name)];
  if (Buffer.from(head.subarray(0, 4)).toString('latin1') === PARQUET_MAGIC) return { format: 'parquet', gzip, encoding: 'UTF-8' };
  let encoding: TextEncoding;
  try {
    encoding = detectEncoding(file, head, headTruncated);
  } catch (err) {
    // Binary content named .parquet is a damaged Parquet file more likely than anything else: DuckDB says how.
    if (byName === 'parquet') return { format: 'parquet', gzip, encoding: 'UTF-8' };
    throw err;
  }
  const text = decodeHead(head, encoding).replace(/^\uFEFF/, '').trimStart();
  if (text === '' && !headTruncated) {
    throw new EngineError('E_EMPTY_FILE', `${file} holds only whitespace: there is no data in it.`, 'The file has no data yet; check that whatever writes it has finished.');
  }
  const asJson = jsonKind(text);
  if (byName === 'parquet') {
    const what = asJson ? 'JSON' : 'text (it looks like CSV or another delimited format)';
    throw new EngineError('E_UNSUPPORTED_FORMAT', `${file} is named .parquet but holds ${what}, not Parquet.`, `Rename it to ${asJson ? '.json' : '.csv'} (or pass the real Parquet file).`);
  }
  if (asJson && (byName === undefined || byName === 'csv' || byName === 'tsv')) return { format: asJson, gzip, encoding };
  return { format: byName ?? 'csv', gzip, encoding };
}

/** Reads the first bytes of a file, and their decompressed form when it is gzip. */
export async function readHead(file: string): Promise<{ raw: Uint8Array; head: Uint8Array; truncated: boolean }> {
  const fh = await fs.promises.open(file, 'r');
  let raw: Uint8Array;
  let size: number;
  try {
    size = (await fh.stat()).size;
    const buf = Buffer.alloc(Math.min(HEAD_BYTES, size));
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    raw = buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
  if (!isGzip(raw)) return { raw, head: raw, truncated: size > raw.length };
  const head = await gunzipPrefix(raw);
  // A gzip prefix decompresses to HEAD_BYTES unless the whole file is smaller than that.
  return { raw, head, truncated: head.length >= HEAD_BYTES || size > raw.length };
}

/** Decompresses as much of a gzip prefix as it holds (a truncated stream is expected here, not an error). */
function gunzipPrefix(raw: Uint8Array): Promise<Uint8Array> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const gunzip = zlib.createGunzip();
    const finish = (): void => resolve(Buffer.concat(chunks).subarray(0, HEAD_BYTES));
    gunzip.on('data', (c: Buffer) => {
      chunks.push(c);
      total += c.length;
      if (total >= HEAD_BYTES) {
        gunzip.removeAllListeners('data');
        gunzip.destroy();
        finish();
      }
    });
    gunzip.on('error', finish);
    gunzip.on('end', finish);
    gunzip.end(raw);
  });
}
