// `buckaroo-table stop`: retire whatever server of ours answers on the port (graceful, then the verified
// kill path), under the same start lock as ensureServer so a stop never races a start.

import type { Logger } from '../log.ts';
import type { Env } from '../paths.ts';
import { decideStopAction } from './decide.ts';
import { EnsureServerError } from './errors.ts';
import { acquireStartLock } from './lock.ts';
import { describePortHolder } from './port-holder.ts';
import { clearPortPointer, fallbackPortFor, readPortPointer } from './port-pointer.ts';
import { probe } from './probe.ts';
import { forgetDeadServer, retireServer, type Previous } from './retire.ts';
import { lifecycleTimeouts } from './timeouts.ts';

export type StopResult = { status: 'stopped'; port: number; previous: Previous; ms: number } | { status: 'not-running'; port: number; ms: number };

export interface StopOptions {
  port: number;
  explicitPort: boolean;
  env?: Env;
  log: Logger;
}

export async function stopServer(opts: StopOptions): Promise<StopResult> {
  const env = opts.env ?? process.env;
  const log = opts.log.child('lifecycle');
  const timeouts = lifecycleTimeouts(env);
  const t0 = performance.now();
  const ms = (): number => Math.round(performance.now() - t0);
  const lock = await acquireStartLock(env, timeouts.lockWaitMs);
  try {
    const port = opts.explicitPort ? opts.port : (fallbackPortFor(opts.port, env) ?? opts.port);
    forgetDeadServer(port, env);
    const found = await probe(port);
    const action = decideStopAction(found);
    if (action.kind === 'not-running') return { status: 'not-running', port, ms: ms() };
    if (action.kind === 'refuse-foreign') {
      throw new EnsureServerError(`Port ${port} is held by ${describePortHolder(port)}, which is not a buckaroo server; nothing to stop.`, 'E_PORT_HELD');
    }
    const previous = await retireServer(found, action.kind === 'retire-live' ? 'ask-first' : 'kill-path', env, timeouts, log);
    if (readPortPointer(env)?.port === port) clearPortPointer(env); // nothing lives at the fallback port now
    return { status: 'stopped', port, previous, ms: ms() };
  } finally {
    await lock.release();
  }
}
