// The start lock: one process at a time may start or replace a server. The holder listens on a UNIX socket
// under ~/.buckaroo/run/ and hard-links it to `start.lock`; when the holder dies the kernel stops listening,
// so a waiter's connect is refused and it may clear the lock — no guessing from file ages. node has no flock.
// Windows: a named pipe (pipe-lock.ts), which the kernel frees the same way.

import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ensureRunDir } from '../contract/state-file.ts';
import type { Env } from '../paths.ts';
import { EnsureServerError } from './errors.ts';
import { acquirePipeLock } from './pipe-lock.ts';

export const START_LOCK_NAME = 'start.lock';
/** Waiters also retry on this beat, in case the holder's goodbye (closing our connection) is lost. */
const LOCK_RETRY_MS = 50;

export interface HeldLock {
  readonly path: string;
  release(): Promise<void>;
}

/** Acquires `run/start.lock` (creating run/ 0700 and refusing one owned by another user). */
export async function acquireStartLock(env: Env, timeoutMs: number): Promise<HeldLock> {
  let dir: string;
  try {
    dir = ensureRunDir(env);
  } catch (err) {
    throw new EnsureServerError((err as Error).message, 'E_RUN_DIR_UNSAFE');
  }
  return acquireSocketLock(path.join(dir, START_LOCK_NAME), timeoutMs);
}

export async function acquireSocketLock(lockPath: string, timeoutMs: number, platform: NodeJS.Platform = process.platform): Promise<HeldLock> {
  if (platform === 'win32') return acquirePipeLock(lockPath, timeoutMs);
  const own = `${lockPath}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.sock`;
  const clients = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    // Waiters stay connected; closing them on release wakes them at once.
    clients.add(sock);
    sock.on('close', () => clients.delete(sock));
    sock.on('error', () => {});
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      // A UNIX socket path is limited to ~104 bytes (macOS) or 108 (Linux).
      if (err.code === 'EINVAL' || err.code === 'ENAMETOOLONG') {
        reject(new EnsureServerError(`Cannot create the start lock ${own}: the path is too long for a UNIX socket; set a shorter BUCKAROO_HOME.`, 'E_RUN_DIR_UNSAFE'));
      } else reject(err);
    });
    server.listen(own, () => resolve());
  });
  server.unref(); // the lock must never keep a CLI process alive
  const ownIno = fs.statSync(own).ino;
  const release = async (): Promise<void> => {
    try {
      if (fs.statSync(lockPath).ino === ownIno) fs.unlinkSync(lockPath);
    } catch {
      /* already cleared */
    }
    for (const c of clients) c.destroy();
    await new Promise<void>((r) => server.close(() => r())); // also removes `own`
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      fs.linkSync(own, lockPath);
      return { path: lockPath, release };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        await release();
        throw err;
      }
    }
    const waited = await waitForHolder(lockPath, Math.max(0, deadline - Date.now()));
    if (waited === 'dead') await clearDeadLock(lockPath);
    if (Date.now() >= deadline) {
      await release();
      throw new EnsureServerError(
        `Another buckaroo-table process has been starting the data server for over ${timeoutMs} ms (lock ${lockPath}).`,
        'E_LOCK_TIMEOUT',
      );
    }
  }
}

/** Connects to the holder and returns when it lets go ('released'), or at once when nobody listens ('dead'). */
function waitForHolder(lockPath: string, timeoutMs: number): Promise<'released' | 'dead' | 'timeout'> {
  return new Promise((resolve) => {
    const sock = net.connect(lockPath);
    let connected = false;
    const done = (why: 'released' | 'dead' | 'timeout'): void => {
      clearTimeout(timer);
      clearInterval(poll);
      sock.destroy();
      resolve(why);
    };
    const timer = setTimeout(() => done('timeout'), timeoutMs);
    // The lock may be released and taken again between our link() and connect(): look again now and then.
    const poll = setInterval(() => {
      if (!fs.existsSync(lockPath)) done('released');
    }, LOCK_RETRY_MS);
    sock.on('connect', () => (connected = true));
    sock.on('close', () => done('released'));
    sock.on('error', (err: NodeJS.ErrnoException) => {
      if (connected) return done('released');
      done(err.code === 'ECONNREFUSED' ? 'dead' : 'released'); // ENOENT: released meanwhile
    });
  });
}

/**
 * The holder died: move its lock aside (rename is atomic, so of several waiters only one gets this inode),
 * and put it back if it turns out to be alive — another waiter may have cleared and retaken it meanwhile.
 */
async function clearDeadLock(lockPath: string): Promise<void> {
  const aside = `${lockPath}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.dead`;
  try {
    fs.renameSync(lockPath, aside);
  } catch {
    return; // someone else cleared it
  }
  const alive = await new Promise<boolean>((resolve) => {
    const probe = net.connect(aside);
    probe.on('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.on('error', () => resolve(false));
  });
  if (alive) {
    try {
      fs.linkSync(aside, lockPath);
    } catch {
      /* taken again meanwhile: two holders for a moment; ensureServer re-probes under the lock, so it is harmless */
    }
  }
  fs.rmSync(aside, { force: true });
}
