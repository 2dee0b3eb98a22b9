// Where a JSON file is malformed, in the file's own lines. DuckDB names a "record/value" count or the line
// after the bad one; V8's parser names the line and column, so a failed load asks it (on the failure path only).

import fs from 'node:fs';
import readline from 'node:readline';
import zlib from 'node:zlib';

/** Largest JSON document we parse whole to find an error (the server holds it as one string meanwhile). */
const MAX_LOCATE_BYTES = 64 * 1024 * 1024;

function open(file: string, gzip: boolean): NodeJS.ReadableStream {
  const raw = fs.createReadStream(file);
  return gzip ? raw.pipe(zlib.createGunzip()) : raw;
}

/** V8's "… in JSON at position 26 (line 3 column 8)" → "line 3, column 8: …". */
export function describeJsonSyntaxError(message: string, lineOffset = 0): string | undefined {
  const m = /^(.*?)(?: in JSON)? at position \d+ \(line (\d+) column (\d+)\)/.exec(message);
  if (!m) return undefined;
  return `line ${Number(m[2]) + lineOffset}, column ${m[3]}: ${m[1]}`;
}

/** The first syntax error of a JSON (or, `lines`, newline-delimited JSON) file, or undefined if none is found. */
export async function locateJsonError(file: string, gzip: boolean, lines: boolean): Promise<string | undefined> {
  try {
    if (lines) {
      let n = 0;
      for await (const line of readline.createInterface({ input: open(file, gzip), crlfDelay: Infinity })) {
        n++;
        if (line.trim() === '') continue;
        try {
          JSON.parse(line);
        } catch (err) {
          return describeJsonSyntaxError((err as Error).message, n - 1) ?? `line ${n}: ${(err as Error).message}`;
        }
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
    JSON.parse(Buffer.concat(chunks).toString('utf8'));
    return undefined;
  } catch (err) {
    return err instanceof SyntaxError ? describeJsonSyntaxError(err.message) : undefined;
  }
}
