// JSON and NDJSON files are read by a child process (`buckaroo-table json-load`, src/cli/json-load.ts) into a
// database file the server then copies from. DuckDB's JSON reader is the part of the engine hostile files have
// crashed (a 200 KB file of deep nesting segfaulted the whole server); json-depth.ts refuses the shape we know,
// and this makes any other crash in that reader cost one load: the child dies, the agent gets an error that says
// so, and the server keeps serving every other page.
//
// Only the compiled binary can re-execute itself; run from source, the reader runs in the server process.

import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { isCompiledBinary } from '../os/embedded.ts';
import { duckdbTempDir } from '../paths.ts';
import { duckdbThreads, memoryLimitSetting } from './duckdb.ts';
import { EngineError } from './errors.ts';
import { verifiedNative, type VerifiedNative } from './native-assets.ts';
import { quoteIdent, quoteString } from './sql.ts';
import { duckdbNice } from './thread-priority.ts';

/** A JSON file of many GB takes minutes to read; the child is stopped only by cancellation or this. */
const JSON_CHILD_TIMEOUT_MS = 30 * 60_000;
/** The table the child writes into its database file. */
export const JSON_LOAD_TABLE = 't';

/** What the server sends the child on stdin. */
export interface JsonLoadRequest {
  /** The reader, e.g. `read_json('/data/a.json', records=true, …)`. */
  sql: string;
  /** The database file to create, holding the table JSON_LOAD_TABLE. */
  out: string;
  memory_limit: string;
  temp_dir: string;
  threads: number;
  /** DuckDB's files as the server verified them: the child need not hash them again (native-assets.ts). */
  native?: VerifiedNative;
}

/** The child's last line on stdout: DuckDB's own message when the read failed. */
export type JsonLoadAnswer = { ok: true } | { ok: false; message: string };

/** Any line the child writes: progress while it reads (0–100, DuckDB's share of the file read), then the answer. */
export type JsonLoadLine = JsonLoadAnswer | { percent: number };

/** Whether JSON is read in a child process here (the compiled binary), rather than in this process. */
export function isolatesJson(): boolean {
  return isCompiledBinary();
}

/** Thrown for a child that died without answering: the reader crashed on this file. */
function crashError(file: string, how: string): EngineError {
  return new EngineError(
    'E_BAD_JSON',
    `DuckDB's JSON reader crashed on ${file} (${how}). Only this load failed; the server and any open pages are unaffected.`,
    'The file may be malformed or unusually shaped (very deep nesting, huge objects). Check it with `jq . file > /dev/null`, or convert it to NDJSON, CSV or Parquet.',
  );
}

/** Runs the child on `reader` (a read_json(...) call); resolves the database file it wrote. */
function runChild(reader: string, file: string, dir: string, signal?: AbortSignal, onPercent?: (percent: number) => void): Promise<string> {
  const out = path.join(dir, `json-${process.pid}-${crypto.randomBytes(6).toString('hex')}.duckdb`);
  const native = verifiedNative();
  const req: JsonLoadRequest = { sql: reader, out, memory_limit: memoryLimitSetting(process.env), temp_dir: dir, threads: duckdbThreads(process.env), ...(native ? { native } : {}) };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['json-load'], { stdio: ['pipe', 'pipe', 'ignore'], windowsHide: true, timeout: JSON_CHILD_TIMEOUT_MS });
    // Like the server's own DuckDB threads (thread-priority.ts): the reader yields to the event loop, so /health
    // and other sessions stay quick while a big JSON file is read. Threads the child starts inherit this.
    if (child.pid !== undefined) {
      try {
        os.setPriority(child.pid, duckdbNice(process.env));
      } catch {
        /* not permitted here: the read runs at normal priority */
      }
    }
    let pending = '';
    let answer: JsonLoadAnswer | undefined;
    const abort = (): void => void child.kill('SIGKILL');
    signal?.addEventListener('abort', abort, { once: true });
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      const lines = (pending + d).split('\n');
      pending = lines.pop() ?? '';
      for (const text of lines) {
        let line: JsonLoadLine;
        try {
          line = JSON.parse(text) as JsonLoadLine;
        } catch {
          continue; // not ours (nothing else writes there, but a stray line must not fail the load)
        }
        if ('percent' in line) onPercent?.(line.percent);
        else answer = line;
      }
    });
    child.on('error', (err) => reject(new EngineError('E_LOAD_FAILED', `Could not start the JSON reader for ${file}: ${err.message}.`)));
    child.on('close', (code, sig) => {
      signal?.removeEventListener('abort', abort);
      if (answer?.ok) return resolve(out);
      removeDatabase(out);
      if (signal?.aborted) return reject(new Error('INTERRUPT Error: the load was cancelled'));
      // DuckDB's own message: the caller translates it as it does for a load in this process.
      if (answer) return reject(new Error(answer.message));
      reject(crashError(file, sig ? `killed by ${sig}` : `exit code ${code ?? '?'}`));
    });
    child.stdin.end(JSON.stringify(req));
  });
}

function removeDatabase(file: string): void {
  for (const f of [file, `${file}.wal`]) fs.rmSync(f, { force: true });
}

/**
 * Reads the file through the child into the child's database file, then copies its table with `copy` (the
 * caller's materialise: `create table … as select * from <relation>`), and removes the file.
 */
export async function withIsolatedJson<T>(
  conn: DuckDBConnection,
  reader: string,
  file: string,
  signal: AbortSignal | undefined,
  copy: (relation: string) => Promise<T>,
  onPercent?: (percent: number) => void,
): Promise<T> {
  const dir = duckdbTempDir(process.env);
  await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
  if (!cleanedStale) {
    cleanedStale = true;
    removeStaleJsonDatabases(dir);
  }
  const db = await runChild(reader, file, dir, signal, onPercent);
  const alias = quoteIdent(`bt_json_${path.basename(db, '.duckdb').replaceAll('-', '_')}`);
  try {
    await conn.run(`attach ${quoteString(db)} as ${alias} (read_only)`);
    try {
      return await copy(`${alias}.main.${quoteIdent(JSON_LOAD_TABLE)}`);
    } finally {
      await conn.run(`detach ${alias}`).catch(() => {});
    }
  } finally {
    removeDatabase(db);
  }
}

let cleanedStale = false;

/** Database files a server that died mid-load left behind (their pid is gone); removed before the first JSON load. */
function removeStaleJsonDatabases(dir: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/^json-(\d+)-/.exec(name)?.[1]);
    if (!pid || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
    } catch (err) {
      // EPERM: alive, someone else's (a reused pid); only a pid that is gone frees its files.
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') fs.rmSync(path.join(dir, name), { force: true });
    }
  }
}
