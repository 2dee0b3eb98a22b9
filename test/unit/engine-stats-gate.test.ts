// engine/stats-gate.ts: a load's pause holds new stats queries until it is released (or lasted
// STATS_PAUSE_MAX_MS), interrupts the running ones, and interrupts again while they run (DuckDB forgets an
// interrupt that lands before a query starts).

import type { DuckDBConnection } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createStatsGate, STATS_INTERRUPT_REPEAT_MS, STATS_PAUSE_MAX_MS } from '../../src/engine/stats-gate.ts';

/** Stands in for a DuckDB connection: only interrupt() is used, and counted. */
function connection(): { conn: DuckDBConnection; interrupts: () => number } {
  let n = 0;
  return { conn: { interrupt: () => void n++ } as unknown as DuckDBConnection, interrupts: () => n };
}

const settled = async (p: Promise<void>): Promise<boolean> => {
  let done = false;
  void p.then(() => (done = true));
  await vi.advanceTimersByTimeAsync(0);
  return done;
};

describe('stats gate', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('holds new stats queries until every pause is released', async () => {
    const gate = createStatsGate();
    expect(await settled(gate.open())).toBe(true);
    const a = gate.pause();
    const b = gate.pause();
    const waiting = gate.open();
    a();
    a(); // a second release of the same pause changes nothing
    expect(await settled(waiting)).toBe(false);
    b();
    expect(await settled(waiting)).toBe(true);
  });

  it('lets stats run beside a load that lasts longer than STATS_PAUSE_MAX_MS', async () => {
    const gate = createStatsGate();
    gate.pause();
    const waiting = gate.open();
    await vi.advanceTimersByTimeAsync(STATS_PAUSE_MAX_MS - 1);
    expect(await settled(waiting)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await settled(waiting)).toBe(true);
  });

  it('interrupts running queries, again while they run, and counts the pause', async () => {
    const gate = createStatsGate();
    const running = connection();
    const untrack = gate.track(running.conn);
    const gen = gate.generation();
    const release = gate.pause();
    expect(gate.generation()).not.toBe(gen);
    expect(running.interrupts()).toBe(1);
    await vi.advanceTimersByTimeAsync(STATS_INTERRUPT_REPEAT_MS * 3);
    expect(running.interrupts()).toBe(4);
    untrack();
    await vi.advanceTimersByTimeAsync(STATS_INTERRUPT_REPEAT_MS * 3);
    expect(running.interrupts()).toBe(4);
    release();
  });
});
