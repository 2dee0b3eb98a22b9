// Step 1 of ensureServer: ask whoever holds the port who they are, and classify the answer. Uses node:http
// directly (no retries, a hard timeout) because a hung or stopped server must not stall the caller.

import http from 'node:http';
import { HealthSchema, type Health } from '../contract/health.ts';

/** A healthy server answers in a few ms; a stopped (SIGSTOP) one never does. */
export const PROBE_TIMEOUT_MS = 500;

export type ProbeResult =
  | { kind: 'nothing'; port: number }
  | { kind: 'ours'; port: number; health: Health }
  /** Answers like a Buckaroo server but lacks version or protocol (Python Buckaroo ≤ 0.12, early builds). */
  | { kind: 'old-style'; port: number; pid?: number; body: unknown }
  | { kind: 'foreign'; port: number; status?: number; contentType?: string; snippet: string }
  /** Accepted the connection but said nothing in time: hung, or stopped with SIGSTOP. */
  | { kind: 'hung'; port: number };

export interface RawAnswer {
  status: number;
  contentType: string;
  body: string;
}

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
      return { kind: 'old-style', port, pid: typeof obj.pid === 'number' ? obj.pid : undefined, body: json };
    }
  }
  return { kind: 'foreign', port, status: answer.status, contentType: answer.contentType, snippet: answer.body.slice(0, 120) };
}

/** GET a path on 127.0.0.1:port with a hard timeout. Resolves 'refused' or 'timeout' instead of throwing. */
export function rawGet(port: number, pathname: string, timeoutMs: number): Promise<RawAnswer | 'refused' | 'timeout'> {
  return new Promise((resolve) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: pathname, method: 'GET', agent: false, headers: { host: `127.0.0.1:${port}`, accept: 'application/json' } },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size <= 64 * 1024) chunks.push(c);
        });
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', () => {
          clearTimeout(timer);
          resolve('refused');
        });
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      resolve('timeout');
    }, timeoutMs);
    req.on('error', () => {
      clearTimeout(timer);
      resolve('refused');
    });
    req.end();
  });
}

export async function probe(port: number, timeoutMs = PROBE_TIMEOUT_MS): Promise<ProbeResult> {
  const answer = await rawGet(port, '/health', timeoutMs);
  if (answer === 'refused') return { kind: 'nothing', port };
  if (answer === 'timeout') return { kind: 'hung', port };
  return classifyHealth(port, answer);
}
