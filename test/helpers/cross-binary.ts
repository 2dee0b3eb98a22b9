// A binary for another platform (linux-arm64, darwin-*, windows-x64 on an x64 Linux machine), built with
// `node build.ts --target <name>` into <dist>/<name>/; linux-arm64 runs through qemu (scripts/ensure-qemu-arm64.sh
// registers it with binfmt_misc), windows-x64 under wine (test/helpers/wine.ts). Built once per source build,
// serialised across test files by one lock.

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


/** Why arm64 binaries cannot run here, or undefined when they can. */
export function arm64Unavailable(): string | undefined {
  if (process.platform !== 'linux' || process.arch !== 'x64') return `this machine is ${process.platform}-${process.arch}, not linux-x64`;
  if (!fs.existsSync(BINFMT_ENTRY)) return `${BINFMT_ENTRY} is missing: run scripts/ensure-qemu-arm64.sh as root (make test does)`;
  if (!fs.existsSync(path.join(QEMU_LD_PREFIX, 'lib'))) return `${QEMU_LD_PREFIX} is missing: apt-get install libc6-arm64-cross libstdc++6-arm64-cross`;
  return undefined;
}

/** Where `node build.ts --target <name>` puts the binary for another platform. */
export const crossBinaryPath = (target: string): string => path.join(DIST, target, target.startsWith('windows-') ? 'buckaroo-table.exe' : 'buckaroo-table');

/**
 * Returns the binary for `target` (a scripts/target-packages.ts name), building it first when it is missing or
 * older than this machine's build. Builds only what a test asks for: each target is ~1 min, the first of each
 * also compresses its DuckDB library (cached in dist/.cache after).
 */
export async function ensureCrossBinary(target: string): Promise<string> {
  const binary = crossBinaryPath(target);
  const fresh = (): boolean => fs.existsSync(binary) && fs.statSync(binary).mtimeMs >= fs.statSync(BINARY).mtimeMs;
  if (fresh()) return binary;
  const lock = await acquireSocketLock(path.join(DIST, '.test-cross-build.lock'), BUILD_TIMEOUT_MS);
  try {
    if (fresh()) return binary;
    await run(process.execPath, [path.join(ROOT, 'build.ts'), '--target', target], {
      cwd: ROOT,
      env: { ...process.env, BUCKAROO_DIST_DIR: path.join(DIST, target) },
      timeout: BUILD_TIMEOUT_MS,
      maxBuffer: 16 * 1024 * 1024,
    });
    return binary;
  } finally {
    await lock.release();
  }
}

/** Returns the arm64 binary, building it first when it is missing or older than the x64 one. */
export const ensureArm64Binary = (): Promise<string> => ensureCrossBinary('linux-arm64');
