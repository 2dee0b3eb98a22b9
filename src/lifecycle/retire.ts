// Step 3 of ensureServer, also `buckaroo-table stop`: make the server on a port go away. Ask politely
// (POST /shutdown), wait for its pid and port to be gone, and only then take the verified kill path.

import { readStateFile } from '../contract/state-file.ts';
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

/** What the probe and the state file say about the server to retire. */
function claimFor(found: ProbeResult, env: Env): { claim: Claim; version: string; pid?: number } {
  const state = readStateFile(found.port, env);
  if (found.kind === 'ours') {
    // A leftover state file of a dead predecessor says nothing about this server: judge it without one.
    const own = state && (state.pid === found.health.pid || isRunning(state.pid)) ? state : undefined;
    return { claim: { port: found.port, healthPid: found.health.pid, state: own }, version: found.health.version, pid: found.health.pid };
  }
  if (found.kind === 'old-style' && found.pid !== undefined) {
    return { claim: { port: found.port, healthPid: found.pid, state }, version: 'unversioned', pid: found.pid };
  }
  // Hung, or old-style without a pid: the state file names the pid if it is ours and still running; else
  // whoever holds the port, judged by command line and port alone (a dead pid's state file proves nothing).
  const version = found.kind === 'old-style' ? 'unversioned' : (state?.version ?? 'unknown');
  if (state && isRunning(state.pid)) return { claim: { port: found.port, state }, version, pid: state.pid };
  return { claim: { port: found.port }, version, pid: pidsListeningOn(found.port)[0] };
}

/**
 * Retires the server `found` describes. Throws EnsureServerError E_NOT_OURS when the process cannot be
 * verified as a buckaroo server (nothing is signalled), E_STILL_RUNNING when it would not go.
 */
export async function retireServer(found: ProbeResult, env: Env, timeouts: LifecycleTimeouts, log: Logger): Promise<Previous> {
  const { claim, version, pid } = claimFor(found, env);
  const port = found.port;
  const responsive = found.kind === 'ours' || found.kind === 'old-style';
  if (responsive) {
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
  const how = await killVerifiedServer(pid, claim, timeouts);
  log.info('old server gone', { port, pid, how });
  return { version, pid, how: how === 'gone' ? 'shutdown' : how };
}
