// POST /api/sessions/:id/query {sql, limit?, no_browser?} (token-protected): runs query_data's SQL over the
// session's tables; the whole result becomes what the session's page shows, and the answer carries its first
// `limit` rows with the total, so nothing is cut without saying so.

import type { LoadedEvent } from '../contract/live-events.ts';
import type { H3, H3Event } from 'h3';
import { readJsonBodyCapped } from './json-body.ts';
import { QueryRequestSchema, type QueryAnswer } from '../contract/data-api.ts';
import { MAX_LIMIT } from '../engine/rows.ts';
import { AGENT_LINK_TTL_MS } from './access/view-links.ts';
import { decideBrowserAction } from './browser.ts';
import type { ServerContext } from './context.ts';
import { ApiError, jsonResponse } from './errors.ts';
import { requireToken } from './guards.ts';
import { sessionParam } from './session-param.ts';
import { openerUrl, sessionStore, toApiError, viewUrl } from './sessions.ts';

/** Rows answered when the request names no limit (query_data's own default). */
export const DEFAULT_QUERY_ROWS = 50;

export function installQueryRoutes(app: H3, ctx: ServerContext): void {
  app.post('/api/sessions/:id/query', (event) => handleQuery(event, ctx));
}

async function handleQuery(event: H3Event, ctx: ServerContext): Promise<Response> {
  requireToken(event, ctx.token);
  const session = sessionParam(event);
  const parsed = QueryRequestSchema.safeParse(await readJsonBodyCapped(event));
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
    throw new ApiError(400, 'E_BAD_REQUEST', `Bad query request: ${detail}.`, 'Send JSON {"sql": "select …", "limit"?: 50}.');
  }
  const { sql, no_browser } = parsed.data;
  const limit = Math.min(parsed.data.limit ?? DEFAULT_QUERY_ROWS, MAX_LIMIT);
  const store = sessionStore(ctx);
  let result;
  try {
    // event.req.signal aborts when query_data is cancelled: the store interrupts DuckDB.
    result = await store.query(session, sql, event.req.signal);
  } catch (err) {
    throw toApiError(err, ctx, 'Running the query');
  }
  const ds = result.loaded.dataset;
  const columns = ds.columns.map((c) => ({ name: c.name, dtype: c.dtype }));
  const window = await result.loaded.rows.window({ offset: 0, limit, dir: 'asc' }).catch((err: unknown) => {
    throw toApiError(err, ctx, 'Reading the query result');
  });
  const url = viewUrl(ctx, session, AGENT_LINK_TTL_MS);
  const queryMs = Math.round(ds.loadMs * 10) / 10;
  const loadedEvent: LoadedEvent = { session, path: ds.path, format: ds.format, rows: ds.rows, columns, load_ms: queryMs, dataset_id: ds.id };
  ctx.viewers.publish(session, 'loaded', loadedEvent);
  const browser = await decideBrowserAction(ctx, session, () => openerUrl(ctx, session), no_browser === true);
  if (browser.rejoined) ctx.viewers.publish(session, 'loaded', loadedEvent);
  const answer: QueryAnswer = {
    session,
    dataset_id: ds.id,
    sql,
    columns,
    rows: window.rows,
    returned_rows: window.rows.length,
    total_rows: ds.rows,
    truncated: window.rows.length < ds.rows,
    tables: store.tables(session),
    query_ms: queryMs,
    url,
    browser_action: browser.action,
    ...(browser.reason ? { browser_reason: browser.reason } : {}),
    server_pid: ctx.pid,
  };
  const response = jsonResponse(answer);
  // The result's stats for the page once the answer is written (the page asks for them itself if it comes first).
  setImmediate(result.prefetchStats);
  return response;
}
