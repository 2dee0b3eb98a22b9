// The last resort of a replacement: SIGTERM → wait → SIGKILL → wait for the port, re-verifying the pid
// right before each signal so a pid reused in between is never hit. Windows: `taskkill /PID`, then `/F`.

import { execFileSync } from 'node:child_process';
import { killCommand } from '../os/process-query.ts';
import { EnsureServerError } from './errors.ts';
import { portIsFree } from './port-holder.ts';
import { POLL_INTERVAL_MS, sleep, type LifecycleTimeouts } from './timeouts.ts';
import { isRunning, verifyServerPid, type Claim } from './verify-pid.ts';

/** True once `pid` (if any) has exited and nothing listens on `port` any more. */
export async function waitUntilGone(pid: number | undefined, port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // The port first: a connect is cheap, while on macOS telling a zombie from a live process costs a `ps`.
    if ((await portIsFree(port)) && (pid === undefined || !isRunning(pid))) return true;
    if (Date.now() >= deadline) return false;
    await sleep(POLL_INTERVAL_MS);
  }
}

export type KillHow = 'sigterm' | 'sigkill';

const TASKKILL_TIMEOUT_MS = 5_000;

/**
 * Signals a verified server until it and its port are gone. Throws E_NOT_OURS when the pid fails
 * verification (nothing was signalled), E_STILL_RUNNING when even SIGKILL did not free the port.
 */
export async function killVerifiedServer(pid: number, claim: Claim, timeouts: LifecycleTimeouts): Promise<KillHow | 'gone'> {
  const signal = async (sig: NodeJS.Signals): Promise<'sent' | 'gone'> => {
    const v = verifyServerPid(pid, claim);
    if (!v.ok && v.gone) return 'gone';
    if (!v.ok) throw new EnsureServerError(`Refusing to signal pid ${pid} on port ${claim.port}: ${v.reason}.`, 'E_NOT_OURS');
    const how = killCommand(process.platform, pid, sig === 'SIGKILL');
    if (typeof how !== 'string') {
      // taskkill without /F fails for a windowless server; /F's failure means it is gone or not ours to end.
      try {
        execFileSync(how.command, how.args, { stdio: 'ignore', timeout: TASKKILL_TIMEOUT_MS, windowsHide: true });
      } catch {
        /* the wait that follows tells whether it went */
      }
      return 'sent';
    }
    try {
      process.kill(pid, how);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') return 'gone';
      throw err;
    }
    return 'sent';
  };

  if ((await signal('SIGTERM')) === 'gone') return (await waitUntilGone(undefined, claim.port, timeouts.sigkillWaitMs)) ? 'gone' : notThatServer(pid, claim);
  // A server stopped with SIGSTOP only acts on SIGTERM once it runs again.
  try {
    if (process.platform !== 'win32') process.kill(pid, 'SIGCONT');
  } catch {
    /* gone already */
  }
  if (await waitUntilGone(pid, claim.port, timeouts.sigtermGraceMs)) return 'sigterm';
  if ((await signal('SIGKILL')) === 'gone') {
    return (await waitUntilGone(undefined, claim.port, timeouts.sigkillWaitMs)) ? 'sigterm' : stillThere(pid, claim);
  }
  if (await waitUntilGone(pid, claim.port, timeouts.sigkillWaitMs)) return 'sigkill';
  return stillThere(pid, claim);
}

/**
 * The pid the port's holder named is not running, yet the port stays held: the holder lied about who it is (a
 * squatter naming a dead pid). It is not ours to signal; the caller moves to another port (E_NOT_OURS).
 */
function notThatServer(pid: number, claim: Claim): never {
  throw new EnsureServerError(`Port ${claim.port} is held by a process that named pid ${pid}, which is not running`, 'E_NOT_OURS');
}

function stillThere(pid: number, claim: Claim): never {
  throw new EnsureServerError(
    `The old server (pid ${pid}) on port ${claim.port} is still there after SIGKILL, or something else took the port.`,
    'E_STILL_RUNNING',
  );
}
