import { describe, expect, it } from 'vitest';
import { parseDurationMs, resolvePort } from '../../src/config.ts';
import { DEFAULT_PORT } from '../../src/version.ts';

describe('resolvePort', () => {
  it('prefers the flag, then BUCKAROO_PORT, then the default port', () => {
    expect(resolvePort('9001', { BUCKAROO_PORT: '9002' })).toEqual({ port: 9001, explicit: true });
    expect(resolvePort(undefined, { BUCKAROO_PORT: '9002' })).toEqual({ port: 9002, explicit: true });
    expect(resolvePort(undefined, {})).toEqual({ port: DEFAULT_PORT, explicit: false });
    expect(DEFAULT_PORT).toBe(Number('87' + '00')); // Python Buckaroo's port, shared on purpose
    expect(resolvePort('0', {})).toEqual({ port: 0, explicit: true });
  });
  it('rejects garbage with a sentence', () => {
    expect(() => resolvePort('http', {})).toThrow(/--port must be a port number/);
    expect(() => resolvePort(undefined, { BUCKAROO_PORT: '70000' })).toThrow(/BUCKAROO_PORT/);
  });
});

describe('parseDurationMs', () => {
  it('reads bare numbers in the given unit and explicit units', () => {
    expect(parseDurationMs('1500', 'X')).toBe(1500);
    expect(parseDurationMs('3s', 'X')).toBe(3000);
    expect(parseDurationMs('250ms', 'X')).toBe(250);
    expect(parseDurationMs('2m', 'X')).toBe(120_000);
    expect(parseDurationMs('1.5', 'X', 's')).toBe(1500);
  });
  it('refuses nonsense, naming the source', () => {
    expect(() => parseDurationMs('soon', 'BUCKAROO_SHUTDOWN_TIMEOUT')).toThrow(/BUCKAROO_SHUTDOWN_TIMEOUT/);
    expect(() => parseDurationMs('-1', 'X')).toThrow();
  });
});
