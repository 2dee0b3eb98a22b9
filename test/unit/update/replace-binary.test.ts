// The atomic swap of the running binary, with small shell scripts standing in for binaries.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { keepOldMove, replaceBinary } from '../../../src/update/replace-binary.ts';
import { tempHome } from '../../helpers/binary.ts';

const script = (version: string, exit = 0): Buffer => Buffer.from(`#!/bin/sh\necho ${version}\nexit ${exit}\n`);

function installed(version: string): string {
  const dir = tempHome('bt-replace-');
  const target = path.join(dir, 'buckaroo-table');
  fs.writeFileSync(target, script(version), { mode: 0o755 });
  return target;
}

describe('replaceBinary', () => {
  it('replaces the binary, leaves it executable and removes the .old copy once the new one runs', () => {
    const target = installed('0.0.1');
    replaceBinary(target, script('0.0.2'), '0.0.2');
    expect(execFileSync(target, { encoding: 'utf8' }).trim()).toBe('0.0.2');
    expect(fs.statSync(target).mode & 0o777).toBe(0o755);
    expect(fs.readdirSync(path.dirname(target))).toEqual(['buckaroo-table']);
  });

  it('refuses a new binary that does not start before touching the old one', () => {
    const target = installed('0.0.1');
    const inode = fs.statSync(target).ino;
    expect(() => replaceBinary(target, script('0.0.2', 1), '0.0.2')).toThrow(/did not start correctly.*was not touched/);
    expect(execFileSync(target, { encoding: 'utf8' }).trim()).toBe('0.0.1');
    expect(fs.statSync(target).ino).toBe(inode);
    expect(fs.readdirSync(path.dirname(target))).toEqual(['buckaroo-table']);
  });

  it('refuses a new binary that reports another version', () => {
    const target = installed('0.0.1');
    expect(() => replaceBinary(target, script('0.0.3'), '0.0.2')).toThrow(/printed "0.0.3", expected 0.0.2/);
    expect(execFileSync(target, { encoding: 'utf8' }).trim()).toBe('0.0.1');
  });

  it('puts the old binary back when the new one fails only from its final path', () => {
    const target = installed('0.0.1');
    const picky = Buffer.from('#!/bin/sh\ncase "$0" in *.new) echo 0.0.2 ;; *) exit 1 ;; esac\n');
    expect(() => replaceBinary(target, picky, '0.0.2')).toThrow(/did not start correctly.*put back/);
    expect(execFileSync(target, { encoding: 'utf8' }).trim()).toBe('0.0.1');
    expect(fs.readdirSync(path.dirname(target))).toEqual(['buckaroo-table']);
  });
});

describe('replaceBinary on Windows (a running .exe can be renamed, not overwritten)', () => {
  it('renames the old binary away before the new one moves in', () => {
    expect(keepOldMove('win32')).toBe('rename');
    expect(keepOldMove('linux')).toBe('link');
    expect(keepOldMove('darwin')).toBe('link');
  });
  it('replaces and cleans up through the rename path, and puts the old one back when the new one fails', () => {
    const target = installed('0.0.1');
    replaceBinary(target, script('0.0.2'), '0.0.2', 'win32');
    expect(execFileSync(target, { encoding: 'utf8' }).trim()).toBe('0.0.2');
    expect(fs.readdirSync(path.dirname(target))).toEqual(['buckaroo-table']);
    // Fails only from its final path (a broken one is refused before anything moves): the rename is undone.
    const picky = Buffer.from('#!/bin/sh\ncase "$0" in *.new*) echo 0.0.3 ;; *) exit 1 ;; esac\n');
    expect(() => replaceBinary(target, picky, '0.0.3', 'win32')).toThrow(/put back/);
    expect(execFileSync(target, { encoding: 'utf8' }).trim()).toBe('0.0.2');
  });
});
