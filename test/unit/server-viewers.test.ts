// server/viewers.ts: which sessions have a page connected, and the grace for a page that comes back.

import { describe, expect, it } from 'vitest';
import { createViewerHub } from '../../src/server/viewers.ts';

describe('the viewer hub', () => {
  const noop = (): void => {};

  it('does not wait for a session nobody watched', async () => {
    const hub = createViewerHub(10_000);
    const t0 = Date.now();
    expect(await hub.rejoined('never-seen')).toBe(false);
    expect(Date.now() - t0).toBeLessThan(50);
  });

  it('waits for a page that left a moment ago, and answers as soon as it is back', async () => {
    const hub = createViewerHub(10_000);
    hub.add('s1', noop)();
    const t0 = Date.now();
    const waiting = hub.rejoined('s1');
    setTimeout(() => hub.add('s1', noop), 30);
    expect(await waiting).toBe(true);
    expect(Date.now() - t0).toBeLessThan(1_000);
  });

  it('gives up when the grace is over', async () => {
    const hub = createViewerHub(60);
    hub.add('s2', noop)();
    expect(await hub.rejoined('s2')).toBe(false);
    expect(await hub.rejoined('s2')).toBe(false); // and later ones do not wait again
  });

  it('counts a session as watched while any of its pages is connected', async () => {
    const hub = createViewerHub(10_000);
    const leave = hub.add('s3', () => {});
    hub.add('s3', () => {});
    leave();
    expect(hub.connected('s3')).toBe(1);
    expect(await hub.rejoined('s3')).toBe(true);
  });
});
