// Request guards that run before any route: DNS-rebinding defence (Host), cross-site POSTs (Origin), and the
// bearer token for mutating endpoints. A browser page on another site must not be able to drive the server.

import type { H3Event } from 'h3';
import { tokensEqual } from '../contract/state-file.ts';
import { ApiError } from './errors.ts';

export function allowedHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
}

/** Throws 403 unless the Host header names this server on loopback. */
export function checkHost(host: string | null | undefined, port: number): void {
  if (!host || !allowedHosts(port).has(host.toLowerCase())) {
    throw new ApiError(403, 'E_FORBIDDEN_HOST', `Host header ${JSON.stringify(host ?? '')} is not this server; use http://127.0.0.1:${port}/.`);
  }
}

/** Throws 403 when a state-changing request carries an Origin that is not this server's own page. */
export function checkOrigin(method: string, origin: string | null | undefined, port: number): void {
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return;
  if (origin === null || origin === undefined || origin === '') return; // non-browser clients send none
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    throw new ApiError(403, 'E_FORBIDDEN_ORIGIN', `Origin ${JSON.stringify(origin)} may not call this server.`);
  }
  if (!allowedHosts(port).has(host.toLowerCase())) {
    throw new ApiError(403, 'E_FORBIDDEN_ORIGIN', `Origin ${JSON.stringify(origin)} may not call this server.`);
  }
}

/** Throws 401 unless the request carries `Authorization: Bearer <token>`. */
export function requireToken(event: H3Event, token: string): void {
  const header = event.req.headers.get('authorization') ?? '';
  const match = /^Bearer\s+(.+)$/i.exec(header);
  if (!match?.[1] || !tokensEqual(match[1].trim(), token)) {
    throw new ApiError(
      401,
      'E_UNAUTHORIZED',
      'Missing or wrong token. Send Authorization: Bearer <token> from the server state file (~/.buckaroo/run/server-<port>.json).',
    );
  }
}
