// Per-column summary statistics, computed by DuckDB over every row and cached per dataset, a batch of columns
// at a time, in two phases: the summary the agent's text needs first (stats-summary.ts), then quartiles and
// histograms, which only the page shows (stats-details.ts). stats-plan.ts picks the queries from the row
// count. This file holds what runs them: the cache, the batching, and interrupting them when a load replaces
// the dataset.

import type { DuckDBConnection } from '@duckdb/node-api';
import type { ColumnStats, ColumnSummary } from '../contract/data-api.ts';
import type { Engine } from './duckdb.ts';
import type { Dataset } from './load.ts';
import { computeDetails } from './stats-details.ts';
import { interruptUntilIdle, type StatsGate } from './stats-gate.ts';
export { createStatsGate } from './stats-gate.ts';
import { planSummary } from './stats-plan.ts';
import { computeSummaries, type SummaryPart } from './stats-summary.ts';
import { createValueConverter } from './values.ts';

/** Stats of this many leading columns start computing as soon as a file is loaded (view_data and the page ask next). */
export const PREFETCH_STATS_COLUMNS = 50;

/** The columns whose stats are computed as soon as the dataset is loaded. */
export function leadingColumns(ds: Dataset, n = PREFETCH_STATS_COLUMNS): number[] {
  return Array.from({ length: Math.min(n, ds.columns.length) }, (_, i) => i);
}

/** Columns summarised per query round. */
const STATS_BATCH_COLUMNS = 25;

/** Stats queries stopped because a load is replacing (or replaced) the dataset; asking again may succeed. */
export class StatsInterruptedError extends Error {
  constructor() {
    super('stats interrupted: a new load is replacing the dataset');
    this.name = 'StatsInterruptedError';
  }
}

export interface StatsCache {
  /** The summary of the given columns (by index), computing what is missing; cheaper than get(). */
  summary(indices: number[]): Promise<ColumnSummary[]>;
  /** Full stats of the given columns (by index), computing what is missing. */
  get(indices: number[]): Promise<ColumnStats[]>;
  /** Milliseconds spent computing so far. */
  computedMs(): number;
  /** Interrupts running queries for good (the dataset was replaced: nobody will read the answer). */
  cancel(): void;
  /**
   * Interrupts running queries and refuses new ones until resume(): a load into the session has started,
   * and every reader waits for it, so the work would only slow that load down. A failed load resumes.
   */
  suspend(): void;
  resume(): void;
}

/** `gate`: the server's, shared by every session, which a load closes (stats-gate.ts). */
export function createStatsCache(engine: Engine, ds: Dataset, gate: StatsGate): StatsCache {
  const summaries = new Map<number, Promise<SummaryPart>>();
  const full = new Map<number, Promise<ColumnStats>>();
  const convert = createValueConverter(engine.api);
  const running = new Set<DuckDBConnection>();
  let cancelled = false;
  let suspended = false;
  const stopped = (): boolean => cancelled || suspended;
  // Every connection the phases use is registered, so cancel() and suspend() can interrupt it, and so can a load
  // in any session (stats-gate.ts): that one only holds the query up, which then runs again once the load is over.
  const tracked: Engine = {
    ...engine,
    withConnection: async (fn) => {
      for (;;) {
        await gate.open();
        if (stopped()) throw new StatsInterruptedError();
        const gen = gate.generation();
        // undefined: a load began meanwhile (while this waited for a connection, or interrupting the query).
        const out = await engine.withConnection(async (conn): Promise<{ value: Awaited<ReturnType<typeof fn>> } | undefined> => {
          if (gate.generation() !== gen) return undefined;
          running.add(conn);
          const untrack = gate.track(conn);
          try {
            return { value: await fn(conn) };
          } catch (err) {
            if (stopped()) throw new StatsInterruptedError();
            if (gate.generation() !== gen) return undefined;
            throw err;
          } finally {
            untrack();
            running.delete(conn);
          }
        });
        if (out) return out.value;
      }
    },
  };
  const interruptAll = (): void => interruptUntilIdle(running, stopped);
  let spentMs = 0;
  const timed = async <T>(fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      spentMs += performance.now() - t0;
    }
  };
  /** Starts `compute` for the indices not in `cache`, a batch at a time; a failed batch may be retried later. */
  const fill = <T>(cache: Map<number, Promise<T>>, indices: number[], compute: (batch: number[]) => Promise<T[]>): Promise<T[]> => {
    const missing = [...new Set(indices.filter((i) => !cache.has(i)))];
    for (let b = 0; b < missing.length; b += STATS_BATCH_COLUMNS) {
      const batch = missing.slice(b, b + STATS_BATCH_COLUMNS);
      const work = compute(batch);
      batch.forEach((col, k) => {
        const p = work.then((all) => all[k]!);
        p.catch(() => cache.delete(col));
        cache.set(col, p);
      });
    }
    return Promise.all(indices.map((i) => cache.get(i)!));
  };
  const planOf = (batch: number[]) => planSummary(ds.rows, batch.map((i) => ds.columns[i]!));
  const summaryParts = (indices: number[]): Promise<SummaryPart[]> =>
    fill(summaries, indices, (batch) => timed(() => computeSummaries(tracked, ds, planOf(batch), convert)));
  return {
    summary: async (indices) => (await summaryParts(indices)).map((p) => p.summary),
    get: (indices) =>
      fill(full, indices, async (batch) => {
        // The second phase starts once the batch's summary is there, so it never slows the agent's answer.
        const parts = await summaryParts(batch);
        return timed(() => computeDetails(tracked, ds, planOf(batch), parts, convert));
      }),
    computedMs: () => spentMs,
    cancel() {
      cancelled = true;
      interruptAll();
    },
    suspend() {
      suspended = true;
      interruptAll();
    },
    resume() {
      suspended = false;
    },
  };
}
