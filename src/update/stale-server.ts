// After an upgrade, the data server still running is the old version: stop it the way `stop` does (POST
// /shutdown, then the verified kill path, under the start lock), hung or not. Python Buckaroo's server and
// foreign programs are left alone.
import { probe, type ProbeResult } from '../lifecycle/probe.ts';
import { stopServer } from '../lifecycle/stop-server.ts';
import type { Logger } from '../log.ts';
import type { Env } from '../paths.ts';

export type StaleServerOutcome =
  | { kind: 'none'; port: number }
  | { kind: 'current'; port: number; pid: number }
  | { kind: 'stopped'; port: number; pid: number; version: string; how: 'shutdown' | 'sigterm' | 'sigkill' }
  | { kind: 'left'; port: number; pid?: number; version?: string; reason: string };

export type StaleAction = { kind: 'none' } | { kind: 'current'; pid: number } | { kind: 'stop' } | { kind: 'leave'; reason: string };

/** Pure: what `upgrade` does about the server on the port once `newVersion` is installed. */
export function decideStaleAction(found: ProbeResult, newVersion: string): StaleAction {
  switch (found.kind) {
    case 'nothing':
      return { kind: 'none' };
    case 'hung':
      // Ours if the verified kill path says so (command line, state file, port); refused otherwise.
      return { kind: 'stop' };
    case 'ours':
      // Also without its state file: it may be leaving already (its binary was just replaced), and the next
      // view_data would replace it anyway; the kill path verifies it by its command line and port.
      return found.health.version === newVersion ? { kind: 'current', pid: found.health.pid } : { kind: 'stop' };
    case 'old-style':
      return { kind: 'leave', reason: `port ${found.port} holds an older Buckaroo server, which the next view_data replaces` };
    case 'foreign':
      return { kind: 'leave', reason: `port ${found.port} holds another program, not a buckaroo-table server` };
  }
}

export async function stopStaleServer(port: number, newVersion: string, env: Env, log: Logger): Promise<StaleServerOutcome> {
  const found = await probe(port);
  const action = decideStaleAction(found, newVersion);
  switch (action.kind) {
    case 'none':
      return { kind: 'none', port };
    case 'current':
      return { kind: 'current', port, pid: action.pid };
    case 'leave':
      return { kind: 'left', port, ...(found.kind === 'ours' ? { pid: found.health.pid, version: found.health.version } : {}), reason: action.reason };
    case 'stop':
      break;
  }
  try {
    const stopped = await stopServer({ port, explicitPort: true, env, log });
    if (stopped.status === 'not-running') return { kind: 'none', port };
    return { kind: 'stopped', port, pid: stopped.previous.pid, version: stopped.previous.version, how: stopped.previous.how };
  } catch (err) {
    return { kind: 'left', port, reason: (err as Error).message.replace(/\.$/, '') };
  }
}
