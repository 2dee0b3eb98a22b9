import { describe, expect, it } from 'vitest';
import { checkHost, checkOrigin } from '../../src/server/guards.ts';
import { tokensEqual } from '../../src/contract/state-file.ts';

describe('guards', () => {
  it('accepts loopback hosts on our port only', () => {
    expect(() => checkHost('127.0.0.1:9000', 9000)).not.toThrow();
    expect(() => checkHost('LOCALHOST:9000', 9000)).not.toThrow();
    expect(() => checkHost('[::1]:9000', 9000)).not.toThrow();
    expect(() => checkHost('127.0.0.1:9001', 9000)).toThrow(/not this server/);
    expect(() => checkHost('attacker.example:9000', 9000)).toThrow();
    expect(() => checkHost(undefined, 9000)).toThrow();
  });

  it('refuses cross-site POSTs but not GETs or clients without Origin', () => {
    expect(() => checkOrigin('POST', 'http://evil.example', 9000)).toThrow(/may not call/);
    expect(() => checkOrigin('POST', 'null', 9000)).toThrow();
    expect(() => checkOrigin('POST', 'http://127.0.0.1:9000', 9000)).not.toThrow();
    expect(() => checkOrigin('POST', undefined, 9000)).not.toThrow();
    expect(() => checkOrigin('GET', 'http://evil.example', 9000)).not.toThrow();
  });

  it('compares tokens exactly', () => {
    expect(tokensEqual('abc', 'abc')).toBe(true);
    expect(tokensEqual('abc', 'abd')).toBe(false);
    expect(tokensEqual('abc', 'abcd')).toBe(false);
  });
});
