// POST /load {path, session?, no_browser?, summary_columns?}: load a file into a session (token-protected), tell
// open pages of the session to switch to it, open a browser tab as the load starts (so the person sees its
// preview and progress at once), and answer with what was loaded (and, when asked, the leading columns' summary
// stats, so view_data needs one request).

import path from 'node:path';
import type { H3, H3Event } from 'h3';
import { LoadRequestSchema, type LoadAnswer, type SummaryStats } from '../contract/data-api.ts';
import { isDistinctApprox } from '../contract/data-limits.ts';
import type { LoadedEvent } from '../contract/live-events.ts';
import { newSessionId } from '../contract/session-id.ts';
import { checkReadableFile } from '../engine/load.ts';
import { leadingColumns, type LoadedDataset } from '../engine/sessions.ts';
import { expandHome } from '../paths.ts';
import { AGENT_LINK_TTL_MS } from './access/view-links.ts';
import { decideBrowserAction, openWithOs, type BrowserDecision } from './browser.ts';
import type { ServerContext } from './context.ts';
import { ApiError, jsonResponse } from './errors.ts';
import { requireToken } from './guards.ts';
import { readJsonBodyCapped } from './json-body.ts';
import { openerUrl, sessionStore, toApiError, viewUrl } from './sessions.ts';
import { clipColumnText } from './stats-clip.ts';

export function installLoadRoutes(app: H3, ctx: ServerContext): void {
  app.post('/load', (event) => handleLoad(event, ctx));
}

async function handleLoad(event: H3Event, ctx: ServerContext): Promise<Response> {
  requireToken(event, ctx.token);
  const parsed = LoadRequestSchema.safeParse(await readJsonBodyCapped(event));
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
    throw new ApiError(400, 'E_BAD_REQUEST', `Bad /load request: ${detail}.`, 'Send JSON {"path": "/absolute/file.csv", "session"?: "...", "no_browser"?: true}.');
  }
  const body = parsed.data;
  const file = expandHome(body.path, ctx.env);
  if (!path.isAbsolute(file)) {
    throw new ApiError(400, 'E_BAD_REQUEST', `path must be absolute, got ${JSON.stringify(body.path)}.`, 'Resolve it against your working directory first (view_data does this for you).');
  }
  const session = body.session ?? newSessionId();
  const store = sessionStore(ctx);
  let result;
  // Open pages of the session show progress (they poll meta) and, on failure, keep their table with a banner.
  ctx.viewers.publish(session, 'loading', { session, path: file });
  // event.req.signal aborts when the client disconnects before the answer (view_data cancelled or timed out).
  const loading = store.load(session, path.normalize(file), event.req.signal);
  const tab = tabAtLoadStart(ctx, session, file, body.no_browser === true, loading);
  try {
    result = await loading;
  } catch (err) {
    const apiError = toApiError(err, ctx, `Loading ${file}`);
    ctx.viewers.publish(session, 'load_failed', { session, path: file, error_code: apiError.code, message: apiError.message });
    throw apiError;
  }
  const ds = result.loaded.dataset;
  // The store has started the leading columns' stats already; this shares that work.
  const summary = body.summary_columns === undefined ? undefined : summaryAnswer(result.loaded, leadingColumns(ds, body.summary_columns), ctx);
  const url = viewUrl(ctx, session, AGENT_LINK_TTL_MS);
  const columns = ds.columns.map((c) => ({ name: c.name, dtype: c.dtype }));
  const loadMs = Math.round(ds.loadMs * 10) / 10;
  const loadedEvent: LoadedEvent = { session, path: ds.path, format: ds.format, rows: ds.rows, columns, load_ms: loadMs, dataset_id: ds.id };
  const heard = ctx.viewers.connected(session) > 0;
  ctx.viewers.publish(session, 'loaded', loadedEvent);
  const browser = await tab;
  // A page that left and came back while the load ran (its stream handed to another tab, a reload) missed
  // the news: tell it again. A page that shows this dataset already ignores the repeat.
  if (browser.rejoined || (browser.action === 'refreshed' && !heard && (await ctx.viewers.rejoined(session)))) ctx.viewers.publish(session, 'loaded', loadedEvent);
  const stats = await summary;
  const answer: LoadAnswer = {
    session,
    path: ds.path,
    format: ds.format,
    gzip: ds.gzip,
    encoding: ds.encoding,
    bytes: ds.bytes,
    rows: ds.rows,
    columns,
    load_ms: loadMs,
    url,
    browser_action: browser.action,
    ...(browser.reason ? { browser_reason: browser.reason } : {}),
    replaced: result.replaced,
    dataset_id: ds.id,
    server_pid: ctx.pid,
    ...(result.table ? { table: result.table } : {}),
    ...(stats ? { stats } : {}),
  };
  return jsonResponse(answer);
}

/**
 * Decides about a browser tab while the load runs, not after it: the page opened now shows the file's preview
 * and the load's progress at once (a 5 M-row CSV takes seconds), and the load's failure if it fails. A file
 * that cannot be read gets no tab (that fails at once), nor does a load that failed before the opener ran.
 */
async function tabAtLoadStart(ctx: ServerContext, session: string, file: string, noBrowser: boolean, loading: Promise<unknown>): Promise<BrowserDecision> {
  let failed = false;
  loading.catch(() => (failed = true));
  try {
    await checkReadableFile(file);
  } catch {
    return { action: 'failed', reason: 'the file could not be read when the load started' };
  }
  const openUnlessFailed = (url: string): Promise<BrowserDecision> => (failed ? Promise.resolve({ action: 'skipped', reason: 'the load failed' }) : openWithOs(url));
  return decideBrowserAction(ctx, session, () => openerUrl(ctx, session), noBrowser, openUnlessFailed);
}

/**
 * The leading columns' summary for /load's answer, or undefined when it failed (a newer load replaced the
 * dataset, say): the caller then asks /api/sessions/:id/stats, which knows how to wait for the new one.
 */
async function summaryAnswer(loaded: LoadedDataset, indices: number[], ctx: ServerContext): Promise<SummaryStats | undefined> {
  const ds = loaded.dataset;
  try {
    const columns = (await loaded.stats.summary(indices)).map(clipColumnText);
    return { rows: ds.rows, columns_total: ds.columns.length, distinct_approx: isDistinctApprox(ds.rows), columns };
  } catch (err) {
    ctx.log.warn('summary stats for /load failed', { path: ds.path, error: err });
    return undefined;
  }
}
