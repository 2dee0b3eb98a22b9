// How many threads run DuckDB's work, and at what priority: background priority, so the event loop wins the
// CPU whenever it wakes up. On a 2-core
// machine a 1 M-row load keeps every core busy; at equal priority the kernel let /health wait behind DuckDB for
// 10–27 ms at p99. With DuckDB's threads at nice 10 it answers in ~6 ms at p99 and the load is no slower,
// because nothing else wants the CPU (bench/engine.bench.ts). It also keeps the person's own programs snappy
// while a big file loads, which is what a background helper should do.
//
// Linux only: there setpriority() on a thread id changes that one thread, and /proc/self/task lists them.
// Elsewhere (macOS) the same call would renice the whole process, event loop included, so we do nothing.

import fs from 'node:fs';
import os from 'node:os';
import type { Env } from '../paths.ts';

/**
 * libuv's pool size for the server. The binding runs each query on a pool thread for its whole length, so with
 * libuv's default of 4 a load's stats (three frequency lanes, the summary scan, the details) held every thread,
 * and a page's 3 ms window in another session waited 70–100 ms at p99 behind them: 22–27 ms with 8. 16 was no
 * better for the window and let more DuckDB threads contend with the event loop (/health p99 over 10 ms in two
 * of three runs against none with 8). Idle threads cost a stack of virtual memory.
 */
export const QUERY_POOL_THREADS = 8;

/**
 * Sets UV_THREADPOOL_SIZE unless the person set it. libuv reads it when the pool starts (its first use), so
 * this must run before the server touches the file system asynchronously.
 */
export function widenQueryPool(env: NodeJS.ProcessEnv = process.env): void {
  if (!env.UV_THREADPOOL_SIZE) env.UV_THREADPOOL_SIZE = String(QUERY_POOL_THREADS);
}

/** The usual nice value for background work (`nice` with no -n uses it too). */
export const DEFAULT_DUCKDB_NICE = 10;
const TASK_DIR = '/proc/self/task';

/** `BUCKAROO_DUCKDB_NICE` (0–19) overrides the default; 0 runs DuckDB at the event loop's priority. */
export function duckdbNice(env: Env): number {
  const raw = env.BUCKAROO_DUCKDB_NICE?.trim();
  const n = raw ? Number(raw) : NaN;
  return Number.isInteger(n) && n >= 0 && n <= 19 ? n : DEFAULT_DUCKDB_NICE;
}

/** Bun's (JavaScriptCore's) garbage-collector threads, V8's counterpart; the event loop waits for them too. */
const JSC_GC_THREAD = /^(HeapHelper|JSC Heap|Heap Collector)/;

/**
 * Which threads keep normal priority: the event loop itself, and the runtime's GC workers, which run garbage collection
 * the event loop waits for. Everything else in this process is libuv's pool, where the binding runs queries,
 * and DuckDB's own workers, which that pool starts (they inherit its name, so we can't pick them by name).
 */
export function keepsPriority(tid: number, name: string, mainTid: number): boolean {
  return tid === mainTid || name.startsWith('V8') || JSC_GC_THREAD.test(name);
}


/**
 * Lowers every worker thread that exists now to `nice`. Call it once DuckDB is open: its threads start then.
 * Returns how many threads were changed; a thread that exits meanwhile, or a platform without per-thread
 * priorities, just counts for nothing.
 */
export function lowerWorkerPriority(nice: number, platform: NodeJS.Platform = process.platform): number {
  if (platform !== 'linux' || nice <= 0) return 0;
  let tids: string[];
  try {
    tids = fs.readdirSync(TASK_DIR);
  } catch {
    return 0;
  }
  let changed = 0;
  for (const entry of tids) {
    const tid = Number(entry);
    try {
      const name = fs.readFileSync(`${TASK_DIR}/${entry}/comm`, 'utf8').trim();
      if (keepsPriority(tid, name, process.pid)) continue;
      os.setPriority(tid, nice);
      changed++;
    } catch {
      // The thread ended between readdir and here, or the kernel said no: priority is an optimisation.
    }
  }
  return changed;
}
