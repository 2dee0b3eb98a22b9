import { describe, expect, it } from 'vitest';
import { looksLikeBuckarooServer, verdict, type PidFacts } from '../../../src/lifecycle/verify-pid.ts';

const self = { pid: 100, ppid: 99, uid: 1000 };
const state = { pid: 4242, port: 9870, version: '1.2.0', protocol: 1, token: 'x'.repeat(20), started: 's', start_time: '777', exe: '/bin/bt' };
const facts = (over: Partial<PidFacts> = {}): PidFacts => ({
  pid: 4242,
  running: true,
  uid: 1000,
  startTime: '777',
  commandLine: '/home/u/.local/bin/buckaroo-table server --port 9870',
  holdsPort: true,
  ...over,
});

describe('looksLikeBuckarooServer', () => {
  it('accepts our binary, our bundle and Python Buckaroo', () => {
    expect(looksLikeBuckarooServer('/usr/local/bin/buckaroo-table server --port 9870')).toBe(true);
    expect(looksLikeBuckarooServer('/usr/bin/node /opt/bt/buckaroo-table.cjs server')).toBe(true);
    expect(looksLikeBuckarooServer('/usr/bin/python3 -m buckaroo.server --port 9870')).toBe(true);
  });
  it('refuses unrelated programs, even inside a checkout named buckaroo-table', () => {
    expect(looksLikeBuckarooServer('sleep 300')).toBe(false);
    expect(looksLikeBuckarooServer('python3 -m http.server 9870')).toBe(false);
    expect(looksLikeBuckarooServer('node /home/ci/buckaroo-table/test/fixtures/foreign-server.mjs')).toBe(false);
    expect(looksLikeBuckarooServer('/usr/local/bin/buckaroo-table mcp')).toBe(false);
  });
});

describe('verdict', () => {
  it('accepts our server when the recorded start time matches', () => {
    expect(verdict(facts(), { port: 9870, healthPid: 4242, state }, self)).toEqual({ ok: true });
  });
  it('handles pid reuse: a different start time is refused', () => {
    const v = verdict(facts({ startTime: '999' }), { port: 9870, state }, self);
    expect(v).toMatchObject({ ok: false, gone: false });
    expect(v.ok === false && v.reason).toContain('reused');
  });
  it('refuses a server whose health pid differs from the state file', () => {
    expect(verdict(facts(), { port: 9870, healthPid: 5, state }, self).ok).toBe(false);
    expect(verdict(facts({ pid: 5 }), { port: 9870, healthPid: 5, state }, self).ok).toBe(false);
  });
  it('refuses pid 1, ourselves and our parent', () => {
    for (const pid of [0, 1, 100, 99]) expect(verdict(facts({ pid }), { port: 9870 }, self).ok).toBe(false);
  });
  it('refuses another user and an unrelated command line', () => {
    expect(verdict(facts({ uid: 0 }), { port: 9870, state }, self).ok).toBe(false);
    expect(verdict(facts({ commandLine: 'sleep 300' }), { port: 9870, state }, self).ok).toBe(false);
  });
  it('without a state file (Python Buckaroo) needs the command line and the port', () => {
    const py = facts({ commandLine: 'python -m buckaroo.server', startTime: '1' });
    expect(verdict(py, { port: 9870, healthPid: 4242 }, self)).toEqual({ ok: true });
    expect(verdict({ ...py, holdsPort: false }, { port: 9870, healthPid: 4242 }, self).ok).toBe(false);
  });
  it('reports a pid that is gone as gone, not as refused', () => {
    expect(verdict(facts({ running: false }), { port: 9870, state }, self)).toMatchObject({ ok: false, gone: true });
  });
});

describe('verdict on Windows (no uids: owner SIDs; no recorded start time: the port it holds)', () => {
  const winSelf = { pid: 100, ppid: 99 };
  const sid = 'S-1-5-21-1-2-3-1001';
  const winState = { ...state, start_time: undefined, exe: 'C:\\bt\\buckaroo-table.exe' };
  const winFacts = (over: Partial<PidFacts> = {}): PidFacts =>
    facts({ uid: undefined, startTime: '2026-11-29T15:13:55Z', commandLine: '"C:\\Program Files\\bt\\buckaroo-table.exe" server --port 9870', ownerSid: sid, selfSid: sid, ...over });
  it('accepts our server of the same user holding the port', () => {
    expect(verdict(winFacts(), { port: 9870, healthPid: 4242, state: winState }, winSelf)).toEqual({ ok: true });
  });
  it("refuses another user's process, and one whose owner Windows did not name", () => {
    expect(verdict(winFacts({ ownerSid: 'S-1-5-18' }), { port: 9870, state: winState }, winSelf)).toMatchObject({ ok: false, gone: false });
    expect(verdict(winFacts({ ownerSid: undefined }), { port: 9870, state: winState }, winSelf)).toMatchObject({ ok: false, gone: false });
  });
  it('refuses when PowerShell could not answer (no command line)', () => {
    expect(verdict(winFacts({ commandLine: undefined, ownerSid: undefined, selfSid: undefined }), { port: 9870, state: winState }, winSelf).ok).toBe(false);
  });
  it('refuses a reused pid: our command line elsewhere, but not holding the port', () => {
    expect(verdict(winFacts({ holdsPort: false }), { port: 9870, state: winState }, winSelf)).toMatchObject({ ok: false, reason: expect.stringContaining('does not hold port') });
  });
  it('reads Windows command lines: backslashes and a quoted image path with spaces', () => {
    expect(looksLikeBuckarooServer('"C:\\Program Files\\bt\\buckaroo-table.exe" server --port 9870')).toBe(true);
    expect(looksLikeBuckarooServer('C:\\bt\\buckaroo-table.exe server')).toBe(true);
    expect(looksLikeBuckarooServer('"C:\\bt\\buckaroo-table.exe" mcp')).toBe(false);
    expect(looksLikeBuckarooServer('C:\\Windows\\notepad.exe C:\\buckaroo-table\\notes.txt')).toBe(false);
  });
});
