// Hands DuckDB's spare memory back to the OS once the engine goes quiet.
//
// DuckDB's buffer pool keeps the memory of freed blocks for reuse and lets go of it only under its memory limit.
// A session that replaces its dataset holds the old and the new table at once for a moment (the old one stays
// until the new load succeeded), and the pool then keeps that peak for good: measured with DuckDB alone (a plain
// script loading the same 1 M-row CSV into a new table and dropping the previous one), 220 MiB after the first
// load and ~300 MiB from the second on, flat, while DuckDB's own accounting stays at 80 MB; malloc_trim changes
// nothing. Lowering the limit to just above what is in use, then restoring it, makes the pool free that memory:
// the same script then stays at ~175 MiB.
//
// The engine runs this when no query has run for IDLE_RELEASE_DELAY_MS and holds new queries back while it runs
// (~5-10 ms, on DuckDB's side, not the event loop's), so no query ever meets the lowered limit.

import v8 from 'node:v8';
import vm from 'node:vm';
import type { DuckDBConnection } from '@duckdb/node-api';

/** Quiet time after the last query before the spare memory is released. */
export const IDLE_RELEASE_DELAY_MS = 250;
/** The lowered limit stays this far above what DuckDB has in use, so nothing in use is ever evicted. */
const RELEASE_HEADROOM_MB = 64;

type Collect = (options?: { type?: 'major' | 'minor' }) => void;
let collect: Collect | null | undefined;

/**
 * A young-generation collection (~1 ms). Query results hold native DuckDB memory behind small JS objects that
 * V8 does not count, so they wait for a collection the small JS heap rarely needs: ~3.5 MB more RSS a reload
 * until V8's next major GC (measured). Most are still young here; a full GC (12-17 ms on the event loop) freed
 * hardly more.
 */
function collectYoung(): void {
  // Bun (the compiled binary's runtime): JavaScriptCore has no --expose-gc; Bun.gc(false) asks for a collection
  // without blocking on a full one.
  const bun = (globalThis as { Bun?: { gc(force: boolean): void } }).Bun;
  if (bun) return bun.gc(false);
  try {
    if (collect === undefined) {
      // Set at run time, after the bundle compiled, so the code cache still matches the start-up flags.
      v8.setFlagsFromString('--expose-gc');
      collect = vm.runInNewContext('gc') as Collect;
    }
    collect?.({ type: 'minor' });
  } catch {
    collect = null; // the memory then waits for V8's own collections
  }
}

const UNIT_MB: Record<string, number> = { b: 1e-6, kb: 1e-3, mb: 1, gb: 1e3, tb: 1e6, kib: 1024 / 1e6, mib: 1.048576, gib: 1073.741824, tib: 1099511.627776 };

/** A DuckDB memory size ('12000MB', '4GiB') in MB, or undefined when it is not one. */
export function sizeInMb(size: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT]i?B|B)$/i.exec(size.trim());
  const unit = m ? UNIT_MB[m[2]!.toLowerCase()] : undefined;
  return m && unit !== undefined ? Number(m[1]) * unit : undefined;
}

/** Releases spare memory through `conn`, which nothing else may use meanwhile; returns how long it took. */
export async function releaseSpareMemory(conn: DuckDBConnection, memoryLimit: string): Promise<number> {
  const t0 = performance.now();
  collectYoung();
  const used = await conn.runAndReadAll('select coalesce(sum(memory_usage_bytes), 0)::bigint from duckdb_memory()');
  const loweredMb = Math.ceil(Number(used.getRows()[0]?.[0] ?? 0) / 1e6) + RELEASE_HEADROOM_MB;
  // Near the limit already (a big file under a small BUCKAROO_DUCKDB_MEMORY_LIMIT): nothing to gain, and
  // restoring a limit below what is in use would make DuckDB spill.
  if (loweredMb < (sizeInMb(memoryLimit) ?? 0)) {
    await conn.run(`set global memory_limit = '${loweredMb}MB'`);
    await conn.run(`set global memory_limit = '${memoryLimit.replaceAll("'", "''")}'`);
  }
  return performance.now() - t0;
}
