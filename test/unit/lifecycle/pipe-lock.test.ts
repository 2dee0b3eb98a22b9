// The Windows start lock's name (its exclusion is the kernel's, run under wine by test/e2e/windows.test.ts).

import { describe, expect, it } from 'vitest';
import { pipeLockName } from '../../../src/lifecycle/pipe-lock.ts';

describe('pipeLockName', () => {
  it('names a pipe in the Windows pipe namespace, the same for every spelling of one path', () => {
    const a = pipeLockName('C:\\Users\\Ann\\.buckaroo\\run\\start.lock');
    expect(a).toMatch(/^\\\\\.\\pipe\\buckaroo-table-[0-9a-f]{24}$/);
    expect(pipeLockName('c:/users/ann/.buckaroo/run/start.lock')).toBe(a);
  });
  it('gives two homes two locks', () => {
    expect(pipeLockName('C:\\Users\\Ann\\.buckaroo\\run\\start.lock')).not.toBe(pipeLockName('C:\\Users\\Bob\\.buckaroo\\run\\start.lock'));
  });
});
