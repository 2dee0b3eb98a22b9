// POST /api/sessions/:id/compare {left, right, keys?, no_browser?} (token-protected): loads both files into the
// session (each a table for query_data too), matches rows by key, and shows the differing rows in the page.

import path from 'node:path';
import type { LoadedEvent } from '../contract/live-events.ts';
import type { H3, H3Event } from 'h3';
import { readJsonBodyCapped } from './json-body.ts';
import { CompareRequestSchema, type CompareAnswer } from '../contract/data-api.ts';
import { expandHome } from '../paths.ts';
import { AGENT_LINK_TTL_MS } from './access/view-links.ts';
import { decideBrowserAction } from './browser.ts';
import type { ServerContext } from './context.ts';
import { ApiError, jsonResponse } from './errors.ts';
import { requireToken } from './guards.ts';
import { sessionParam } from './session-param.ts';
import { openerUrl, sessionStore, toApiError, viewUrl } from './sessions.ts';

export function installCompareRoutes(app: H3, ctx: ServerContext): void {
  app.post('/api/sessions/:id/compare', (event) => handleCompare(event, ctx));
}

function absolute(p: string, ctx: ServerContext, name: string): string {
  const file = expandHome(p, ctx.env);
  if (!path.isAbsolute(file)) {
    throw new ApiError(400, 'E_BAD_REQUEST', `${name} must be absolute, got ${JSON.stringify(p)}.`, 'Resolve it against your working directory first (compare_data does this for you).');
  }
  return path.normalize(file);
}

async function handleCompare(event: H3Event, ctx: ServerContext): Promise<Response> {
  requireToken(event, ctx.token);
  const session = sessionParam(event);
  const parsed = CompareRequestSchema.safeParse(await readJsonBodyCapped(event));
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
    throw new ApiError(400, 'E_BAD_REQUEST', `Bad compare request: ${detail}.`, 'Send JSON {"left": "/abs/a.csv", "right": "/abs/b.csv", "keys"?: ["id"]}.');
  }
  const body = parsed.data;
  const left = absolute(body.left, ctx, 'left');
  const right = absolute(body.right, ctx, 'right');
  const store = sessionStore(ctx);
  ctx.viewers.publish(session, 'loading', { session, path: `${left} and ${right}` });
  let result;
  try {
    result = await store.compare(session, left, right, body.keys, event.req.signal);
  } catch (err) {
    const apiError = toApiError(err, ctx, 'Comparing the files');
    ctx.viewers.publish(session, 'load_failed', { session, path: `${left} and ${right}`, error_code: apiError.code, message: apiError.message });
    throw apiError;
  }
  const ds = result.loaded.dataset;
  const counts = result.compare!;
  const [l, r] = result.sides as [NonNullable<typeof result.sides>[0], NonNullable<typeof result.sides>[0]];
  const url = viewUrl(ctx, session, AGENT_LINK_TTL_MS);
  const compareMs = Math.round(ds.loadMs * 10) / 10;
  const loadedEvent: LoadedEvent = { session, path: ds.path, format: ds.format, rows: ds.rows, columns: ds.columns, load_ms: compareMs, dataset_id: ds.id };
  ctx.viewers.publish(session, 'loaded', loadedEvent);
  const browser = await decideBrowserAction(ctx, session, () => openerUrl(ctx, session), body.no_browser === true);
  if (browser.rejoined) ctx.viewers.publish(session, 'loaded', loadedEvent);
  const file = (t: typeof l) => ({ path: t.file, table: t.name, rows: t.dataset.rows, columns: t.dataset.columns.length });
  const answer: CompareAnswer = {
    session,
    dataset_id: ds.id,
    left: file(l),
    right: file(r),
    ...counts,
    compare_ms: compareMs,
    url,
    browser_action: browser.action,
    ...(browser.reason ? { browser_reason: browser.reason } : {}),
    server_pid: ctx.pid,
  };
  const response = jsonResponse(answer);
  // The diff's stats for the page once the answer is written (the page asks for them itself if it comes first).
  setImmediate(result.prefetchStats);
  return response;
}
