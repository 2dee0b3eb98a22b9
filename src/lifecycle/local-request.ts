// One HTTP request to 127.0.0.1:port with a hard deadline, for the probe and the polite shutdown: node:http
// directly (no retries, no pooled sockets), because a hung or SIGSTOPped server must not stall the caller.

import http from 'node:http';

/** More than any /health answer; a peer that streams more is not one of ours and is cut off here. */
const MAX_BODY_BYTES = 64 * 1024;

export interface LocalAnswer {
  status: number;
  contentType: string;
  /** Empty unless `readBody` was asked for. */
  body: string;
}

/** 'unreachable': refused or reset; 'timeout': connected (or not) but no answer within the deadline. */
export type LocalOutcome = LocalAnswer | 'unreachable' | 'timeout';

export interface LocalRequest {
  method: 'GET' | 'POST';
  path: string;
  timeoutMs: number;
  headers?: Record<string, string>;
  /** Wait for the whole body (the probe) or resolve as soon as the status arrives (/shutdown). */
  readBody: boolean;
}

export function requestLocal(port: number, r: LocalRequest): Promise<LocalOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: LocalOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const headers = { host: `127.0.0.1:${port}`, ...r.headers };
    const req = http.request({ host: '127.0.0.1', port, path: r.path, method: r.method, agent: false, headers }, (res) => {
      const head = { status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? '') };
      if (!r.readBody) {
        res.resume();
        return settle({ ...head, body: '' });
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= MAX_BODY_BYTES) chunks.push(c);
      });
      res.on('end', () => settle({ ...head, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', () => settle('unreachable'));
    });
    const timer = setTimeout(() => {
      req.destroy();
      settle('timeout');
    }, r.timeoutMs);
    req.on('error', () => settle('unreachable'));
    req.end();
  });
}
