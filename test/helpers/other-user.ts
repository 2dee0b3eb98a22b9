// Another local user for the security tests: uid/gid 65534 (nobody) through util-linux's setpriv, which
// needs root. Tests that need it skip, saying why, where it is not available.

import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const NOBODY = 65534;
export const NOBODY_SKIP_REASON = 'needs root and setpriv to act as a second user (uid 65534)';
const AS_NOBODY_TIMEOUT_MS = 15_000;

export function canRunAsNobody(): boolean {
  return process.getuid?.() === 0 && fs.existsSync('/usr/bin/setpriv');
}

/** Runs `command args` as uid/gid 65534 with no supplementary groups. */
export function asNobody(command: string, args: string[]): SpawnSyncReturns<string> {
  return spawnSync('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', command, ...args], {
    encoding: 'utf8',
    timeout: AS_NOBODY_TIMEOUT_MS,
    env: { PATH: '/usr/bin:/bin' },
  });
}

/** Lets uid 65534 traverse `dir` and every directory above it (temp dirs are made 0700). */
export function openToNobody(dir: string): void {
  for (let d = dir; d !== path.dirname(d); d = path.dirname(d)) {
    const st = fs.statSync(d);
    if ((st.mode & 0o001) === 0) fs.chmodSync(d, (st.mode & 0o7777) | 0o011);
  }
}
