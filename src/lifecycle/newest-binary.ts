// The newest buckaroo-table binary that has started a server in this BUCKAROO_HOME (run/newest-binary.json).
// An older tool about to start a server starts that binary instead of itself, so a crash never hands the port
// back to an older version (0.0.2 → crash → 0.0.1 → 0.0.2 …) while a newer one is installed.

import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';
import { readJsonFile, writeJsonFileAtomic } from '../contract/json-file.ts';
import type { StateFile } from '../contract/state-file.ts';
import { runDir, type Env } from '../paths.ts';
import { compareVersions } from './decide.ts';

/** `<binary> --version` loads no DuckDB and answers in ~50 ms; a binary that takes longer is not used. */
const NEWEST_VERSION_CHECK_TIMEOUT_MS = 5_000;

const NewestBinarySchema = z.object({ version: z.string(), exe: z.string() });
type NewestBinary = z.infer<typeof NewestBinarySchema>;

const recordPath = (env: Env): string => path.join(runDir(env), 'newest-binary.json');
/** Only compiled binaries are recorded: a bundle needs the node that ran it, which the record does not say. */
const isScript = (exe: string): boolean => /\.(c?js|mjs|ts)$/.test(exe);

/** Pure: should `started` replace the record? Only a newer (or the first) compiled binary does. */
export function supersedes(started: NewestBinary, recorded: NewestBinary | undefined): boolean {
  if (isScript(started.exe)) return false;
  return !recorded || compareVersions(started.version, recorded.version) === 'newer';
}

export function recordStartedBinary(state: Pick<StateFile, 'version' | 'exe'>, env: Env): void {
  const started = { version: state.version, exe: state.exe };
  if (supersedes(started, readJsonFile(recordPath(env), NewestBinarySchema))) writeJsonFileAtomic(recordPath(env), started);
}

/**
 * The recorded binary when it is newer than `ourVersion` and still prints that version (an uninstalled or
 * downgraded file is ignored); undefined otherwise, and then we start ourselves.
 */
export async function newerInstalledBinary(ourVersion: string, env: Env): Promise<string | undefined> {
  const recorded = readJsonFile(recordPath(env), NewestBinarySchema);
  if (!recorded || isScript(recorded.exe) || compareVersions(recorded.version, ourVersion) !== 'newer') return undefined;
  try {
    const { stdout } = await promisify(execFile)(recorded.exe, ['--version'], { timeout: NEWEST_VERSION_CHECK_TIMEOUT_MS, env: { PATH: env.PATH ?? '/usr/bin:/bin' } });
    return stdout.trim() === recorded.version ? recorded.exe : undefined;
  } catch {
    return undefined;
  }
}
