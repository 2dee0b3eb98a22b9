// Every directory under BUCKAROO_HOME is private: ours and 0700. A directory left open (by an older version, a
// umask, or another user who created it first) would let someone plant a token, a session entry or a log
// symlink; one of ours is closed, one of someone else's is refused.

import fs from 'node:fs';
import path from 'node:path';
import { checkPrivateDir, ensurePrivateDir, UnsafePathError } from './os/private-files.ts';
import { buckarooHome, duckdbTempDir, logsDir, runDir, sessionsDir, type Env } from './paths.ts';

/** Deep enough for every directory we make (cache/native/<hash>, tmp/duckdb); spill files are not walked. */
const MAX_DEPTH = 3;

/** Creates the standard directories and checks (fixes or refuses) every directory under BUCKAROO_HOME. */
export function ensureHomeDirs(env: Env = process.env): void {
  const home = buckarooHome(env);
  fs.mkdirSync(home, { recursive: true, mode: 0o700 });
  // BUCKAROO_HOME itself may be a symlink a person made (to another disk); what it points at must be private.
  ensurePrivateDir(fs.realpathSync(home));
  for (const dir of [logsDir(env), runDir(env), sessionsDir(env), path.dirname(duckdbTempDir(env)), duckdbTempDir(env)]) ensurePrivateDir(dir);
  walk(home, 0);
}

function walk(dir: string, depth: number): void {
  if (depth >= MAX_DEPTH) return;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // removed while we looked
    throw err;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) {
      const target = fs.statSync(full, { throwIfNoEntry: false });
      if (target?.isDirectory()) throw new UnsafePathError(`${full} is a symbolic link to a directory; buckaroo-table keeps its files only in real directories of yours. Remove it.`);
      continue;
    }
    if (!entry.isDirectory()) continue;
    // Not created again if another process just removed it (an unpack's temp directory, say).
    checkPrivateDir(full);
    walk(full, depth + 1);
  }
}
