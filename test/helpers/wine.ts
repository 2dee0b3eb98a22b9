// Running the windows-x64 binary here: Debian's wine64 (scripts/ensure-wine.sh installs it) in a wine prefix of
// the tests' own under dist/, with two test-only programs built from test/fixtures/wine by mingw-w64: a stub
// bcryptprimitives.dll (wine 8.0 lacks it; Bun 1.4's runtime imports ProcessPrng from it) and stdin-relay.exe
// (Bun's stdin stream fails under wine when stdin is a Linux pipe; the relay hands it a Windows pipe, as a real
// Windows MCP client would). The prefix is made once (wineboot, ~20-60 s) and reused.

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { acquireSocketLock } from '../../src/lifecycle/lock.ts';
import { DIST, ROOT } from './binary.ts';

const run = promisify(execFile);

export const WINE = '/usr/lib/wine/wine64';
const WINESERVER = '/usr/lib/wine/wineserver64';
const MINGW_CC = 'x86_64-w64-mingw32-gcc';
const FIXTURES = path.join(ROOT, 'test/fixtures/wine');
/** One prefix for every test run: making it is wine's slowest step. */
export const WINE_PREFIX = path.join(DIST, '.wine-prefix');
const STUB_DLL = path.join(WINE_PREFIX, 'drive_c/windows/system32/bcryptprimitives.dll');
/** Runs a program with a Windows pipe as its stdin; see test/fixtures/wine/stdin-relay.c. */
export const STDIN_RELAY = path.join(WINE_PREFIX, 'drive_c/buckaroo-test/stdin-relay.exe');
/** wineboot on a busy 2-core machine; the stub compiles in ~1 s. */
const PREFIX_TIMEOUT_MS = 300_000;
const COMPILE_TIMEOUT_MS = 60_000;

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => fs.existsSync(path.join(dir, command)));
}

/** Why the Windows binary cannot run here, or undefined when it can. */
export function wineUnavailable(): string | undefined {
  if (process.platform !== 'linux' || process.arch !== 'x64') return `this machine is ${process.platform}-${process.arch}, not linux-x64`;
  if (!fs.existsSync(WINE)) return `${WINE} is missing: run scripts/ensure-wine.sh as root (make test does)`;
  if (!onPath(MINGW_CC)) return `${MINGW_CC} is missing (for the test-only bcryptprimitives.dll): apt-get install gcc-mingw-w64-x86-64-win32`;
  return undefined;
}

/** What wine needs to run in our prefix, quietly, without offering to install Mono or Gecko. */
export function wineEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { WINEPREFIX: WINE_PREFIX, WINEDEBUG: '-all', WINEDLLOVERRIDES: 'mscoree,mshtml=', ...extra };
}

/** `/tmp/x/y.csv` as the Windows program sees it: wine maps `/` to drive Z:. */
export const windowsPath = (unixPath: string): string => `Z:${unixPath.replaceAll('/', '\\')}`;

/** Makes the prefix and puts the stub DLL in its system32, once; later calls return at once. */
export async function ensureWinePrefix(): Promise<void> {
  const ready = (): boolean => fs.existsSync(STUB_DLL) && fs.existsSync(STDIN_RELAY);
  if (ready()) return;
  fs.mkdirSync(DIST, { recursive: true });
  const lock = await acquireSocketLock(path.join(DIST, '.test-wine.lock'), PREFIX_TIMEOUT_MS);
  try {
    if (ready()) return;
    if (!fs.existsSync(path.join(WINE_PREFIX, 'system.reg'))) {
      await run(WINE, ['wineboot', '--init'], { env: { ...process.env, ...wineEnv() }, timeout: PREFIX_TIMEOUT_MS });
    }
    const build = async (out: string, args: string[]): Promise<void> => {
      fs.mkdirSync(path.dirname(out), { recursive: true });
      await run(MINGW_CC, ['-O2', '-s', '-o', `${out}.${process.pid}.tmp`, ...args], { timeout: COMPILE_TIMEOUT_MS });
      fs.renameSync(`${out}.${process.pid}.tmp`, out);
    };
    await build(STUB_DLL, ['-shared', path.join(FIXTURES, 'bcryptprimitives.c'), '-lbcrypt']);
    await build(STDIN_RELAY, ['-municode', path.join(FIXTURES, 'stdin-relay.c')]);
  } finally {
    await lock.release();
  }
}

/** Stops the prefix's wineserver (it lingers ~3 s after the last program); only our prefix is touched. */
export async function stopWineServer(): Promise<void> {
  await run(WINESERVER, ['-k'], { env: { ...process.env, ...wineEnv() } }).catch(() => {});
}
