// The start lock through the real module: exclusive, handed over on release, and freed by the kernel when
// its holder dies (a separate node process killed with SIGKILL).

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireSocketLock } from '../../../src/lifecycle/lock.ts';

const LOCK_MODULE = path.resolve(import.meta.dirname, '../../../src/lifecycle/lock.ts');
const dirs: string[] = [];
const tmp = (): string => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'bt-lock-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('the start lock', () => {
  it('is exclusive and handed to the next waiter on release', async () => {
    const lockPath = path.join(tmp(), 'start.lock');
    const first = await acquireSocketLock(lockPath, 1_000);
    let secondHeld = false;
    const second = acquireSocketLock(lockPath, 5_000).then((l) => {
      secondHeld = true;
      return l;
    });
    await new Promise((r) => setTimeout(r, 150));
    expect(secondHeld).toBe(false);
    await first.release();
    const l2 = await second;
    expect(secondHeld).toBe(true);
    await l2.release();
    expect(fs.readdirSync(path.dirname(lockPath))).toEqual([]);
  });

  it('times out with a sentence when the holder never lets go', async () => {
    const lockPath = path.join(tmp(), 'start.lock');
    const held = await acquireSocketLock(lockPath, 1_000);
    await expect(acquireSocketLock(lockPath, 200)).rejects.toMatchObject({ code: 'E_LOCK_TIMEOUT' });
    await held.release();
  });

  it('handles a holder that died: the kernel releases it', async () => {
    const lockPath = path.join(tmp(), 'start.lock');
    const child = spawn(
      process.execPath,
      ['--input-type=module', '-e', `import { acquireSocketLock } from ${JSON.stringify(LOCK_MODULE)}; await acquireSocketLock(${JSON.stringify(lockPath)}, 5000); console.log('HELD'); setInterval(() => {}, 1000);`],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (c: Buffer) => c.toString().includes('HELD') && resolve());
      child.once('exit', (code) => reject(new Error(`lock holder exited with ${code} before holding the lock`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(fs.existsSync(lockPath)).toBe(true); // the file stays; nobody listens on it any more
    const t0 = Date.now();
    const lock = await acquireSocketLock(lockPath, 5_000);
    expect(Date.now() - t0).toBeLessThan(2_000);
    await lock.release();
  });
});
