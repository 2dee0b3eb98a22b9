// The start lock on Windows, where a UNIX socket cannot be hard-linked: a named pipe whose name is derived from
// the lock's path. Windows refuses a second first instance of a pipe name (libuv asks for
// FILE_FLAG_FIRST_PIPE_INSTANCE) and frees the name when the holder dies, so the kernel releases it as on POSIX.

import crypto from 'node:crypto';
import net from 'node:net';
import { EnsureServerError } from './errors.ts';

/** How often a waiter tries the name again: a pipe has no "closed" event to wait on from outside. */
const PIPE_RETRY_MS = 50;
/** Enough of the path's hash that two homes never share a name. */
const PIPE_HASH_CHARS = 24;

/** Pure: `\\.\pipe\buckaroo-table-<hash>`, the same for every process that names the same lock file. */
export function pipeLockName(lockPath: string): string {
  const key = lockPath.toLowerCase().replaceAll('/', '\\'); // NTFS paths are case-insensitive
  return `\\\\.\\pipe\\buckaroo-table-${crypto.createHash('sha256').update(key).digest('hex').slice(0, PIPE_HASH_CHARS)}`;
}

function tryListen(name: string): Promise<net.Server | undefined> {
  return new Promise((resolve, reject) => {
    const server = net.createServer((sock) => sock.destroy());
    server.once('error', (err: NodeJS.ErrnoException) => (err.code === 'EADDRINUSE' || err.code === 'EACCES' ? resolve(undefined) : reject(err)));
    server.listen(name, () => resolve(server));
  });
}

export async function acquirePipeLock(lockPath: string, timeoutMs: number): Promise<{ path: string; release(): Promise<void> }> {
  const name = pipeLockName(lockPath);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const server = await tryListen(name);
    if (server) {
      server.unref(); // the lock must never keep a CLI process alive
      return { path: name, release: () => new Promise<void>((r) => server.close(() => r())) };
    }
    if (Date.now() >= deadline) {
      throw new EnsureServerError(`Another buckaroo-table process has been starting the data server for over ${timeoutMs} ms (lock ${name}).`, 'E_LOCK_TIMEOUT');
    }
    await new Promise((r) => setTimeout(r, PIPE_RETRY_MS));
  }
}
