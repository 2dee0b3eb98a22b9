// The "old" buckaroo-table for upgrade tests: the same source built with BUCKAROO_VERSION=0.0.1 into
// <dist>/test-old/. Built once per source build (rebuilt when the binary under test is newer), serialised
// across test files and workers by the same kernel-released lock the product uses.

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { acquireSocketLock } from '../../src/lifecycle/lock.ts';
import { BINARY, DIST, ROOT } from './binary.ts';

const run = promisify(execFile);

export const OLD_VERSION = '0.0.1';
export const OLD_DIST = path.join(DIST, 'test-old');
export const OLD_BINARY = path.join(OLD_DIST, 'buckaroo-table');
/** A build takes ~6 s alone; on a busy 2-core machine give it room. */
const BUILD_TIMEOUT_MS = 180_000;

async function isFresh(): Promise<boolean> {
  try {
    if (fs.statSync(OLD_BINARY).mtimeMs < fs.statSync(BINARY).mtimeMs) return false;
    const { stdout } = await run(OLD_BINARY, ['--version']);
    return stdout.trim() === OLD_VERSION;
  } catch {
    return false;
  }
}

/** Returns the path of the old binary, building it first if needed. */
export async function ensureOldBinary(): Promise<string> {
  if (!fs.existsSync(BINARY)) throw new Error(`${BINARY} is missing: run make build (or BUCKAROO_DIST_DIR=… node build.ts) first`);
  if (await isFresh()) return OLD_BINARY;
  fs.mkdirSync(DIST, { recursive: true });
  const lock = await acquireSocketLock(path.join(DIST, '.test-old.lock'), BUILD_TIMEOUT_MS);
  try {
    if (await isFresh()) return OLD_BINARY;
    await run(process.execPath, [path.join(ROOT, 'build.ts')], {
      cwd: ROOT,
      env: { ...process.env, BUCKAROO_VERSION: OLD_VERSION, BUCKAROO_DIST_DIR: OLD_DIST },
      timeout: BUILD_TIMEOUT_MS,
      maxBuffer: 16 * 1024 * 1024,
    });
    return OLD_BINARY;
  } finally {
    await lock.release();
  }
}
