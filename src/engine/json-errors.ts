// Where a JSON file is malformed, in the file's own lines. DuckDB names a "record/value" count or the line
// after the bad one, and a JS engine's JSON.parse message differs per runtime (V8 names a position, Bun's
// JavaScriptCore does not), so a failed load asks jsonc-parser, in strict JSON mode, for the offset.

import fs from 'node:fs';
import readline from 'node:readline';
import zlib from 'node:zlib';
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';

/** Largest JSON document we parse whole to find an error (the server holds it as one string meanwhile). */
const MAX_LOCATE_BYTES = 64 * 1024 * 1024;
/** Strict JSON: no comments, no trailing commas (jsonc-parser's defaults allow comments). */
const STRICT_JSON = { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false } as const;

function open(file: string, gzip: boolean): NodeJS.ReadableStream {
  const raw = fs.createReadStream(file);
  return gzip ? raw.pipe(zlib.createGunzip()) : raw;
}

/** PropertyNameExpected → "property name expected". */
function readableCode(code: ParseError['error']): string {
  return printParseErrorCode(code).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/** "line 3, column 8: value expected" for the first syntax error of `text`, or undefined if it is valid JSON. */
export function describeJsonSyntaxError(text: string, lineOffset = 0): string | undefined {
  const errors: ParseError[] = [];
  parse(text, errors, STRICT_JSON);
  const first = errors[0];
  if (!first) return undefined;
  const before = text.slice(0, first.offset);
  const line = before.split('\n').length;
  const column = first.offset - (before.lastIndexOf('\n') + 1) + 1;
  return `line ${line + lineOffset}, column ${column}: ${readableCode(first.error)}`;
}

/** The first syntax error of a JSON (or, `lines`, newline-delimited JSON) file, or undefined if none is found. */
export async function locateJsonError(file: string, gzip: boolean, lines: boolean): Promise<string | undefined> {
  try {
    if (lines) {
      let n = 0;
      for await (const line of readline.createInterface({ input: open(file, gzip), crlfDelay: Infinity })) {
        n++;
        if (line.trim() === '') continue;
        const where = describeJsonSyntaxError(line, n - 1);
        if (where) return where;
      }
      return undefined;
    }
    if (!gzip && (await fs.promises.stat(file)).size > MAX_LOCATE_BYTES) return undefined;
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const c of open(file, gzip) as AsyncIterable<Buffer>) {
      total += c.length;
      if (total > MAX_LOCATE_BYTES) return undefined;
      chunks.push(c);
    }
    return describeJsonSyntaxError(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}
