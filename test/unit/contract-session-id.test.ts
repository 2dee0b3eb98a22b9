// contract/session-id.ts: the one shape of a session id, for every route and the registry.

import { describe, expect, it } from 'vitest';
import { isValidSessionId, newSessionId } from '../../src/contract/session-id.ts';

describe('session ids', () => {
  it('mints 128 bit ids and refuses path like ones', () => {
    const id = newSessionId();
    expect(id).toHaveLength(22);
    expect(isValidSessionId(id)).toBe(true);
    expect(isValidSessionId('../../etc/passwd')).toBe(false);
    expect(isValidSessionId('short')).toBe(false);
  });

  it('refuses ids that could escape a url, and empty or over-long ones', () => {
    expect(isValidSessionId('Abc_123-xyz')).toBe(true);
    expect(isValidSessionId('../etc')).toBe(false);
    expect(isValidSessionId('')).toBe(false);
    expect(isValidSessionId(undefined)).toBe(false);
    expect(isValidSessionId('a'.repeat(128))).toBe(true);
    expect(isValidSessionId('a'.repeat(129))).toBe(false);
  });
});
