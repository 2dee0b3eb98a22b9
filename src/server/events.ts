// GET /api/sessions/:id/events: the live connection of a viewer page (server-sent events). The page is
// registered in ctx.viewers while connected, so /load knows a tab will switch in place ('refreshed'); it is
// greeted with the server's identity (a changed version or pid tells it the server was replaced) and pinged
// so proxies and the browser keep the connection open.

import { EventStream, getRouterParam, type H3 } from 'h3';
import type { ServerContext } from './context.ts';
import { ApiError } from './errors.ts';
import { isSessionId } from './web.ts';

/** A comment line this often keeps idle connections from being closed by anything in between. */
export const SSE_KEEPALIVE_MS = 15_000;
/** Tells EventSource-style clients how soon to come back after the server goes away. */
const SSE_RETRY_MS = 1_000;

export interface HelloEvent {
  session: string;
  version: string;
  pid: number;
  started: string;
}

export function installEventRoutes(app: H3, ctx: ServerContext): void {
  app.get('/api/sessions/:id/events', (event) => {
    const session = getRouterParam(event, 'id');
    if (!isSessionId(session)) {
      throw new ApiError(400, 'E_BAD_SESSION', 'A session id is letters, digits, "-" or "_" (at most 128).');
    }
    const stream = new EventStream(event);
    const send = (name: string, data: unknown): void => {
      // Not awaited: a slow page must never hold up /load; the stream queues until the socket drains.
      void stream.push({ event: name, data: JSON.stringify(data) });
    };
    const hello: HelloEvent = { session, version: ctx.version, pid: ctx.pid, started: ctx.started };
    void stream.push({ event: 'hello', data: JSON.stringify(hello), retry: SSE_RETRY_MS });
    const unregister = ctx.viewers.add(session, send);
    const ping = setInterval(() => void stream.pushComment('ping'), SSE_KEEPALIVE_MS);
    ping.unref();
    stream.onClosed(() => {
      clearInterval(ping);
      unregister();
    });
    ctx.log.info('viewer connected', { session, pages: ctx.viewers.connected(session) });
    return stream;
  });
}
