import { describe, expect, it } from 'vitest';
import { supersedes } from '../../../src/lifecycle/newest-binary.ts';

describe('supersedes', () => {
  it('records the first compiled binary and every newer one', () => {
    expect(supersedes({ version: '0.0.2', exe: '/bin/bt' }, undefined)).toBe(true);
    expect(supersedes({ version: '0.0.3', exe: '/bin/bt' }, { version: '0.0.2', exe: '/bin/bt' })).toBe(true);
  });
  it('refuses an older or equal version, so the record never moves back', () => {
    expect(supersedes({ version: '0.0.1', exe: '/old/bt' }, { version: '0.0.2', exe: '/bin/bt' })).toBe(false);
    expect(supersedes({ version: '0.0.2', exe: '/other/bt' }, { version: '0.0.2', exe: '/bin/bt' })).toBe(false);
  });
  it('refuses a bundle run by node, which the record could not start again', () => {
    expect(supersedes({ version: '9.0.0', exe: '/x/dist/buckaroo-table.cjs' }, undefined)).toBe(false);
  });
});
