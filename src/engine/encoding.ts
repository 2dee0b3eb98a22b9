// Which text encoding a file is in, from its first bytes, and a UTF-8 copy for DuckDB (which reads UTF-8
// only) when it is not. UTF-8 (with or without BOM) is read in place; UTF-16 with a BOM and single-byte
// Western text (Windows-1252, a superset of Latin-1 for display) are decoded; other encodings are named.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import zlib from 'node:zlib';
import { EngineError } from './errors.ts';

export type TextEncoding = 'UTF-8' | 'UTF-8 with BOM' | 'UTF-16LE' | 'UTF-16BE' | 'Windows-1252';

/** The WHATWG decoder label for each encoding we decode ourselves. */
const DECODER: Partial<Record<TextEncoding, string>> = { 'UTF-16LE': 'utf-16le', 'UTF-16BE': 'utf-16be', 'Windows-1252': 'windows-1252' };

/**
 * Share of bytes that may be control characters (other than tab, CR, LF, form feed) in text. Real text has
 * none or a stray one; random bytes have ~12 %, so 1 % refuses binary data quickly without tripping on a
 * stray escape character.
 */
const MAX_CONTROL_SHARE = 0.01;
/**
 * Share of non-ASCII bytes that come in runs of two or more above which a non-UTF-8 file is taken for a
 * double-byte encoding (Shift_JIS, GBK, Big5, EUC-KR): in Western text accented letters stand alone.
 */
const MULTIBYTE_PAIR_SHARE = 0.5;

/** Encodings we name (not decode) when a file is double-byte text; `test` matches characters of its script. */
const CJK_CANDIDATES: { label: string; name: string; iconv: string; test: RegExp }[] = [
  { label: 'shift_jis', name: 'Shift_JIS (Japanese)', iconv: 'SHIFT_JIS', test: /[\u3040-\u30ff]/ },
  { label: 'euc-jp', name: 'EUC-JP (Japanese)', iconv: 'EUC-JP', test: /[\u3040-\u30ff]/ },
  { label: 'euc-kr', name: 'EUC-KR (Korean)', iconv: 'EUC-KR', test: /[\uac00-\ud7af]/ },
  { label: 'gbk', name: 'GBK (Simplified Chinese)', iconv: 'GBK', test: /[\u4e00-\u9fff]/ },
  { label: 'big5', name: 'Big5 (Traditional Chinese)', iconv: 'BIG5', test: /[\u4e00-\u9fff]/ },
];

function decodes(label: string, bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder(label, { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** Length of `head` without a UTF-8 sequence cut off at its end (the sample ends mid-character). */
export function completeUtf8Length(head: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, head.length); back++) {
    const b = head[head.length - back]!;
    if (b < 0x80) return head.length; // ASCII: nothing cut
    if (b >= 0xc0) {
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return back < need ? head.length - back : head.length;
    }
  }
  return head.length;
}

/** The candidate whose decoding of `sample` is most in its own script (ties: list order), if any decodes. */
function likelyDoubleByteEncoding(sample: Uint8Array): (typeof CJK_CANDIDATES)[number] | undefined {
  let best: (typeof CJK_CANDIDATES)[number] | undefined;
  let bestShare = -1;
  for (const c of CJK_CANDIDATES) {
    const text = decodes(c.label, sample);
    if (text === undefined) continue;
    const wide = [...text].filter((ch) => ch.charCodeAt(0) >= 0x80);
    const share = wide.length === 0 ? 0 : wide.filter((ch) => c.test.test(ch)).length / wide.length;
    if (share > bestShare) {
      best = c;
      bestShare = share;
    }
  }
  return best;
}

function binaryError(file: string, offset: number): EngineError {
  return new EngineError(
    'E_UNSUPPORTED_FORMAT',
    `${file} holds binary data${offset > 0 ? ` (byte ${offset})` : ''}, not text: it is not a CSV, TSV or JSON file.`,
    'Supported: .csv, .tsv, .txt (sniffed), .parquet, .json, .ndjson/.jsonl, and their .gz variants. Excel and zip files must be exported to CSV first.',
  );
}

/**
 * The encoding of a text file from its first bytes (`truncated`: the file goes on, so a character may be cut
 * at the end). Throws E_UNSUPPORTED_FORMAT for binary data and for encodings we do not decode, naming them.
 */
export function detectEncoding(file: string, head: Uint8Array, truncated: boolean): TextEncoding {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'UTF-8 with BOM';
  if (head[0] === 0xff && head[1] === 0xfe) return 'UTF-16LE';
  if (head[0] === 0xfe && head[1] === 0xff) return 'UTF-16BE';
  const nul = head.indexOf(0);
  if (nul >= 0) throw binaryError(file, nul);
  let controls = 0;
  for (const b of head) if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) || b === 0x7f) controls++;
  if (controls > head.length * MAX_CONTROL_SHARE) throw binaryError(file, 0);
  const sample = truncated ? head.subarray(0, completeUtf8Length(head)) : head;
  if (decodes('utf-8', sample) !== undefined) return 'UTF-8';
  let high = 0;
  let paired = 0;
  for (let i = 0; i < sample.length; i++) {
    if (sample[i]! < 0x80) continue;
    high++;
    if ((i > 0 && sample[i - 1]! >= 0x80) || (i + 1 < sample.length && sample[i + 1]! >= 0x80)) paired++;
  }
  if (paired <= high * MULTIBYTE_PAIR_SHARE) return 'Windows-1252';
  const likely = likelyDoubleByteEncoding(sample);
  const from = likely?.iconv ?? '<ENCODING>';
  throw new EngineError(
    'E_UNSUPPORTED_FORMAT',
    `${file} is text in a multi-byte encoding other than UTF-8${likely ? ` (likely ${likely.name})` : ''}; buckaroo-table reads UTF-8, UTF-16 and Windows-1252/Latin-1.`,
    `Convert it to UTF-8 first, e.g. iconv -f ${from} -t UTF-8 '${file.replaceAll("'", "'\\''")}' > converted.csv`,
  );
}

/** Whether DuckDB can read the file as it is (it understands UTF-8, and skips a UTF-8 BOM). */
export function needsDecoding(encoding: TextEncoding): boolean {
  return DECODER[encoding] !== undefined;
}

/** The first bytes as a string, in the file's encoding (to recognise JSON, find the first line). */
export function decodeHead(head: Uint8Array, encoding: TextEncoding): string {
  return new TextDecoder(DECODER[encoding] ?? 'utf-8').decode(head);
}

/**
 * Writes a UTF-8 copy of `file` (decompressed if gzip) into a fresh temp directory; the caller removes it
 * with `dispose` once DuckDB has read it (text formats are copied into a table, so that is right after load).
 */
export async function utf8Copy(file: string, gzip: boolean, encoding: TextEncoding): Promise<{ path: string; dispose(): void }> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'buckaroo-decode-'));
  const out = path.join(dir, 'decoded.txt');
  const decoder = new TextDecoder(DECODER[encoding] ?? 'utf-8');
  const transcode = new Transform({
    transform(chunk: Buffer, _enc, done) {
      done(null, Buffer.from(decoder.decode(chunk, { stream: true }), 'utf8'));
    },
    flush(done) {
      done(null, Buffer.from(decoder.decode(), 'utf8'));
    },
  });
  const dispose = (): void => fs.rmSync(dir, { recursive: true, force: true });
  try {
    if (gzip) await pipeline(fs.createReadStream(file), zlib.createGunzip(), transcode, fs.createWriteStream(out));
    else await pipeline(fs.createReadStream(file), transcode, fs.createWriteStream(out));
  } catch (err) {
    dispose();
    throw err;
  }
  return { path: out, dispose };
}
