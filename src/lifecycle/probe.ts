// Step 1 of ensureServer: ask whoever holds the port who they are (GET /health with a hard deadline), and
// classify the answer: ours, an older Buckaroo, something foreign, a hung process, or nobody.

import { HealthSchema, type Health } from '../contract/health.ts';
import { requestLocal, type LocalAnswer } from './local-request.ts';

/** A healthy server answers in a few ms; a stopped (SIGSTOP) one never does. */
export const PROBE_TIMEOUT_MS = 500;

export type ProbeResult =
  | { kind: 'nothing'; port: number }
  | { kind: 'ours'; port: number; health: Health }
  /**
   * Answers like a Buckaroo server but not with our /health (Python Buckaroo, early builds): no protocol, maybe
   * no version. `version` is what it reported, if anything.
   */
  | { kind: 'old-style'; port: number; pid?: number; version?: string; body: unknown }
  | { kind: 'foreign'; port: number; status?: number; contentType?: string; snippet: string }
  /** Accepted the connection but said nothing in time: hung, or stopped with SIGSTOP. */
  | { kind: 'hung'; port: number };

export type RawAnswer = LocalAnswer;

/** Pure: what a /health answer means. */
export function classifyHealth(port: number, answer: RawAnswer): ProbeResult {
  let json: unknown;
  try {
    json = JSON.parse(answer.body);
  } catch {
    return { kind: 'foreign', port, status: answer.status, contentType: answer.contentType, snippet: answer.body.slice(0, 120) };
  }
  if (answer.status === 200) {
    const parsed = HealthSchema.safeParse(json);
    if (parsed.success) return { kind: 'ours', port, health: parsed.data };
  }
  if (json !== null && typeof json === 'object' && !Array.isArray(json)) {
    const obj = json as Record<string, unknown>;
    const looksLikeHealth = answer.status === 200 && (obj.status === 'ok' || obj.status === 'healthy') && ('pid' in obj || 'version' in obj || 'protocol' in obj);
    if (looksLikeHealth) {
      const pid = typeof obj.pid === 'number' ? obj.pid : undefined;
      const version = typeof obj.version === 'string' && obj.version.trim() !== '' ? obj.version : undefined;
      return { kind: 'old-style', port, pid, version, body: json };
    }
  }
  return { kind: 'foreign', port, status: answer.status, contentType: answer.contentType, snippet: answer.body.slice(0, 120) };
}

export async function probe(port: number, timeoutMs = PROBE_TIMEOUT_MS): Promise<ProbeResult> {
  const answer = await requestLocal(port, { method: 'GET', path: '/health', timeoutMs, headers: { accept: 'application/json' }, readBody: true });
  if (answer === 'unreachable') return { kind: 'nothing', port };
  if (answer === 'timeout') return { kind: 'hung', port };
  return classifyHealth(port, answer);
}
