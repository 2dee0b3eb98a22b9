// Step 3 of ensureServer, also `buckaroo-table stop`: make the server on a port go away. Ask politely
// (POST /shutdown), wait for its pid and port to be gone, and only then take the verified kill path.

import { readStateFile, removeStateFileIfOurs, type StateFile } from '../contract/state-file.ts';
import type { Logger } from '../log.ts';
import type { Env } from '../paths.ts';
import { EnsureServerError } from './errors.ts';
import { killVerifiedServer, waitUntilGone } from './kill.ts';
import { pidsListeningOn } from './port-holder.ts';
import type { ProbeResult } from './probe.ts';
import { requestShutdown } from './shutdown.ts';
import type { LifecycleTimeouts } from './timeouts.ts';
import { isRunning, type Claim } from './verify-pid.ts';

export interface Previous {
  version: string;
  pid: number;
  how: 'shutdown' | 'sigterm' | 'sigkill';
}

/** The name a server goes by in results: its reported version, or what we know of it. */
function versionOf(found: ProbeResult, state: StateFile | undefined): string {
  if (found.kind === 'ours') return found.health.version;
  if (found.kind === 'old-style') return found.version ?? 'unversioned';
  return state?.version ?? 'unknown';
}

/**
 * What the probe and the state file say about the server to retire. A state file whose pid is no longer
 * running is a crashed server's leftover: it says nothing about whoever holds the port now, which is judged
 * on its own merits (the pid /health reports, else the port's holder; command line and port either way).
 */
function claimFor(found: ProbeResult, env: Env): { claim: Claim; version: string; pid?: number } {
  const read = readStateFile(found.port, env);
  const healthPid = found.kind === 'ours' ? found.health.pid : found.kind === 'old-style' ? found.pid : undefined;
  const state = read && (read.pid === healthPid || isRunning(read.pid)) ? read : undefined;
  const version = versionOf(found, state);
  if (healthPid !== undefined) return { claim: { port: found.port, healthPid, state }, version, pid: healthPid };
  // Hung, or old-style without a pid: the state file names the pid if it is ours and still running; else
  // whoever holds the port.
  if (state) return { claim: { port: found.port, state }, version, pid: state.pid };
  return { claim: { port: found.port }, version, pid: pidsListeningOn(found.port)[0] };
}

/**
 * A state file whose pid is no longer running is a crashed server's leftover: remove it (only while it still
 * names that pid), so that nothing reads its token or pid as if they described whoever holds the port now.
 */
export function forgetDeadServer(port: number, env: Env): void {
  const state = readStateFile(port, env);
  if (state && !isRunning(state.pid)) removeStateFileIfOurs(port, state.pid, env);
}

/** A server that answers /health is asked to leave first; a hung one would only cost the request's deadline. */
export type RetireHow = 'ask-first' | 'kill-path';

/**
 * Retires the server `found` describes. Throws EnsureServerError E_NOT_OURS when the process cannot be
 * verified as a buckaroo server (nothing is signalled), E_STILL_RUNNING when it would not go.
 */
export async function retireServer(found: ProbeResult, how: RetireHow, env: Env, timeouts: LifecycleTimeouts, log: Logger): Promise<Previous> {
  const { claim, version, pid } = claimFor(found, env);
  const port = found.port;
  if (how === 'ask-first') {
    const answer = await requestShutdown(port, claim.state?.token);
    log.info('asked the old server to shut down', { port, pid, version, answer });
    if (answer === 'accepted' && (await waitUntilGone(pid, port, timeouts.shutdownMs))) {
      return { version, pid: pid ?? 0, how: 'shutdown' };
    }
    if (answer === 'unreachable' && (await waitUntilGone(pid, port, 0))) return { version, pid: pid ?? 0, how: 'shutdown' };
  }
  if (pid === undefined) {
    throw new EnsureServerError(`Cannot tell which process holds port ${port}, so buckaroo-table will not signal anything.`, 'E_NOT_OURS');
  }
  log.warn('taking the kill path', { port, pid, version, kind: found.kind });
  const killed = await killVerifiedServer(pid, claim, timeouts);
  log.info('old server gone', { port, pid, how: killed });
  return { version, pid, how: killed === 'gone' ? 'shutdown' : killed };
}
