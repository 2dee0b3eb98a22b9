// GET /api/sessions/:id/meta: what a session shows (file, format, rows, columns) and whether a load is
// running (with DuckDB's progress), for the viewer page and for view_data's progress notifications.

import path from 'node:path';
import type { H3, H3Event } from 'h3';
import type { MetaAnswer } from '../contract/data-api.ts';
import type { LoadProgress } from '../engine/sessions.ts';
import type { ServerContext } from './context.ts';
import { jsonResponse } from './errors.ts';
import { sessionParam } from './session-param.ts';
import { sessionStore, toApiError } from './sessions.ts';

export function installMetaRoutes(app: H3, ctx: ServerContext): void {
  app.get('/api/sessions/:id/meta', (event) => handleMeta(event, ctx));
}

function loadingAnswer(session: string, p: LoadProgress): MetaAnswer {
  return { session, status: 'loading', loading: { path: p.path, percent: p.percent(), elapsed_ms: Date.now() - p.startedMs } };
}

async function handleMeta(event: H3Event, ctx: ServerContext): Promise<Response> {
  const session = sessionParam(event);
  const store = sessionStore(ctx);
  const loading = store.loading(session);
  if (loading && store.known(session)) {
    // Answer at once while a load runs; the page polls or waits for the `loaded` event.
    return jsonResponse(loadingAnswer(session, loading));
  }
  try {
    const { dataset: ds } = await store.get(session);
    const error = store.lastError(session);
    const answer: MetaAnswer = {
      session,
      status: 'ready',
      dataset_id: ds.id,
      path: ds.path,
      file_name: path.basename(ds.path),
      format: ds.format,
      gzip: ds.gzip,
      bytes: ds.bytes,
      rows: ds.rows,
      columns: ds.columns.map((c) => ({ name: c.name, dtype: c.dtype })),
      load_ms: Math.round(ds.loadMs * 10) / 10,
      loaded_at: ds.loadedAt,
      server_version: ctx.version,
      ...(error ? { last_error: { error_code: error.code, message: error.message, hint: error.hint } } : {}),
    };
    return jsonResponse(answer);
  } catch (err) {
    throw toApiError(err, ctx, 'Reading session metadata');
  }
}
