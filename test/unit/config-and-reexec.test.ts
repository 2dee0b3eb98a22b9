import { describe, expect, it } from 'vitest';
import { resolvePort } from '../../src/config.ts';
import { DEFAULT_PORT } from '../../src/version.ts';
import { selfCommand } from '../../src/lifecycle/reexec.ts';

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

describe('selfCommand', () => {
  it('re-executes the compiled binary directly', () => {
    const c = selfCommand(['server', '--port', '0'], { NODE_OPTIONS: '--inspect', HOME: '/h' }, true, '/opt/bt', '/opt/bt');
    expect([c.command, ...c.args]).toEqual(['/opt/bt', 'server', '--port', '0']);
    expect(c.env.NODE_OPTIONS).toBeUndefined();
    expect(c.env.HOME).toBe('/h');
  });
  it('re-executes node with the bundle otherwise', () => {
    const c = selfCommand(['server'], {}, false, '/usr/bin/node', '/x/dist/buckaroo-table.cjs');
    expect([c.command, ...c.args]).toEqual(['/usr/bin/node', '/x/dist/buckaroo-table.cjs', 'server']);
  });
});
