// After an upgrade, the data server still running is the old version. Ask it to stop over POST /shutdown
// (token from its state file); if we cannot, leave it: the next view_data replaces it.

import { readStateFile } from '../contract/state-file.ts';
import { callServer } from '../lifecycle/api-client.ts';
import { probe } from '../lifecycle/probe.ts';
import type { Env } from '../paths.ts';

export const STALE_SHUTDOWN_REQUEST_TIMEOUT_MS = 3_000;
/** How long we wait for the port to free up after /shutdown answered. */
export const STALE_SHUTDOWN_WAIT_MS = 5_000;
const STALE_SHUTDOWN_POLL_MS = 50;

export type StaleServerOutcome =
  | { kind: 'none'; port: number }
  | { kind: 'current'; port: number; pid: number }
  | { kind: 'stopped'; port: number; pid: number; version: string }
  | { kind: 'left'; port: number; pid?: number; version?: string; reason: string };

export async function stopStaleServer(port: number, newVersion: string, env: Env): Promise<StaleServerOutcome> {
  const found = await probe(port);
  if (found.kind === 'nothing') return { kind: 'none', port };
  if (found.kind !== 'ours') return { kind: 'left', port, reason: `port ${port} holds a ${found.kind} process, not a buckaroo-table server we can ask` };
  const { pid, version } = found.health;
  if (version === newVersion) return { kind: 'current', port, pid };
  const state = readStateFile(port, env);
  if (!state || state.pid !== pid) return { kind: 'left', port, pid, version, reason: 'its state file (and token) is not in this BUCKAROO_HOME' };
  try {
    await callServer(port, '/shutdown', { method: 'POST', token: state.token, timeoutMs: STALE_SHUTDOWN_REQUEST_TIMEOUT_MS });
  } catch (err) {
    return { kind: 'left', port, pid, version, reason: `it did not accept /shutdown (${(err as Error).message})` };
  }
  const deadline = Date.now() + STALE_SHUTDOWN_WAIT_MS;
  while (Date.now() < deadline) {
    if ((await probe(port)).kind === 'nothing') return { kind: 'stopped', port, pid, version };
    await new Promise((r) => setTimeout(r, STALE_SHUTDOWN_POLL_MS));
  }
  return { kind: 'left', port, pid, version, reason: `it accepted /shutdown but still holds the port after ${STALE_SHUTDOWN_WAIT_MS} ms` };
}
