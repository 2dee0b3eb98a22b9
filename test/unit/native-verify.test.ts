import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NativeVerifyError, unsafeChainReason, verifyNativeDirSync } from '../../src/engine/native-verify.ts';

const made: string[] = [];
afterEach(() => {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function privateDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'bt-verify-'));
  made.push(d);
  return d;
}

const sha = (s: string): string => crypto.createHash('sha256').update(s).digest('hex');

describe.runIf(process.platform !== 'win32')('where DuckDB may be loaded from', () => {
  it('accepts a private directory under the sticky tmp', () => {
    expect(unsafeChainReason(privateDir())).toBeUndefined();
  });

  it('refuses a directory anyone can write to', () => {
    const d = privateDir();
    const loose = path.join(d, 'cache');
    fs.mkdirSync(loose);
    fs.chmodSync(loose, 0o777);
    expect(unsafeChainReason(path.join(loose))).toMatch(/writable by group or others/);
    fs.mkdirSync(path.join(loose, 'native'), { mode: 0o700 });
    expect(unsafeChainReason(path.join(loose, 'native'))).toMatch(/cache is writable/);
  });

  // Giving a directory away needs root (CI runs as root); elsewhere the check is the same code as above.
  it.runIf(process.getuid?.() === 0)('refuses_a_directory_of_another_user', () => {
    const d = privateDir();
    fs.chownSync(d, 12345, 12345);
    expect(unsafeChainReason(d)).toMatch(/belongs to another user \(uid 12345\)/);
  });

  it('loads only files whose sha256 matches the build', () => {
    const d = privateDir();
    fs.writeFileSync(path.join(d, 'duckdb.node'), 'addon');
    expect(() => verifyNativeDirSync(d, { 'duckdb.node': sha('addon') })).not.toThrow();
    fs.appendFileSync(path.join(d, 'duckdb.node'), 'planted');
    expect(() => verifyNativeDirSync(d, { 'duckdb.node': sha('addon') })).toThrow(NativeVerifyError);
  });

  it('refuses a symlink in place of a native file', () => {
    const d = privateDir();
    fs.writeFileSync(path.join(d, 'real'), 'addon');
    fs.symlinkSync(path.join(d, 'real'), path.join(d, 'duckdb.node'));
    expect(() => verifyNativeDirSync(d, { 'duckdb.node': sha('addon') })).toThrow(/not a regular file/);
  });

  it('refuses a native file others can write', () => {
    const d = privateDir();
    fs.writeFileSync(path.join(d, 'duckdb.node'), 'addon');
    fs.chmodSync(path.join(d, 'duckdb.node'), 0o666);
    expect(() => verifyNativeDirSync(d, { 'duckdb.node': sha('addon') })).toThrow(/writable by group or others/);
  });
});
