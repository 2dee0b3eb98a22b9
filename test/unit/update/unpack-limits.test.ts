// update/unpack-limits.ts and update-url.ts: what an upgrade may fetch and install.

import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { executableProblem } from '../../../src/update/unpack-limits.ts';
import { updateUrlProblem } from '../../../src/update/update-url.ts';

const elf = (machine: number): Buffer => {
  const b = Buffer.alloc(64);
  b.writeUInt32BE(0x7f454c46, 0);
  b[4] = 2;
  b[5] = 1;
  b.writeUInt16LE(machine, 18);
  return b;
};

describe('the new executable', () => {
  it('accepts this machines own binary and refuses scripts and other cpus', () => {
    if (process.platform === 'linux') expect(executableProblem(fs.readFileSync(process.execPath), 'linux', process.arch)).toBeUndefined();
    expect(executableProblem(elf(0x3e), 'linux', 'x64')).toBeUndefined();
    expect(executableProblem(elf(0xb7), 'linux', 'x64')).toMatch(/machine 0xb7, not x64/);
    expect(executableProblem(Buffer.from(`#!/bin/sh\necho 9.9.9\n${' '.repeat(64)}`), 'linux', 'x64')).toBe('it is not an ELF executable');
    expect(executableProblem(elf(0x3e), 'darwin', 'arm64')).toBe('it is not a 64-bit Mach-O executable');
    expect(executableProblem(Buffer.from('MZ'.padEnd(64, '\0')), 'win32', 'x64')).toBeUndefined();
  });
});

describe('update URLs', () => {
  it('allows https and loopback http only under the test setting', () => {
    expect(updateUrlProblem('https://github.com/x/releases/latest', {})).toBeUndefined();
    expect(updateUrlProblem('http://mirror.example/releases/latest', { BUCKAROO_UPDATE_ALLOW_LOOPBACK: '1' })).toMatch(/not https/);
    expect(updateUrlProblem('http://127.0.0.1:9/releases/latest', {})).toMatch(/BUCKAROO_UPDATE_ALLOW_LOOPBACK=1/);
    expect(updateUrlProblem('http://127.0.0.1:9/releases/latest', { BUCKAROO_UPDATE_ALLOW_LOOPBACK: '1' })).toBeUndefined();
    expect(updateUrlProblem('file:///etc/passwd', {})).toMatch(/not https/);
  });
});
