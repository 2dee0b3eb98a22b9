// Opens the one DuckDB instance the server uses, configured to spill to disk under BUCKAROO_HOME rather than
// run out of memory. The import is dynamic so only the server path ever loads the native library.

import fs from 'node:fs';
import os from 'node:os';
import { duckdbTempDir, nativeCacheDir, type Env } from '../paths.ts';
import { readyNative, type NativeUnpack } from './native-assets.ts';
import { IDLE_RELEASE_DELAY_MS, releaseSpareMemory } from './memory-release.ts';
import { ROW_FETCH_FILTER_MAX } from './row-fetch.ts';
import { duckdbNice, lowerWorkerPriority } from './thread-priority.ts';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

/** DuckDB may use this share of physical memory before it spills to its temp directory. */
const MEMORY_LIMIT_FRACTION = 0.5;
/** Peak allocation above which DuckDB trims the allocator after a task (its default is 128 MiB). */
const ALLOCATOR_FLUSH_THRESHOLD = '8MB';
/** Idle connections kept for reuse; more are opened on demand (a connection is cheap, a few µs). */
const POOL_IDLE_MAX = 8;

/** The runtime half of @duckdb/node-api (type ids, value converters), handed to modules that import types only. */
export type DuckDBApi = typeof import('@duckdb/node-api');

export interface Engine {
  api: DuckDBApi;
  instance: DuckDBInstance;
  /** For short, one-off statements at start-up; route work goes through withConnection. */
  connection: DuckDBConnection;
  version: string;
  memoryLimit: string;
  tempDir: string;
  threads: number;
  /** DuckDB's reserved words (duckdb_keywords()): a table name for query_data must not be one. */
  reservedWords: ReadonlySet<string>;
  /** How DuckDB's native files were found or unpacked before it loaded; `failed` is the loader's to explain. */
  nativeUnpack: NativeUnpack | { how: 'failed'; error: string };
  /** How often the engine handed DuckDB's spare memory back while idle (memory-release.ts), and the last one's time. */
  spareMemoryReleases: { count: number; last_ms: number };
  /** Nice value of DuckDB's threads, and how many were lowered to it (0 where the platform can't). */
  workerNice: { nice: number; threads: number };
  /**
   * Runs fn on a connection nobody else is using right now. A DuckDB connection runs one query at a time, and
   * the async API runs it off the JS thread, so concurrent requests each get their own.
   */
  withConnection<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T>;
  close(): void;
}

/**
 * `BUCKAROO_DUCKDB_THREADS` overrides DuckDB's thread count (default: one per core). Fewer threads leave a core to
 * the event loop (steadier /health under a big load) at the cost of load and stats speed.
 */
export function duckdbThreads(env: Env): number {
  const n = Number(env.BUCKAROO_DUCKDB_THREADS);
  return Number.isInteger(n) && n > 0 ? n : Math.max(1, os.availableParallelism());
}

/** `BUCKAROO_DUCKDB_MEMORY_LIMIT` (e.g. `512MB`) overrides the default half of physical memory. */
export function memoryLimitSetting(env: Env, totalBytes = os.totalmem()): string {
  const override = env.BUCKAROO_DUCKDB_MEMORY_LIMIT?.trim();
  if (override && /^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(override)) return override;
  return `${Math.floor((totalBytes / 1024 / 1024) * MEMORY_LIMIT_FRACTION)}MB`;
}

/**
 * A pooled connection. DuckDB computes a query's progress (meta's percent, view_data's bytes-read progress) only
 * with the progress bar on, a per-connection setting: without it every load reported -1. Printing stays off.
 */
async function connectWithProgress(instance: DuckDBInstance): Promise<DuckDBConnection> {
  const c = await instance.connect();
  await c.run('set enable_progress_bar = true');
  await c.run('set enable_progress_bar_print = false');
  return c;
}

/** DuckDB's settings for the server's instance, and for the JSON reader's child (json-isolate.ts). */
export function engineSettings(memoryLimit: string, tempDir: string, threads: number): Record<string, string> {
  return {
    memory_limit: memoryLimit,
    temp_directory: tempDir,
    // Queries run on the engine's own threads (at background priority, see thread-priority.ts); the event loop
    // stays free to answer /health.
    threads: String(threads),
    // Lets us read the files the agent names and nothing else: no extension downloads at run time.
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    // This DuckDB build uses the system allocator: hand freed memory back to the OS after each task, so a
    // session that loads file after file does not keep growing (measured: +13 % after 10 reloads vs +60 %).
    allocator_flush_threshold: ALLOCATOR_FLUSH_THRESHOLD,
    allocator_bulk_deallocation_flush_threshold: ALLOCATOR_FLUSH_THRESHOLD,
    // A window's rows are fetched by number through a semi join whose numbers DuckDB pushes into the scan only
    // up to this many (default 50): a 100-row window read every row of the dataset (row-fetch.ts).
    dynamic_or_filter_threshold: String(ROW_FETCH_FILTER_MAX),
  };
}

export async function openEngine(env: Env = process.env): Promise<Engine> {
  // Unpack the native library off the event loop first; a failure here is reported by the loader below.
  const nativeUnpack = await readyNative(nativeCacheDir(env)).catch((err: unknown) => ({ how: 'failed' as const, error: (err as Error).message }));
  const api = await import('@duckdb/node-api');
  const tempDir = duckdbTempDir(env);
  await fs.promises.mkdir(tempDir, { recursive: true, mode: 0o700 });
  const memoryLimit = memoryLimitSetting(env);
  const threads = duckdbThreads(env);
  const instance = await api.DuckDBInstance.create(':memory:', engineSettings(memoryLimit, tempDir, threads));
  const connection = await instance.connect();
  const reader = await connection.runAndReadAll('select version() as v');
  const version = String(reader.getRowObjects()[0]?.v ?? 'unknown');
  const keywords = await connection.runAndReadAll("select keyword_name from duckdb_keywords() where keyword_category = 'reserved'");
  const reservedWords = new Set(keywords.getRows().map((r) => String(r[0]).toLowerCase()));
  // DuckDB's workers exist now (they start with the instance); from here on they yield to the event loop.
  const nice = duckdbNice(env);
  const workerNice = { nice, threads: lowerWorkerPriority(nice) };
  const idle: DuckDBConnection[] = [];
  const all = new Set<DuckDBConnection>([connection]);
  const busy = new Set<DuckDBConnection>();
  // Spare-memory release (memory-release.ts): armed when the last running query ends, on the start-up connection.
  let releaseTimer: ReturnType<typeof setTimeout> | undefined;
  let releasing: Promise<void> | undefined;
  let ranSinceRelease = false;
  let closed = false;
  const spareMemoryReleases = { count: 0, last_ms: 0 };
  const release = (): void => {
    releaseTimer = undefined;
    if (closed || busy.size > 0 || !ranSinceRelease) return;
    ranSinceRelease = false;
    releasing = releaseSpareMemory(connection, memoryLimit)
      .then(
        (ms) => {
          spareMemoryReleases.count++;
          spareMemoryReleases.last_ms = Math.round(ms * 10) / 10;
        },
        () => {}, // at worst the memory stays with DuckDB until the next release
      )
      .finally(() => (releasing = undefined));
  };
  return {
    api,
    instance,
    connection,
    version,
    memoryLimit,
    tempDir,
    threads,
    reservedWords,
    nativeUnpack,
    workerNice,
    spareMemoryReleases,
    async withConnection(fn) {
      while (releasing) await releasing;
      if (releaseTimer) clearTimeout(releaseTimer);
      releaseTimer = undefined;
      const c = idle.pop() ?? (await connectWithProgress(instance));
      all.add(c);
      busy.add(c);
      ranSinceRelease = true;
      try {
        return await fn(c);
      } finally {
        busy.delete(c);
        if (idle.length < POOL_IDLE_MAX) idle.push(c);
        else {
          all.delete(c);
          c.closeSync();
        }
        if (busy.size === 0 && !closed) {
          if (releaseTimer) clearTimeout(releaseTimer);
          releaseTimer = setTimeout(release, IDLE_RELEASE_DELAY_MS);
          releaseTimer.unref();
        }
      }
    },
    close() {
      closed = true;
      if (releaseTimer) clearTimeout(releaseTimer);
      try {
        // Closing a connection whose query still runs (background stats, say) leaves the process unable to
        // exit: it waits for that query forever. Interrupt those and let process exit tear them down.
        for (const c of busy) c.interrupt();
        for (const c of all) if (!busy.has(c)) c.closeSync();
        if (busy.size === 0) instance.closeSync();
      } catch {
        /* closing at exit: nothing useful to do with a failure */
      }
    },
  };
}
