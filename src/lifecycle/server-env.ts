// The environment a server process needs from its first instruction: settings its runtime reads once, as the
// process starts, so assigning them from inside the server is too late.
//
// - UV_THREADPOOL_SIZE: Bun sizes the pool that runs native async work — every DuckDB query of the binding —
//   from it when the process starts, and otherwise from the core count (two threads on a 2-core machine).
//   Setting process.env from the server was too late: two background stats queries then held both threads and a
//   page's window, a /load or /meta of any session waited behind them (seconds behind a 10 M-row file's stats).
// - MALLOC_ARENA_MAX: glibc gives each thread its own malloc arena and keeps freed memory in them; DuckDB's
//   worker threads then hold on to every load's peak. Two arenas keep a server that reloads file after file at a
//   flat RSS (measured: +22 % after 10 reloads of a 1 M-row CSV without, −3 % with).

import { QUERY_POOL_THREADS } from '../engine/thread-priority.ts';
import type { Env } from '../paths.ts';

const SERVER_MALLOC_ARENA_MAX = '2';

/** The start-time settings for a server, keeping any the person set. */
export function serverStartEnv(env: Env): { UV_THREADPOOL_SIZE: string; MALLOC_ARENA_MAX: string } {
  return {
    UV_THREADPOOL_SIZE: env.UV_THREADPOOL_SIZE?.trim() || String(QUERY_POOL_THREADS),
    MALLOC_ARENA_MAX: env.MALLOC_ARENA_MAX?.trim() || SERVER_MALLOC_ARENA_MAX,
  };
}

/** True when this process started without one of them (a server run by hand, not by our own spawner). */
export function lacksServerStartEnv(env: Env): boolean {
  return !env.UV_THREADPOOL_SIZE?.trim() || !env.MALLOC_ARENA_MAX?.trim();
}
