import { describe, expect, it } from 'vitest';
import { selfCommand } from '../../../src/lifecycle/reexec.ts';

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
