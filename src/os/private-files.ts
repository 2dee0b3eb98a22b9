// Files and directories only this user may touch. Everything under BUCKAROO_HOME holds tokens, keys, logs
// and paths of the files a person looked at: another local user must not plant or read any of it.

import fs from 'node:fs';

export class UnsafePathError extends Error {
  readonly code = 'E_UNSAFE_PATH';
}

/** No symlink followed; O_NONBLOCK so a planted FIFO cannot hang the open (a no-op for regular files). */
const READ_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0);

const ownUid = (): number | undefined => process.getuid?.();

/**
 * Creates `dir` (0700) if needed; refuses a symlink or a directory another user owns, and takes group/other
 * permissions away from one of ours (an earlier version, or a umask, may have left it open).
 */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  checkPrivateDir(dir);
}

/** ensurePrivateDir for a directory that exists (or just vanished: a finished temp dir is no one's problem). */
export function checkPrivateDir(dir: string): void {
  const st = fs.lstatSync(dir, { throwIfNoEntry: false });
  if (!st) return;
  if (st.isSymbolicLink() || !st.isDirectory()) {
    throw new UnsafePathError(`${dir} is ${st.isSymbolicLink() ? 'a symbolic link' : 'not a directory'}; buckaroo-table keeps its private files only in a real directory of yours. Remove it or set BUCKAROO_HOME.`);
  }
  const uid = ownUid();
  if (uid !== undefined && st.uid !== uid) {
    throw new UnsafePathError(`${dir} is owned by uid ${st.uid}, not by you (uid ${uid}); remove it or set BUCKAROO_HOME.`);
  }
  if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) fs.chmodSync(dir, 0o700);
}

/** Why `file` is not a regular file of ours (a symlink, a FIFO, another user's), or undefined. */
export function ownFileProblem(st: fs.Stats): string | undefined {
  if (st.isSymbolicLink()) return 'is a symbolic link';
  if (!st.isFile()) return 'is not a regular file';
  const uid = ownUid();
  if (uid !== undefined && st.uid !== uid) return `is owned by uid ${st.uid}, not by you (uid ${uid})`;
  return undefined;
}

/** ownFileProblem, and also readable or writable by others. */
export function privateFileProblem(st: fs.Stats): string | undefined {
  const problem = ownFileProblem(st);
  if (problem) return problem;
  if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) return `has mode ${(st.mode & 0o777).toString(8)}, not 600`;
  return undefined;
}

/** The text of a regular file of ours (any mode), without following a symlink; undefined otherwise. */
export function readOwnFileSync(file: string): string | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, READ_FLAGS);
  } catch {
    return undefined;
  }
  try {
    return ownFileProblem(fs.fstatSync(fd)) ? undefined : fs.readFileSync(fd, 'utf8');
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads a private file without following a symlink; throws UnsafePathError when it is not ours and 0600. */
export function assertOwnPrivateFile(file: string): Buffer {
  const fd = fs.openSync(file, READ_FLAGS);
  try {
    const problem = privateFileProblem(fs.fstatSync(fd));
    if (problem) throw new UnsafePathError(`${file} ${problem}; buckaroo-table will not use it. Remove it.`);
    return fs.readFileSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Like assertOwnPrivateFile, but "not there", "not ours" and "unreadable" are all just undefined. */
export async function readOwnPrivateFile(file: string): Promise<Buffer | undefined> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, READ_FLAGS);
  } catch {
    return undefined;
  }
  try {
    if (privateFileProblem(await handle.stat())) return undefined;
    return await handle.readFile();
  } catch {
    return undefined;
  } finally {
    await handle.close();
  }
}
