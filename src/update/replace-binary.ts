// Swaps the running binary for a new one without a moment where the path is half-written: write a temp file
// next to it, chmod, run its `--version` (the old binary is not touched unless that prints the expected
// version), keep the old one as `<name>.old`, rename over, run `--version` again, and only then drop `.old`
// (or put it back if the new one does not start). Windows cannot overwrite or delete a running .exe but can
// rename it: there the old one is renamed away first (keepOldMove), and a `.old` still running stays.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { InstallMethod } from './install-method.ts';
import { BINARY_PIECE_BYTES, writeExecutableSync } from '../os/write-executable.ts';
import { UpdateError } from './errors.ts';
import { upgradeCommand } from './notice.ts';

/** The new binary must answer `--version` within this long (it does not load DuckDB for that). */
export const VERSION_CHECK_TIMEOUT_MS = 20_000;

/** Pure: why we must not replace the binary at `target`, or undefined when we may. */
export function replaceRefusal(target: string, method: InstallMethod, dirWritable: boolean): UpdateError | undefined {
  if (method === 'homebrew') {
    return new UpdateError(`${target} is managed by Homebrew; upgrade it with: ${upgradeCommand('homebrew')}`, 'E_HOMEBREW_MANAGED');
  }
  if (!dirWritable) {
    return new UpdateError(
      `Cannot replace ${target}: you cannot write to ${path.dirname(target)}. Run the upgrade as the user who installed it (e.g. sudo ${upgradeCommand('standalone')}), or reinstall into a directory you own with install.sh (default ~/.local/bin).`,
      'E_NOT_WRITABLE',
    );
  }
  return undefined;
}

export function isDirWritable(dir: string): boolean {
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

export function oldBinaryPath(target: string): string {
  return `${target}.old`;
}

/**
 * Pure: how the old binary is kept as `.old` before the new one is renamed in. POSIX: a hard link, so
 * `target` never goes missing. Windows: a rename, the one thing allowed on a running .exe (the upgrading process
 * itself, or a server, may run it); `target` is missing only until the next rename.
 */
export function keepOldMove(platform: NodeJS.Platform): 'link' | 'rename' {
  return platform === 'win32' ? 'rename' : 'link';
}

/** Removes a `.old` if nothing runs it any more (Windows refuses while it runs: it goes at the next upgrade). */
function dropOld(old: string): void {
  try {
    fs.rmSync(old, { force: true });
  } catch {
    /* a running .exe on Windows */
  }
}

/** Runs `file --version`; its trimmed output, or `<failed: …>`. */
function printedVersion(file: string): string {
  try {
    return execFileSync(file, ['--version'], { encoding: 'utf8', timeout: VERSION_CHECK_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (err) {
    return `<failed: ${(err as Error).message.split('\n')[0]}>`;
  }
}

const brokenBinary = (printed: string, expectedVersion: string, after: string): UpdateError =>
  new UpdateError(`The new binary did not start correctly (--version printed ${JSON.stringify(printed)}, expected ${expectedVersion}); ${after}.`, 'E_NEW_BINARY_BROKEN');

/**
 * Installs `data` at `target` once the new file, written beside it, has printed `expectedVersion`; then checks
 * again from its final path (a binary may look at where it runs from) and puts the old one back if it fails.
 */
export function replaceBinary(target: string, data: Buffer, expectedVersion: string, platform: NodeJS.Platform = process.platform): void {
  const dir = path.dirname(target);
  // Ends like the target (.exe on Windows), so the OS runs it for the check below.
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.new${path.extname(target)}`);
  const old = oldBinaryPath(target);
  try {
    writeExecutableSync(tmp, data, BINARY_PIECE_BYTES);
    fs.chmodSync(tmp, 0o755); // the umask may have narrowed the mode given above
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw new UpdateError(`Could not install the new binary at ${target}: ${(err as Error).message}`, 'E_REPLACE_FAILED');
  }
  const before = printedVersion(tmp);
  if (before !== expectedVersion) {
    fs.rmSync(tmp, { force: true });
    throw brokenBinary(before, expectedVersion, `${target} was not touched`);
  }
  try {
    dropOld(old);
    if (keepOldMove(platform) === 'rename') {
      fs.renameSync(target, old);
    } else {
      // A hard link keeps the old binary without ever leaving `target` missing; copy where links are refused.
      try {
        fs.linkSync(target, old);
      } catch {
        fs.copyFileSync(target, old);
      }
    }
    try {
      fs.renameSync(tmp, target);
    } catch (err) {
      if (keepOldMove(platform) === 'rename') fs.renameSync(old, target);
      throw err;
    }
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw new UpdateError(`Could not install the new binary at ${target}: ${(err as Error).message}`, 'E_REPLACE_FAILED');
  }
  const printed = printedVersion(target);
  if (printed !== expectedVersion) {
    fs.renameSync(old, target);
    throw brokenBinary(printed, expectedVersion, 'the previous binary has been put back');
  }
  dropOld(old);
}
