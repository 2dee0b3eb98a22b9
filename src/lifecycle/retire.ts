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
import type { Claim } from './verify-pid.ts';

export interface Previous {
  version: string;
  pid: number;
  how: 'shutdown' | 'sigterm' | 'sigkill';
}

/** What the probe and the state file say about the server to retire. */
function claimFor(found: ProbeResult, env: Env): { claim: Claim; version: string; pid?: number } {
  const state = readStateFile(found.port, env);
  if (found.kind === 'ours') {
    return { claim: { port: found.port, healthPid: found.health.pid, state }, version: found.health.version, pid: found.health.pid };
  }
  if (found.kind === 'old-style') {
    return { claim: { port: found.port, healthPid: found.pid, state }, version: 'unversioned', pid: found.pid ?? state?.pid };
  }
  // Hung: /health said nothing. The state file names the pid if it is ours; else whoever holds the port.
  const pid = state?.pid ?? pidsListeningOn(found.port)[0];
  return { claim: { port: found.port, state }, version: state?.version ?? 'unknown', pid };
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
