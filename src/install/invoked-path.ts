// The binary path install-mcp registers: the one the person ran. `~/.local/bin/buckaroo-table` is often a link
// into a versioned folder; registering the link's target would break the config at the next upgrade, so links
// are kept as typed and only a bare name (found on PATH) or a relative path is made absolute.

import fs from 'node:fs';
import path from 'node:path';
import { stableBinaryPath } from '../update/install-method.ts';

export interface InvokedPathFacts {
  /** argv[0] as the shell passed it (`process.argv0`): a bare name, a relative or an absolute path. */
  argv0: string;
  /** The running executable as the OS reports it (already link-resolved on Linux). */
  execPath: string;
  cwd: string;
  pathEnv: string | undefined;
  realpath(p: string): string | undefined;
  isExecutable(p: string): boolean;
}

/**
 * `argv0` made absolute (links not resolved) when it names this very executable; otherwise the executable's
 * own path, through Homebrew's stable bin link when it lives in a Cellar.
 */
export function invokedBinaryPath(f: InvokedPathFacts): string {
  const real = f.realpath(f.execPath) ?? f.execPath;
  const invoked = locate(f);
  if (invoked !== undefined && f.realpath(invoked) === real) return stableBinaryPath(invoked);
  return stableBinaryPath(real);
}

function locate(f: InvokedPathFacts): string | undefined {
  if (f.argv0 === '') return undefined;
  if (f.argv0.includes('/') || f.argv0.includes(path.sep)) return path.resolve(f.cwd, f.argv0);
  for (const dir of (f.pathEnv ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.resolve(f.cwd, dir, f.argv0);
    if (f.isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** The facts of this process. */
export function currentInvocation(env: Record<string, string | undefined> = process.env): InvokedPathFacts {
  return {
    argv0: process.argv0,
    execPath: process.execPath,
    cwd: process.cwd(),
    pathEnv: env.PATH,
    realpath: (p) => {
      try {
        return fs.realpathSync(p);
      } catch {
        return undefined;
      }
    },
    isExecutable: (p) => {
      try {
        fs.accessSync(p, fs.constants.X_OK);
        return fs.statSync(p).isFile();
      } catch {
        return false;
      }
    },
  };
}
