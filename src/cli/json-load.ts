// `buckaroo-table json-load` (not in the help): reads one JSON/NDJSON file into a table of a fresh DuckDB
// database file, for the server (src/engine/json-isolate.ts). DuckDB's JSON reader can crash the process on
// shapes it does not expect (deep nesting segfaulted it); in this short-lived child such a crash costs that one
// load, never the server and every page it serves.
//
// Protocol: one JSON request on stdin ({sql, out, memory_limit, temp_dir, threads}); on stdout, progress lines
// {percent} while DuckDB reads, then one last line {ok: true} or {ok: false, message} with DuckDB's own message
// (the server translates it as for any load).

import { engineSettings } from '../engine/duckdb.ts';
import { JSON_LOAD_TABLE, type JsonLoadAnswer, type JsonLoadLine, type JsonLoadRequest } from '../engine/json-isolate.ts';
import { readyNative, trustParentVerified } from '../engine/native-assets.ts';
import { nativeCacheDir } from '../paths.ts';
import { EXIT_FAILURE, EXIT_OK } from './errors.ts';

/** How often the child tells the server how far DuckDB has read (meta and view_data poll about as often). */
const PROGRESS_INTERVAL_MS = 250;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function jsonLoadCommand(stdout: NodeJS.WritableStream = process.stdout): Promise<number> {
  const answer = (a: JsonLoadAnswer): void => void stdout.write(`${JSON.stringify(a)}\n`);
  let req: JsonLoadRequest;
  try {
    req = JSON.parse(await readStdin()) as JsonLoadRequest;
  } catch (err) {
    answer({ ok: false, message: `json-load: bad request on stdin: ${(err as Error).message}` });
    return EXIT_FAILURE;
  }
  try {
    // The server verified DuckDB's files moments ago; hashing ~70 MB again would double this child's start.
    if (!req.native || !trustParentVerified(req.native)) await readyNative(nativeCacheDir());
    const api = await import('@duckdb/node-api');
    const instance = await api.DuckDBInstance.create(req.out, engineSettings(req.memory_limit, req.temp_dir, req.threads));
    const conn = await instance.connect();
    // DuckDB computes a query's progress only with the progress bar on (printing stays off).
    await conn.run('set enable_progress_bar = true');
    await conn.run('set enable_progress_bar_print = false');
    let last = -1;
    const report = setInterval(() => {
      const p = conn.progress.percentage;
      if (p > last) {
        last = p;
        const line: JsonLoadLine = { percent: Math.round(p * 10) / 10 };
        stdout.write(`${JSON.stringify(line)}\n`);
      }
    }, PROGRESS_INTERVAL_MS);
    try {
      await conn.run(`create table ${JSON_LOAD_TABLE} as select * from ${req.sql}`);
    } finally {
      clearInterval(report);
    }
    // Everything in the file itself, not in a WAL the server's read-only attach would have to replay.
    await conn.run('checkpoint');
    conn.closeSync();
    instance.closeSync();
    answer({ ok: true });
    return EXIT_OK;
  } catch (err) {
    answer({ ok: false, message: (err as Error).message });
    return EXIT_FAILURE;
  }
}
