// Checks before DuckDB's native code is loaded (issue 14): another user who can write anywhere on the path
// to the unpacked files, or plant files there, would otherwise run code inside our server. The directory chain
// must be ours (or root's) and not writable by others, and every file must match the SHA-256 build.ts embedded.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { windowsDirVerdict } from '../os/windows-acl.ts';

/** Group- or other-writable permission bits. */
const WRITABLE_BY_OTHERS = 0o022;
/** A root-owned sticky directory (/tmp) lets nobody rename or delete what others put in it. */
const STICKY = 0o1000;
const ROOT_UID = 0;
/** Read size while hashing: no 70 MB buffer at once. */
const HASH_CHUNK_BYTES = 1024 * 1024;

export class NativeVerifyError extends Error {
  readonly code = 'E_DUCKDB_NATIVE_UNTRUSTED';
}

/** Why `dir` and its ancestors are not a safe place for native code, or undefined when they are. */
export function unsafeChainReason(dir: string, uid = process.getuid?.()): string | undefined {
  if (uid === undefined) return windowsReason(dir);
  let current: string;
  try {
    current = fs.realpathSync(dir);
  } catch (err) {
    return `${dir} cannot be resolved: ${(err as Error).message}`;
  }
  for (;;) {
    const st = fs.statSync(current);
    if (!st.isDirectory()) return `${current} is not a directory`;
    if (st.uid !== uid && st.uid !== ROOT_UID) return `${current} belongs to another user (uid ${st.uid})`;
    const writable = (st.mode & WRITABLE_BY_OTHERS) !== 0;
    if (writable && !(st.uid === ROOT_UID && (st.mode & STICKY) !== 0)) {
      return `${current} is writable by group or others (mode ${(st.mode & 0o7777).toString(8)})`;
    }
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/**
 * Windows has no POSIX owners: the directory's ACL (and its parent's) says who else may change it. When the
 * OS tools give no answer (wine's icacls is a stub) nothing is known either way: the files are still hashed
 * before loading, and the default place is inside the user's profile, which Windows keeps private.
 */
function windowsReason(dir: string): string | undefined {
  if (process.platform !== 'win32') return undefined;
  const verdict = windowsDirVerdict(dir);
  return verdict.kind === 'unsafe' ? verdict.reason : undefined;
}

/** What a file must be before we hash it: a regular file of ours that nobody else can change. */
function unsafeFileReason(file: string, uid = process.getuid?.()): string | undefined {
  const st = fs.lstatSync(file);
  if (!st.isFile()) return `${file} is not a regular file`;
  if (uid !== undefined && st.uid !== uid) return `${file} belongs to another user (uid ${st.uid})`;
  if (uid !== undefined && (st.mode & WRITABLE_BY_OTHERS) !== 0) return `${file} is writable by group or others`;
  return undefined;
}

export type ExpectedHashes = Readonly<Record<string, string>>;

function mismatch(dir: string, file: string, actual: string, expected: string | undefined): NativeVerifyError {
  return new NativeVerifyError(`${path.join(dir, file)} does not match the build (SHA-256 ${actual.slice(0, 16)}…, expected ${expected?.slice(0, 16) ?? 'none'}…): refusing to load it.`);
}

/** The directory chain and each file: the stat-only half of the check (the hashing is the other). */
export function checkNativePlace(dir: string, files: ExpectedHashes): void {
  const chain = unsafeChainReason(dir);
  if (chain) throw new NativeVerifyError(`Not loading DuckDB from ${dir}: ${chain}.`);
  for (const file of Object.keys(files)) {
    const reason = unsafeFileReason(path.join(dir, file));
    if (reason) throw new NativeVerifyError(`Not loading DuckDB: ${reason}.`);
  }
}

/** Synchronous check, for the loader on the event loop when nobody checked this directory before. */
export function verifyNativeDirSync(dir: string, expected: ExpectedHashes): void {
  checkNativePlace(dir, expected);
  for (const [file, want] of Object.entries(expected)) {
    const hash = crypto.createHash('sha256');
    const fd = fs.openSync(path.join(dir, file), 'r');
    try {
      const buf = Buffer.allocUnsafe(HASH_CHUNK_BYTES);
      for (let n; (n = fs.readSync(fd, buf, 0, buf.length, null)) > 0; ) hash.update(buf.subarray(0, n));
    } finally {
      fs.closeSync(fd);
    }
    const got = hash.digest('hex');
    if (got !== want) throw mismatch(dir, file, got, want);
  }
}
