// Which DuckDB reader a file goes to. The extension decides first, the first bytes correct it (a Parquet file
// named .csv is still Parquet) and decide for .txt / unknown names. DuckDB then sniffs dialect and types.

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { EngineError } from './errors.ts';

export type DataFormat = 'csv' | 'tsv' | 'parquet' | 'json' | 'ndjson';

export interface FormatChoice {
  format: DataFormat;
  gzip: boolean;
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

/** Offset of the first byte that cannot occur in a text file (NUL, or invalid UTF-8), or -1. */
export function binaryOffset(head: Uint8Array, truncated: boolean): number {
  const nul = head.indexOf(0);
  if (nul >= 0) return nul;
  // A multi-byte character may be cut at the end of the sample: only judge complete text.
  const sample = truncated ? head.subarray(0, Math.max(0, head.length - 4)) : head;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample);
    return -1;
  } catch {
    return 0;
  }
}

/**
 * Picks a reader from the file name and its first (decompressed) bytes. Throws E_UNSUPPORTED_FORMAT for
 * content no reader can take (binary data in a text file).
 */
export function detectFormat(file: string, rawHead: Uint8Array, head: Uint8Array, headTruncated: boolean): FormatChoice {
  const gzip = isGzip(rawHead);
  let name = path.basename(file).toLowerCase();
  if (name.endsWith('.gz') || name.endsWith('.gzip')) name = name.slice(0, name.lastIndexOf('.'));
  const byName = BY_EXTENSION[path.extname(name)];
  if (Buffer.from(head.subarray(0, 4)).toString('latin1') === PARQUET_MAGIC) return { format: 'parquet', gzip: false };
  if (byName === 'parquet') return { format: 'parquet', gzip };
  const bad = binaryOffset(head, headTruncated);
  if (bad >= 0) {
    throw new EngineError(
      'E_UNSUPPORTED_FORMAT',
      `${file} does not look like ${byName ? byName.toUpperCase() : 'a data file'}: it holds binary data${bad > 0 ? ` (byte ${bad})` : ''}, not UTF-8 text.`,
      'Supported: .csv, .tsv, .txt (sniffed), .parquet, .json, .ndjson/.jsonl, and their .gz variants. Check that the file is not corrupted or in another format (Excel, UTF-16).',
    );
  }
  if (byName) return { format: byName, gzip };
  const text = Buffer.from(head).toString('utf8').trimStart();
  if (text.startsWith('[')) return { format: 'json', gzip };
  if (text.startsWith('{')) {
    // One object per line is NDJSON; a single (pretty-printed) object is plain JSON.
    const firstLine = text.split('\n', 1)[0]?.trim() ?? '';
    return { format: firstLine.endsWith('}') ? 'ndjson' : 'json', gzip };
  }
  return { format: 'csv', gzip };
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
  return { raw, head, truncated: true };
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
