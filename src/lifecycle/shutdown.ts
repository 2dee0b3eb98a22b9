// The polite step of a replacement: POST /shutdown with the token from the server's state file. A 401 or
// 404 (no such endpoint, wrong token) or no answer at all sends the caller straight to the kill path.

import { requestLocal } from './local-request.ts';
import { SHUTDOWN_REQUEST_TIMEOUT_MS } from './timeouts.ts';

export type ShutdownAnswer = 'accepted' | 'refused' | 'no-answer' | 'unreachable';

export async function requestShutdown(port: number, token: string | undefined, timeoutMs = SHUTDOWN_REQUEST_TIMEOUT_MS): Promise<ShutdownAnswer> {
  const headers: Record<string, string> = { 'content-length': '0' };
  if (token) headers.authorization = `Bearer ${token}`;
  const answer = await requestLocal(port, { method: 'POST', path: '/shutdown', timeoutMs, headers, readBody: false });
  if (answer === 'timeout') return 'no-answer';
  if (answer === 'unreachable') return 'unreachable';
  return answer.status >= 200 && answer.status < 300 ? 'accepted' : 'refused';
}
