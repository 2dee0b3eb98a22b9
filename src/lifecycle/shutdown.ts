// The polite step of a replacement: POST /shutdown with the token from the server's state file. A 401 or
// 404 (no such endpoint, wrong token) or no answer at all sends the caller straight to the kill path.

import http from 'node:http';
import { SHUTDOWN_REQUEST_TIMEOUT_MS } from './timeouts.ts';

export type ShutdownAnswer = 'accepted' | 'refused' | 'no-answer' | 'unreachable';

export function requestShutdown(port: number, token: string | undefined, timeoutMs = SHUTDOWN_REQUEST_TIMEOUT_MS): Promise<ShutdownAnswer> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = { host: `127.0.0.1:${port}`, 'content-length': '0' };
    if (token) headers.authorization = `Bearer ${token}`;
    const req = http.request({ host: '127.0.0.1', port, path: '/shutdown', method: 'POST', agent: false, headers }, (res) => {
      res.resume();
      clearTimeout(timer);
      const status = res.statusCode ?? 0;
      resolve(status >= 200 && status < 300 ? 'accepted' : 'refused');
    });
    const timer = setTimeout(() => {
      req.destroy();
      resolve('no-answer');
    }, timeoutMs);
    req.on('error', () => {
      clearTimeout(timer);
      resolve('unreachable');
    });
    req.end();
  });
}
