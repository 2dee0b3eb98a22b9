import { describe, expect, it } from 'vitest';
import type { ProbeResult } from '../../../src/lifecycle/probe.ts';
import { decideStaleAction } from '../../../src/update/stale-server.ts';

const ours = (version: string): ProbeResult => ({
  kind: 'ours',
  port: 9,
  health: { status: 'ok', version, protocol: 1, pid: 42, started: 'x', uptime_s: 1, port: 9, exe: '/bt' },
});

describe('decideStaleAction', () => {
  it('stops the old server after an upgrade, and a hung one too (the verified kill path decides if it is ours)', () => {
    expect(decideStaleAction(ours('0.0.1'), '0.0.2')).toEqual({ kind: 'stop' });
    expect(decideStaleAction({ kind: 'hung', port: 9 }, '0.0.2')).toEqual({ kind: 'stop' });
  });
  it('handles a server already at the new version and an empty port', () => {
    expect(decideStaleAction(ours('0.0.2'), '0.0.2')).toEqual({ kind: 'current', pid: 42 });
    expect(decideStaleAction({ kind: 'nothing', port: 9 }, '0.0.2')).toEqual({ kind: 'none' });
  });
  it('refuses to touch Python Buckaroo and foreign programs', () => {
    expect(decideStaleAction({ kind: 'old-style', port: 9, body: {} }, '0.0.2').kind).toBe('leave');
    expect(decideStaleAction({ kind: 'foreign', port: 9, snippet: '' }, '0.0.2').kind).toBe('leave');
  });
});
