import { describe, expect, it } from 'vitest';
import { describeEnsureResult, describeStopResult } from '../../../src/lifecycle/describe.ts';

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
