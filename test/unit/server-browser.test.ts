// server/browser.ts: the OS command that opens a tab.

import { describe, expect, it } from 'vitest';
import { openerCommand } from '../../src/server/browser.ts';

describe('the OS opener', () => {
  it('uses open on macos xdg open on linux and start on windows', () => {
    expect(openerCommand('darwin', 'http://127.0.0.1:1/s/x')).toEqual({ command: 'open', args: ['http://127.0.0.1:1/s/x'] });
    expect(openerCommand('linux', 'http://127.0.0.1:1/s/x')).toEqual({ command: 'xdg-open', args: ['http://127.0.0.1:1/s/x'] });
    expect(openerCommand('freebsd', 'u')).toEqual({ command: 'xdg-open', args: ['u'] });
    expect(openerCommand('win32', 'http://127.0.0.1:1/s/x')).toEqual({ command: 'cmd', args: ['/d', '/s', '/c', 'start', '""', '"http://127.0.0.1:1/s/x"'] });
  });
});
