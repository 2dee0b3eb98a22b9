import { describe, expect, it } from 'vitest';
import { DEFAULT_IDLE_TIMEOUT_MS, lifetimeVerdict, parseIdleTimeout, type LifetimeFacts } from '../../../src/server/lifetime.ts';

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
