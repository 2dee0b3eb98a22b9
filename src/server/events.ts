// The live connection of viewer pages (server-sent events). A page is registered in ctx.viewers while
// connected, so /load knows a tab will switch in place ('refreshed'); it is greeted with the server's identity
// (a changed version or pid tells it the server was replaced) and pinged so nothing in between closes it.
// Two routes: one stream per session (`/api/sessions/:id/events`), and one stream for several sessions
// (`/api/events?session=a&session=b`) that the tabs of one browser share, because a browser opens at most six
// HTTP/1.1 connections per host: six tabs each holding a stream would leave a seventh tab blank.

import { EventStream, type H3, type H3Event } from 'h3';
import type { HelloEvent } from '../contract/live-events.ts';
import { isValidSessionId } from '../contract/session-id.ts';
import type { ServerContext } from './context.ts';
import { ApiError } from './errors.ts';
import { badSessionError, sessionParam } from './session-param.ts';

/** A comment line this often keeps idle connections from being closed by anything in between. */
export const SSE_KEEPALIVE_MS = 15_000;
/** Tells EventSource-style clients how soon to come back after the server goes away. */
const SSE_RETRY_MS = 1_000;
/** Sessions one shared stream may follow (one per open tab of the browser). */
export const MAX_SESSIONS_PER_STREAM = 64;

/**
 * Opens the stream, registers it for each session and cleans up when it closes. On a shared stream every
 * event's data is wrapped as `{session, data}` so the page can route it.
 */
function openStream(event: H3Event, ctx: ServerContext, sessions: string[], shared: boolean): EventStream {
  const stream = new EventStream(event);
  const hello: HelloEvent = { ...(shared ? { sessions } : { session: sessions[0] }), version: ctx.version, pid: ctx.pid, started: ctx.started };
  void stream.push({ event: 'hello', data: JSON.stringify(hello), retry: SSE_RETRY_MS });
  const unregister = sessions.map((session) =>
    ctx.viewers.add(session, (name, data) => {
      // Not awaited: a slow page must never hold up /load; the stream queues until the socket drains.
      void stream.push({ event: name, data: JSON.stringify(shared ? { session, data } : data) });
    }),
  );
  const ping = setInterval(() => void stream.pushComment('ping'), SSE_KEEPALIVE_MS);
  ping.unref();
  stream.onClosed(() => {
    clearInterval(ping);
    for (const off of unregister) off();
    ctx.log.info('viewer disconnected', { sessions, shared });
  });
  ctx.log.info('viewer connected', { sessions, shared });
  return stream;
}

export function installEventRoutes(app: H3, ctx: ServerContext): void {
  app.get('/api/sessions/:id/events', (event) => {
    const session = sessionParam(event);
    if (!isValidSessionId(session)) throw badSessionError();
    return openStream(event, ctx, [session], false);
  });
  app.get('/api/events', (event) => {
    const sessions = [...new Set(event.url.searchParams.getAll('session'))];
    if (sessions.length === 0 || sessions.length > MAX_SESSIONS_PER_STREAM) {
      throw new ApiError(400, 'E_BAD_REQUEST', `Name 1 to ${MAX_SESSIONS_PER_STREAM} sessions: /api/events?session=<id>&session=<id>.`);
    }
    if (!sessions.every(isValidSessionId)) throw badSessionError();
    return openStream(event, ctx, sessions, true);
  });
}
