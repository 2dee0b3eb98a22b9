// A binary for another platform (linux-arm64 on an x64 machine), built with `node build.ts --target <name>` into
// <dist>/<name>/ and run through qemu (scripts/ensure-qemu-arm64.sh registers it with binfmt_misc). Built once
// per source build, serialised across test files by the same lock old-binary.ts uses.

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { acquireSocketLock } from '../../src/lifecycle/lock.ts';
import { BINARY, DIST, ROOT } from './binary.ts';

const run = promisify(execFile);

/** The first arm64 build compresses its DuckDB library (~1 min alone, cached after); the machine may be busy. */
const BUILD_TIMEOUT_MS = 600_000;
const BINFMT_ENTRY = '/proc/sys/fs/binfmt_misc/qemu-aarch64';
/** Where qemu finds the arm64 dynamic loader and libc/libstdc++ (Debian's *-arm64-cross packages). */
export const QEMU_LD_PREFIX = '/usr/aarch64-linux-gnu';

export const ARM64_DIST = path.join(DIST, 'linux-arm64');
export const ARM64_BINARY = path.join(ARM64_DIST, 'buckaroo-table');

/** Why arm64 binaries cannot run here, or undefined when they can. */
export function arm64Unavailable(): string | undefined {
  if (process.platform !== 'linux' || process.arch !== 'x64') return `this machine is ${process.platform}-${process.arch}, not linux-x64`;
  if (!fs.existsSync(BINFMT_ENTRY)) return `${BINFMT_ENTRY} is missing: run scripts/ensure-qemu-arm64.sh as root (make test does)`;
  if (!fs.existsSync(path.join(QEMU_LD_PREFIX, 'lib'))) return `${QEMU_LD_PREFIX} is missing: apt-get install libc6-arm64-cross libstdc++6-arm64-cross`;
  return undefined;
}

/** Returns the arm64 binary, building it first when it is missing or older than the x64 one. */
export async function ensureArm64Binary(): Promise<string> {
  const fresh = (): boolean => fs.existsSync(ARM64_BINARY) && fs.statSync(ARM64_BINARY).mtimeMs >= fs.statSync(BINARY).mtimeMs;
  if (fresh()) return ARM64_BINARY;
  const lock = await acquireSocketLock(path.join(DIST, '.test-arm64.lock'), BUILD_TIMEOUT_MS);
  try {
    if (fresh()) return ARM64_BINARY;
    await run(process.execPath, [path.join(ROOT, 'build.ts'), '--target', 'linux-arm64'], {
      cwd: ROOT,
      env: { ...process.env, BUCKAROO_DIST_DIR: ARM64_DIST },
      timeout: BUILD_TIMEOUT_MS,
      maxBuffer: 16 * 1024 * 1024,
    });
    return ARM64_BINARY;
  } finally {
    await lock.release();
  }
}
