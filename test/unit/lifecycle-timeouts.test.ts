import { describe, expect, it } from 'vitest';
import { lifecycleTimeouts, parseDurationMs, SHUTDOWN_TIMEOUT_MS, STARTUP_TIMEOUT_MS } from '../../src/lifecycle/timeouts.ts';
import { DEFAULT_IDLE_TIMEOUT_MS, lifetimeVerdict, parseIdleTimeout, type LifetimeFacts } from '../../src/server/lifetime.ts';

describe('parseDurationMs', () => {
  it('reads bare numbers in the given unit and explicit units', () => {
    expect(parseDurationMs('1500', 'X')).toBe(1500);
    expect(parseDurationMs('3s', 'X')).toBe(3000);
    expect(parseDurationMs('250ms', 'X')).toBe(250);
    expect(parseDurationMs('2m', 'X')).toBe(120_000);
    expect(parseDurationMs('1.5', 'X', 's')).toBe(1500);
  });
  it('refuses nonsense, naming the source', () => {
    expect(() => parseDurationMs('soon', 'BUCKAROO_SHUTDOWN_TIMEOUT')).toThrow(/BUCKAROO_SHUTDOWN_TIMEOUT/);
    expect(() => parseDurationMs('-1', 'X')).toThrow();
  });
});

describe('lifecycleTimeouts', () => {
  it('uses the defaults, and the environment when it makes sense', () => {
    expect(lifecycleTimeouts({})).toMatchObject({ shutdownMs: SHUTDOWN_TIMEOUT_MS, startupMs: STARTUP_TIMEOUT_MS });
    expect(lifecycleTimeouts({ BUCKAROO_SHUTDOWN_TIMEOUT: '1s', BUCKAROO_STARTUP_TIMEOUT: '9000' })).toMatchObject({ shutdownMs: 1000, startupMs: 9000 });
    expect(lifecycleTimeouts({ BUCKAROO_SHUTDOWN_TIMEOUT: 'oops' }).shutdownMs).toBe(SHUTDOWN_TIMEOUT_MS);
  });
  it('lets lock waiters outlast one whole replacement', () => {
    const t = lifecycleTimeouts({});
    expect(t.lockWaitMs).toBeGreaterThan(t.shutdownMs + t.sigtermGraceMs + t.sigkillWaitMs + t.startupMs);
  });
});

describe('server lifetime', () => {
  const base: LifetimeFacts = { now: 100_000, lastActivityMs: 0, inFlight: 0, viewers: 0, idleMs: 60_000, stateNamesUs: true, binaryChanged: false };
  it('parses --idle-timeout in minutes by default', () => {
    expect(parseIdleTimeout(undefined)).toBe(DEFAULT_IDLE_TIMEOUT_MS);
    expect(parseIdleTimeout('30')).toBe(30 * 60_000);
    expect(parseIdleTimeout('5s')).toBe(5_000);
    expect(parseIdleTimeout('0')).toBe(0);
  });
  it('idles out only with nothing in flight and no viewer page', () => {
    expect(lifetimeVerdict(base)).toMatchObject({ stop: true });
    expect(lifetimeVerdict({ ...base, inFlight: 1 })).toEqual({ stop: false });
    expect(lifetimeVerdict({ ...base, viewers: 1 })).toEqual({ stop: false });
    expect(lifetimeVerdict({ ...base, lastActivityMs: 50_000 })).toEqual({ stop: false });
    expect(lifetimeVerdict({ ...base, idleMs: 0 })).toEqual({ stop: false });
  });
  it('leaves when another server took over, even with a page open', () => {
    expect(lifetimeVerdict({ ...base, idleMs: 0, viewers: 2, stateNamesUs: false })).toMatchObject({ stop: true });
  });
  it('leaves when its binary was replaced, but not while a page is open', () => {
    expect(lifetimeVerdict({ ...base, idleMs: 0, binaryChanged: true })).toMatchObject({ stop: true });
    expect(lifetimeVerdict({ ...base, idleMs: 0, binaryChanged: true, viewers: 1 })).toEqual({ stop: false });
  });
});
