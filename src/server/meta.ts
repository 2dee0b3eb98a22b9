// GET /api/sessions/:id/meta: what a session shows (file, format, rows, columns) and whether a load is
// running (with DuckDB's progress), for the viewer page and for view_data's progress notifications. With
// `?dataset=N`, that dataset's meta whatever runs now (the chat app's older instances).

import fs from 'node:fs';
import path from 'node:path';
import type { H3, H3Event } from 'h3';
import type { MetaAnswer, PreviewAnswer } from '../contract/data-api.ts';
import { PREVIEW_ROWS, type NoPreview } from '../engine/preview.ts';
import type { LoadProgress } from '../engine/sessions.ts';
import type { ServerContext } from './context.ts';
import { ApiError, jsonResponse } from './errors.ts';
import { datasetParam, sessionParam } from './session-param.ts';
import { datasetFor, sessionStore, toApiError } from './sessions.ts';

export function installMetaRoutes(app: H3, ctx: ServerContext): void {
  app.get('/api/sessions/:id/meta', (event) => handleMeta(event, ctx));
  app.get('/api/sessions/:id/preview', (event) => handlePreview(event, ctx));
}

const NO_PREVIEW: Record<NoPreview, string> = {
  format: 'Only CSV and TSV files are previewed; this one shows when its load completes.',
  encoding: 'Files not in UTF-8 are decoded before they are read, so this one shows when its load completes.',
};

/** The first rows of the file a load is reading, before it completes (engine/preview.ts). */
async function handlePreview(event: H3Event, ctx: ServerContext): Promise<Response> {
  const session = sessionParam(event);
  const loading = sessionStore(ctx).loading(session);
  if (!loading) throw new ApiError(409, 'E_NOT_LOADING', 'No load is running in this session.', 'Read its rows: /api/sessions/<id>/rows.');
  try {
    const p = await loading.preview();
    if ('none' in p) throw new ApiError(409, 'E_NO_PREVIEW', NO_PREVIEW[p.none]);
    const answer: PreviewAnswer = { session, path: loading.path, preview: true, columns: p.columns, rows: p.rows, preview_rows: PREVIEW_ROWS };
    return jsonResponse(answer);
  } catch (err) {
    throw toApiError(err, ctx, `Previewing ${loading.path}`);
  }
}

/** The file's size, for progress in bytes; null if it cannot be read now (the load will say why). */
async function fileBytes(file: string): Promise<number | null> {
  try {
    return (await fs.promises.stat(file)).size;
  } catch {
    return null;
  }
}

async function loadingAnswer(session: string, p: LoadProgress): Promise<MetaAnswer> {
  const percent = p.percent();
  const elapsed = Date.now() - p.startedMs;
  const bytes = await fileBytes(p.path);
  return {
    session,
    status: 'loading',
    loading: {
      path: p.path,
      percent,
      elapsed_ms: elapsed,
      bytes,
      bytes_read: bytes === null || percent === null ? null : Math.round((bytes * percent) / 100),
      eta_ms: percent === null || percent <= 0 ? null : Math.round((elapsed * (100 - percent)) / percent),
    },
  };
}

async function handleMeta(event: H3Event, ctx: ServerContext): Promise<Response> {
  const session = sessionParam(event);
  const store = sessionStore(ctx);
  const dataset = datasetParam(event);
  const loading = store.loading(session);
  if (dataset === undefined && loading && store.known(session)) {
    // Answer at once while a load runs; the page polls or waits for the `loaded` event.
    return jsonResponse(await loadingAnswer(session, loading));
  }
  try {
    const { dataset: ds } = await datasetFor(ctx, session, dataset);
    const error = store.lastError(session);
    const answer: MetaAnswer = {
      session,
      status: 'ready',
      dataset_id: ds.id,
      path: ds.path,
      file_name: ds.sql === undefined ? path.basename(ds.path) : 'query result',
      format: ds.format,
      gzip: ds.gzip,
      bytes: ds.bytes,
      rows: ds.rows,
      columns: ds.columns.map((c) => ({ name: c.name, dtype: c.dtype })),
      load_ms: Math.round(ds.loadMs * 10) / 10,
      loaded_at: ds.loadedAt,
      server_version: ctx.version,
      ...(ds.sql === undefined ? {} : { sql: ds.sql }),
      ...(error ? { last_error: { error_code: error.code, message: error.message, hint: error.hint } } : {}),
    };
    return jsonResponse(answer);
  } catch (err) {
    throw toApiError(err, ctx, 'Reading session metadata');
  }
}
