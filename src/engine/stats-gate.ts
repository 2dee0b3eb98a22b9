// Background stats step aside while a load (or a query, a comparison) runs, in every session: their queries
// are interrupted, wait for the load to end, and then run again, so a load never waits behind them and their
// readers get an answer, later, instead of an error.

import type { DuckDBConnection } from '@duckdb/node-api';

/**
 * How often running stats queries are interrupted again while the gate is closed. A query the binding had
 * queued but not started when the first interrupt landed starts uninterrupted (DuckDB forgets an interrupt
 * between statements); the repeat stops it within this many ms of starting.
 */
export const STATS_INTERRUPT_REPEAT_MS = 10;

/**
 * The longest one load holds the stats. What a load must not wait for is the start (a pool thread, a core): a
 * 1 M-row Parquet file loads in 20-50 ms, a 1 M-row CSV in under a second. A load of minutes would otherwise keep
 * another session's view_data waiting for its summary just as long; past this the stats run beside it.
 */
export const STATS_PAUSE_MAX_MS = 1_000;

export interface StatsGate {
  /** Interrupts the running stats queries and holds new ones until every pause is released (or has lasted STATS_PAUSE_MAX_MS). */
  pause(): () => void;
  /** Runs `fn` with the stats paused (a load, a query): released when it ends, or after STATS_PAUSE_MAX_MS. */
  whilePaused<T>(fn: () => Promise<T>): Promise<T>;
  /** Resolves once no pause is held. */
  open(): Promise<void>;
  /** Counts pauses: a query that saw it change while it ran was interrupted by one and runs again. */
  generation(): number;
  /** Registers a running stats query's connection, for pause() to interrupt; returns its release. */
  track(conn: DuckDBConnection): () => void;
}

/**
 * Interrupts every connection in `running` now, and again every STATS_INTERRUPT_REPEAT_MS while `wanted()` holds
 * and some are left (each leaves the set when its query ends).
 */
export function interruptUntilIdle(running: ReadonlySet<DuckDBConnection>, wanted: () => boolean): void {
  const interruptAll = (): void => {
    for (const c of running) c.interrupt();
  };
  interruptAll();
  if (running.size === 0) return;
  const repeat = setInterval(() => (running.size > 0 && wanted() ? interruptAll() : clearInterval(repeat)), STATS_INTERRUPT_REPEAT_MS);
}

export function createStatsGate(): StatsGate {
  const running = new Set<DuckDBConnection>();
  let pauses = 0;
  let gen = 0;
  let opened: { promise: Promise<void>; resolve: () => void } | undefined;
  const gate: StatsGate = {
    async whilePaused(fn) {
      const release = gate.pause();
      try {
        return await fn();
      } finally {
        release();
      }
    },
    pause() {
      pauses++;
      gen++;
      if (!opened) {
        let resolve!: () => void;
        const promise = new Promise<void>((r) => (resolve = r));
        opened = { promise, resolve };
      }
      interruptUntilIdle(running, () => pauses > 0);
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        clearTimeout(expiry);
        if (--pauses > 0) return;
        const o = opened;
        opened = undefined;
        o?.resolve();
      };
      const expiry = setTimeout(release, STATS_PAUSE_MAX_MS);
      expiry.unref?.();
      return release;
    },
    open: () => opened?.promise ?? Promise.resolve(),
    generation: () => gen,
    track(conn) {
      running.add(conn);
      return () => running.delete(conn);
    },
  };
  return gate;
}
