// Refuses JSON nested deeper than DuckDB can survive, before DuckDB sees it. DuckDB 1.5.6 dies with SIGSEGV
// (taking the server and every open page with it) on ~20,000 nested objects or ~100,000 nested arrays — a
// 200 KB file — so the depth is measured here first, by a byte scan that cannot crash.

import fs from 'node:fs';
import zlib from 'node:zlib';
import { EngineError } from './errors.ts';

/**
 * Deepest nesting of arrays/objects we hand to DuckDB. Measured on DuckDB 1.5.6 (read_json with
 * maximum_depth=JSON_TYPE_DEPTH): 10,000 levels load in ~2.5 s, 20,000 nested objects crash the process.
 * 1,000 keeps a tenfold margin and is also where Python's json module gives up (its recursion limit).
 */
export const MAX_JSON_NESTING_DEPTH = 1000;

/**
 * `BUCKAROO_JSON_MAX_DEPTH` raises (or lowers) that limit, for a deeply nested file you trust. Past what DuckDB
 * survives, the reader's child process crashes and only that load fails (json-isolate.ts).
 */
export function jsonDepthLimit(env: Record<string, string | undefined> = process.env): number {
  const n = Number(env.BUCKAROO_JSON_MAX_DEPTH);
  return Number.isInteger(n) && n > 0 ? n : MAX_JSON_NESTING_DEPTH;
}

/**
 * Levels of nesting DuckDB turns into typed STRUCT/LIST columns; deeper values stay JSON text. Unlimited,
 * type inference grows with the square of the depth (500 nested arrays took 25 s to load, 100 took 1 s).
 */
export const JSON_TYPE_DEPTH = 16;

const OPEN_BRACKET = 0x5b;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACKET = 0x5d;
const CLOSE_BRACE = 0x7d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;

export interface DepthScan {
  /** Deepest nesting seen (stops counting past the limit). */
  depth: number;
  /** 1-based line of the file where the nesting first went past the limit, if it did. */
  line?: number;
}

/** A resumable scanner: feed it chunks in order; strings (and escaped quotes in them) do not count. */
export function createDepthScanner(limit: number): { feed(chunk: Uint8Array): boolean; result(): DepthScan } {
  let depth = 0;
  let max = 0;
  let line = 1;
  let inString = false;
  let escaped = false;
  let overAt: number | undefined;
  return {
    /** Answers false once the limit is passed (no need to read further). */
    feed(chunk) {
      // Locals, not the closure's variables, in the hot loop (4× faster on V8).
      let d = depth;
      let m = max;
      let ln = line;
      let str = inString;
      let esc = escaped;
      let over = false;
      for (let i = 0; i < chunk.length; i++) {
        const b = chunk[i]!;
        if (str) {
          if (esc) esc = false;
          else if (b === BACKSLASH) esc = true;
          else if (b === QUOTE) str = false;
          else if (b === NEWLINE) ln++;
        } else if (b === QUOTE) str = true;
        else if (b === NEWLINE) ln++;
        else if (b === OPEN_BRACKET || b === OPEN_BRACE) {
          if (++d > m) {
            m = d;
            if (m > limit) {
              overAt = ln;
              over = true;
              break;
            }
          }
        } else if (b === CLOSE_BRACKET || b === CLOSE_BRACE) d--;
      }
      depth = d;
      max = m;
      line = ln;
      inString = str;
      escaped = esc;
      return !over;
    },
    result: () => (overAt === undefined ? { depth: max } : { depth: max, line: overAt }),
  };
}

/** Scans the whole file (decompressing gzip on the way); throws E_BAD_JSON, naming `shownAs`, when it nests too deep. */
export async function refuseDeepJson(file: string, gzip: boolean, shownAs = file, limit = jsonDepthLimit()): Promise<DepthScan> {
  const scanner = createDepthScanner(limit);
  const raw = fs.createReadStream(file, { highWaterMark: 1024 * 1024 });
  const stream = gzip ? raw.pipe(zlib.createGunzip()) : raw;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (!scanner.feed(chunk)) break;
    }
  } catch {
    // A corrupt gzip stream: DuckDB's reader will name the problem better than we can.
  } finally {
    raw.destroy();
    if (stream !== raw) (stream as zlib.Gunzip).destroy();
  }
  const scan = scanner.result();
  if (scan.line !== undefined) {
    throw new EngineError(
      'E_BAD_JSON',
      `${shownAs} nests arrays/objects more than ${limit} levels deep (line ${scan.line}); buckaroo-table reads JSON up to ${limit} levels.`,
      'Flatten the data (e.g. with jq) or store the deep part as a string.',
    );
  }
  return scan;
}
