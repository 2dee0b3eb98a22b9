// POST /shutdown: the polite way for a newer client to retire this server. Token-protected; the answer is
// sent before the process begins to close so the caller knows it was heard.

import type { H3Event } from 'h3';
import type { ServerContext } from './context.ts';
import { jsonResponse } from './errors.ts';
import { requireToken } from './guards.ts';

export function handleShutdown(event: H3Event, ctx: ServerContext): Response {
  requireToken(event, ctx.token);
  ctx.log.info('shutdown requested over HTTP');
  // Let the response flush before the server starts refusing connections.
  setImmediate(() => ctx.requestShutdown('POST /shutdown'));
  return jsonResponse({ status: 'shutting_down', pid: ctx.pid });
}
