import { describe, expect, it } from 'vitest';
import { compareVersions, decideAction } from '../../src/lifecycle/decide.ts';
import { describeEnsureResult, describeStopResult } from '../../src/lifecycle/describe.ts';
import type { ProbeResult } from '../../src/lifecycle/probe.ts';

const health = (version: string, protocol = 1): ProbeResult => ({
  kind: 'ours',
  port: 9,
  health: { status: 'ok', version, protocol, pid: 42, started: 'x', uptime_s: 1, port: 9, exe: '/bt' },
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
  it('reuses a server of our version and protocol', () => {
    expect(decideAction(health('1.3.0'), '1.3.0', 1)).toEqual({ kind: 'reuse' });
  });
  it('replaces_older_unversioned_and_other_protocol_servers', () => {
    expect(decideAction(health('1.2.9'), '1.3.0', 1)).toMatchObject({ kind: 'replace', responsive: true });
    expect(decideAction(health('garbage'), '1.3.0', 1)).toMatchObject({ kind: 'replace' });
    expect(decideAction(health('1.3.0', 2), '1.3.0', 1)).toMatchObject({ kind: 'replace' });
    expect(decideAction({ kind: 'old-style', port: 9, pid: 5, body: {} }, '1.3.0', 1)).toMatchObject({ kind: 'replace', responsive: true });
  });
  it('handles_a_hung_server_by_the_kill_path_without_asking_it', () => {
    expect(decideAction({ kind: 'hung', port: 9 }, '1.3.0', 1)).toMatchObject({ kind: 'replace', responsive: false });
  });
  it('reuses_a_newer_server_and_tells_the_person_to_restart_the_session', () => {
    const a = decideAction(health('1.4.0'), '1.3.0', 1);
    expect(a).toEqual({
      kind: 'reuse-newer',
      notice: 'server 1.4.0 is newer than this tool 1.3.0; restart your agent session to update the tool',
    });
  });
  it('never_downgrades_even_on_restart', () => {
    expect(decideAction(health('1.4.0'), '1.3.0', 1, true).kind).toBe('reuse-newer');
  });
  it('refuses_a_newer_server_of_another_protocol', () => {
    const a = decideAction(health('2.0.0', 2), '1.3.0', 1);
    expect(a.kind).toBe('refuse-newer');
    expect(a.kind === 'refuse-newer' && a.message).toContain('Restart your agent session');
  });
  it('replaces a same-version server when a restart is asked for', () => {
    expect(decideAction(health('1.3.0'), '1.3.0', 1, true)).toMatchObject({ kind: 'replace' });
  });
  it('starts when nothing listens and never touches a foreign holder', () => {
    expect(decideAction({ kind: 'nothing', port: 9 }, '1.3.0', 1)).toEqual({ kind: 'start' });
    expect(decideAction({ kind: 'foreign', port: 9, snippet: 'hi' }, '1.3.0', 1)).toEqual({ kind: 'foreign' });
  });
});

describe('describeEnsureResult', () => {
  it('says what was replaced and how', () => {
    const text = describeEnsureResult({
      status: 'replaced',
      pid: 20,
      version: '1.3.0',
      port: 9870,
      token: 't',
      previous: { version: '1.2.0', pid: 10, how: 'sigkill' },
      ms: 310,
    });
    expect(text).toBe('Replaced data server 1.2.0 (pid 10, killed with SIGKILL) with 1.3.0 (pid 20) on port 9870 (310 ms).');
  });
  it('carries the notice', () => {
    const text = describeEnsureResult({ status: 'reused', pid: 1, version: '1.4.0', port: 9870, token: 't', notice: 'restart your agent session', ms: 3 });
    expect(text).toContain('Note: restart your agent session.');
  });
  it('describes a stop', () => {
    expect(describeStopResult({ status: 'not-running', port: 5, ms: 1 })).toBe('No buckaroo-table server is running on port 5.');
  });
});
