// decide.ts: every probe outcome maps to one named action; the situations each test names are the ones a
// person meets (an upgrade, a crash, a newer session, Python Buckaroo or another program on the port).

import { describe, expect, it } from 'vitest';
import { compareVersions, decideAction, decideAfterLostServer, decideStopAction, type EnsureFacts } from '../../../src/lifecycle/decide.ts';
import type { ProbeResult } from '../../../src/lifecycle/probe.ts';

const ours = (version: string, protocol = 1): ProbeResult => ({
  kind: 'ours',
  port: 9,
  health: { status: 'ok', version, protocol, pid: 42, started: 'x', uptime_s: 1, port: 9, exe: '/bt' },
});
const facts = (found: ProbeResult, over: Partial<EnsureFacts> = {}): EnsureFacts => ({
  found,
  stateNamesServer: true,
  ourVersion: '1.3.0',
  ourProtocol: 1,
  restart: false,
  ...over,
});

describe('compareVersions', () => {
  it('orders release versions by semver, not by string', () => {
    expect(compareVersions('1.10.0', '1.9.0')).toBe('newer');
    expect(compareVersions('1.9.0', '1.10.0')).toBe('older');
    expect(compareVersions('1.3.0', '1.3.0')).toBe('same');
    expect(compareVersions('1.3.0-rc.1', '1.3.0')).toBe('older');
  });
  it('calls anything that is not semver unknown', () => {
    expect(compareVersions('unknown', '1.3.0')).toBe('unknown');
    expect(compareVersions('dev', '1.3.0')).toBe('unknown');
  });
});

describe('decideAction', () => {
  it('starts a server when nothing listens', () => {
    expect(decideAction(facts({ kind: 'nothing', port: 9 }))).toEqual({ kind: 'start' });
  });
  it('reuses a server of our version and protocol whose state file we hold', () => {
    expect(decideAction(facts(ours('1.3.0')))).toEqual({ kind: 'reuse' });
  });
  it('replaces a server of our version whose state file is missing, since its token is unknown', () => {
    expect(decideAction(facts(ours('1.3.0'), { stateNamesServer: false }))).toEqual({
      kind: 'retire-live',
      reason: 'its state file is missing, so its token is unknown',
    });
  });
  it('replaces an older server after asking it to leave', () => {
    expect(decideAction(facts(ours('1.2.9')))).toEqual({ kind: 'retire-live', reason: 'it is version 1.2.9, older than 1.3.0' });
  });
  it('replaces a server that speaks another protocol or reports no release version', () => {
    expect(decideAction(facts(ours('1.3.0', 2)))).toMatchObject({ kind: 'retire-live', reason: 'it speaks protocol 2, not 1' });
    expect(decideAction(facts(ours('garbage')))).toMatchObject({ kind: 'retire-live', reason: 'its version "garbage" is not a release version' });
  });
  it('replaces an old-style server, naming the version it reported', () => {
    expect(decideAction(facts({ kind: 'old-style', port: 9, pid: 5, body: {} }))).toMatchObject({ kind: 'retire-live', reason: expect.stringContaining('without version') });
    expect(decideAction(facts({ kind: 'old-style', port: 9, pid: 5, version: '0.12.9', body: {} }))).toEqual({
      kind: 'retire-live',
      reason: 'it is Buckaroo 0.12.9, which reports no protocol',
    });
  });
  it('handles a hung server by the kill path without asking it', () => {
    expect(decideAction(facts({ kind: 'hung', port: 9 }))).toMatchObject({ kind: 'retire-hung' });
  });
  it('handles a foreign program on the port by moving aside', () => {
    expect(decideAction(facts({ kind: 'foreign', port: 9, snippet: 'hi' }))).toEqual({ kind: 'move-aside' });
  });
  it('reuses a newer server and tells the person to restart the session', () => {
    expect(decideAction(facts(ours('1.4.0')))).toEqual({
      kind: 'reuse-newer',
      notice: 'server 1.4.0 is newer than this tool 1.3.0; restart your agent session to update the tool',
    });
  });
  it('refuses to downgrade a newer server even when a restart is asked for', () => {
    expect(decideAction(facts(ours('1.4.0'), { restart: true })).kind).toBe('reuse-newer');
  });
  it('refuses a newer server of another protocol with a sentence for the agent', () => {
    const a = decideAction(facts(ours('2.0.0', 2)));
    expect(a.kind).toBe('refuse-newer');
    expect(a.kind === 'refuse-newer' && a.message).toContain('Restart your agent session');
  });
  it('replaces a server of our own version when a restart is asked for', () => {
    expect(decideAction(facts(ours('1.3.0'), { restart: true }))).toEqual({ kind: 'retire-live', reason: 'restart requested' });
  });
});

describe('decideStopAction', () => {
  it('handles every probe outcome: nothing to stop, a foreign holder, a live or a hung server', () => {
    expect(decideStopAction({ kind: 'nothing', port: 9 })).toEqual({ kind: 'not-running' });
    expect(decideStopAction({ kind: 'foreign', port: 9, snippet: '' })).toEqual({ kind: 'refuse-foreign' });
    expect(decideStopAction(ours('0.0.1'))).toEqual({ kind: 'retire-live' });
    expect(decideStopAction({ kind: 'old-style', port: 9, body: {} })).toEqual({ kind: 'retire-live' });
    expect(decideStopAction({ kind: 'hung', port: 9 })).toEqual({ kind: 'retire-hung' });
  });
});

describe('decideAfterLostServer', () => {
  const lost = { pid: 10, version: '0.0.1' };
  it('retries once when a newer session replaced the server the call was using, and says so', () => {
    expect(decideAfterLostServer({ lost, now: { status: 'reused', pid: 20, version: '0.0.2' } })).toEqual({
      kind: 'retry',
      notice: 'the data server 0.0.1 (pid 10) was replaced by 0.0.2 (pid 20) during this call, which was retried there',
    });
  });
  it('refuses to retry after a crash, where the same input would crash the new server again', () => {
    const a = decideAfterLostServer({ lost, now: { status: 'started', pid: 20, version: '0.0.1' } });
    expect(a.kind).toBe('fail');
    expect(a.kind === 'fail' && a.hint).toContain('went away during the call');
  });
  it('refuses to retry when the same server still answers', () => {
    expect(decideAfterLostServer({ lost, now: { status: 'reused', pid: 10, version: '0.0.1' } }).kind).toBe('fail');
  });
});
