// engine/thread-priority.ts: DuckDB's worker threads at a lower priority than the event loop.

import { describe, expect, it } from 'vitest';
import { DEFAULT_DUCKDB_NICE, duckdbNice, keepsPriority, lowerWorkerPriority, QUERY_POOL_THREADS, widenQueryPool } from '../../src/engine/thread-priority.ts';

describe('DuckDB thread priority', () => {
  it('reads BUCKAROO_DUCKDB_NICE within 0–19 and falls back to the default otherwise', () => {
    expect(duckdbNice({})).toBe(DEFAULT_DUCKDB_NICE);
    expect(duckdbNice({ BUCKAROO_DUCKDB_NICE: '0' })).toBe(0);
    expect(duckdbNice({ BUCKAROO_DUCKDB_NICE: ' 19 ' })).toBe(19);
    for (const bad of ['20', '-5', '2.5', 'low', '']) expect(duckdbNice({ BUCKAROO_DUCKDB_NICE: bad })).toBe(DEFAULT_DUCKDB_NICE);
  });

  it('keeps the event loop and V8 garbage-collection workers at normal priority', () => {
    expect(keepsPriority(100, 'buckaroo-table', 100)).toBe(true);
    expect(keepsPriority(101, 'V8Worker', 100)).toBe(true);
    expect(keepsPriority(104, 'HeapHelper', 100)).toBe(true);
    expect(keepsPriority(105, 'Bun Pool 1', 100)).toBe(false);
    expect(keepsPriority(102, 'libuv-worker', 100)).toBe(false);
    expect(keepsPriority(103, 'DelayedTaskSche', 100)).toBe(false);
  });

  it("widens libuv's pool for queries unless the person sized it", () => {
    const unset: NodeJS.ProcessEnv = {};
    widenQueryPool(unset);
    expect(unset.UV_THREADPOOL_SIZE).toBe(String(QUERY_POOL_THREADS));
    const set: NodeJS.ProcessEnv = { UV_THREADPOOL_SIZE: '6' };
    widenQueryPool(set);
    expect(set.UV_THREADPOOL_SIZE).toBe('6');
  });

  it('does nothing where threads have no priority of their own, or when asked for 0', () => {
    expect(lowerWorkerPriority(10, 'darwin')).toBe(0);
    expect(lowerWorkerPriority(0, 'linux')).toBe(0);
  });
});
