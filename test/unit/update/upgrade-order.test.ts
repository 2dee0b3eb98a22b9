// When `upgrade` stops the running data server relative to replacing the binary (issue 15: on Windows a running
// .exe can only be renamed away, so the old server is stopped before the replace).
import { describe, expect, it } from 'vitest';
import { staleServerOrder } from '../../../src/cli/upgrade.ts';

describe('the order of stopping the old server and replacing the binary', () => {
  it('stops the old server first on Windows', () => {
    expect(staleServerOrder('windows')).toBe('before-replace');
  });

  it('replaces first on macOS and Linux, so a failed replace leaves the old server serving', () => {
    expect(staleServerOrder('darwin')).toBe('after-replace');
    expect(staleServerOrder('linux')).toBe('after-replace');
  });
});
