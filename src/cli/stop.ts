// `buckaroo-table stop [--port N] [--json]`: ask the server to leave, then the verified kill path.
// Exit 0 when it is gone or was not running; 1 when the port holds something we will not touch.

import { describeStopResult } from '../lifecycle/describe.ts';
import { stopServer } from '../lifecycle/stop-server.ts';
import { EXIT_OK } from './errors.ts';
import { parseLifecycleArgs, toCliError } from './lifecycle-args.ts';

/**
 * stopServer returns once the server has exited (a zombie counts as gone) and its port is free; the pid stays
 * listed until its parent reaps it. A detached server's parent is init, which here (a container whose pid 1 is
 * not a real init) took up to 1.7 s. `stop` waits for that too, so a script that checks the pid right after
 * sees it gone; a parent that never reaps (a test runner holding the child) only costs this much.
 */
export const STOP_REAP_TIMEOUT_MS = 3_000;
const REAP_POLL_MS = 10;

export async function stopCommand(args: string[], out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const a = parseLifecycleArgs(args);
  try {
    const result = await stopServer({ port: a.port.port, explicitPort: a.port.explicit, env: a.env, log: a.log });
    if (result.status === 'stopped' && result.previous.pid > 0) await waitUntilReaped(result.previous.pid, STOP_REAP_TIMEOUT_MS);
    out.write(a.json ? `${JSON.stringify(result)}\n` : `${describeStopResult(result)}\n`);
    return EXIT_OK;
  } catch (err) {
    throw toCliError(err);
  }
}

/** Until `pid` no longer exists at all (not even as a zombie), or the timeout; true when it is gone. */
export async function waitUntilReaped(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') return true;
    }
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, REAP_POLL_MS));
  }
}
