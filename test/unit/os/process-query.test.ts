// What macOS and Windows answer about a process or a port, read by the pure parsers. The macOS line has the
// format of `ps -ww -o uid=,lstart=,command=` (BSD and procps print lstart alike; the Linux one below was
// recorded here); the Windows answers follow the documented formats of PowerShell's ConvertTo-Json and
// `netstat -ano` (no Windows machine here to record them on).

import { describe, expect, it } from 'vitest';
import { killCommand, parseMacPs, parseNetstatListeners, parseWindowsProcess, windowsProcessCommand } from '../../../src/os/process-query.ts';

describe('parseMacPs', () => {
  it('reads uid, start time and the whole command line', () => {
    expect(parseMacPs('  501 Sun Nov  9 08:07:06 2026     /Users/ann/.local/bin/buckaroo-table server --port 9870\n')).toEqual({
      uid: 501,
      startTime: 'Sun Nov 9 08:07:06 2026',
      commandLine: '/Users/ann/.local/bin/buckaroo-table server --port 9870',
    });
    // Recorded on this Linux machine (procps): same layout.
    expect(parseMacPs('    0 Sun Nov 29 14:54:06 2026 bash /dev/fd/3\n')).toEqual({ uid: 0, startTime: 'Sun Nov 29 14:54:06 2026', commandLine: 'bash /dev/fd/3' });
  });
  it('handles a gone pid: ps printed nothing', () => {
    expect(parseMacPs('')).toBeUndefined();
    expect(parseMacPs('garbage')).toBeUndefined();
  });
});

describe('parseWindowsProcess', () => {
  const me = 'S-1-5-21-1004336348-1177238915-682003330-1001';
  const line = JSON.stringify({
    created: '2026-11-29T15:13:55.1234560Z',
    exe: 'C:\\Users\\Ann\\AppData\\Local\\Programs\\buckaroo-table\\buckaroo-table.exe',
    cmd: '"C:\\Users\\Ann\\AppData\\Local\\Programs\\buckaroo-table\\buckaroo-table.exe" server --port 9870',
    sid: me,
    me,
  });
  it('reads creation time, image path, command line and both SIDs', () => {
    expect(parseWindowsProcess(`${line}\r\n`)).toEqual({
      startTime: '2026-11-29T15:13:55.1234560Z',
      exe: 'C:\\Users\\Ann\\AppData\\Local\\Programs\\buckaroo-table\\buckaroo-table.exe',
      commandLine: '"C:\\Users\\Ann\\AppData\\Local\\Programs\\buckaroo-table\\buckaroo-table.exe" server --port 9870',
      ownerSid: me,
      selfSid: me,
    });
  });
  it("handles another user's process: no command line and no owner are shown, and stay empty", () => {
    const r = parseWindowsProcess(JSON.stringify({ created: '2026-11-29T15:13:55Z', exe: null, cmd: null, sid: null, me }));
    expect(r).toEqual({ startTime: '2026-11-29T15:13:55Z', commandLine: '', exe: undefined, ownerSid: undefined, selfSid: me });
  });
  it('handles a gone pid and output that is not ours', () => {
    expect(parseWindowsProcess('')).toBeUndefined();
    expect(parseWindowsProcess('Get-CimInstance : Access denied')).toBeUndefined();
  });
  it('asks PowerShell about exactly one integer pid', () => {
    const { command, args } = windowsProcessCommand(4242);
    expect(command).toBe('powershell.exe');
    expect(args.slice(0, 3)).toEqual(['-NoProfile', '-NonInteractive', '-Command']);
    expect(args[3]).toContain("-Filter 'ProcessId=4242'");
  });
});

describe('parseNetstatListeners', () => {
  const out = [
    '',
    'Active Connections',
    '',
    '  Proto  Local Address          Foreign Address        State           PID',
    '  TCP    0.0.0.0:135            0.0.0.0:0              LISTENING       1044',
    '  TCP    127.0.0.1:9870         0.0.0.0:0              LISTENING       4242',
    '  TCP    127.0.0.1:9870         127.0.0.1:51234        ESTABLISHED     4242',
    '  TCP    127.0.0.1:51234        127.0.0.1:9870         ESTABLISHED     777',
    '  TCP    127.0.0.1:19870        0.0.0.0:0              LISTENING       555',
    '  TCP    [::1]:9870             [::]:0                 ABHÖREN         4242',
    '',
  ].join('\r\n');
  it('finds the pid listening on the port, not clients connected to it nor a longer port number', () => {
    expect(parseNetstatListeners(out, 9870)).toEqual([4242]);
    expect(parseNetstatListeners(out, 19870)).toEqual([555]);
    expect(parseNetstatListeners(out, 9871)).toEqual([]);
  });
});

describe('killCommand', () => {
  it('signals on POSIX and runs taskkill on Windows, /F only when forced', () => {
    expect(killCommand('linux', 42, false)).toBe('SIGTERM');
    expect(killCommand('darwin', 42, true)).toBe('SIGKILL');
    expect(killCommand('win32', 42, false)).toEqual({ command: 'taskkill', args: ['/PID', '42'] });
    expect(killCommand('win32', 42, true)).toEqual({ command: 'taskkill', args: ['/F', '/PID', '42'] });
  });
});
