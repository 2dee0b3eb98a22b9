// GET /api/sessions/:id/rows?offset&limit&sort&dir&search[&dataset]: a window of rows with `total` and `filtered`
// (of what the session shows, or of an earlier dataset it keeps).

import type { H3, H3Event } from 'h3';
import type { RowsAnswer } from '../contract/data-api.ts';
import { parseRowsQuery } from '../engine/rows.ts';
import type { ServerContext } from './context.ts';
import { jsonResponse } from './errors.ts';
import { datasetParam, sessionParam } from './session-param.ts';
import { datasetFor, toApiError } from './sessions.ts';

export function installRowsRoutes(app: H3, ctx: ServerContext): void {
  app.get('/api/sessions/:id/rows', (event) => handleRows(event, ctx));
}

async function handleRows(event: H3Event, ctx: ServerContext): Promise<Response> {
  const session = sessionParam(event);
  try {
    const loaded = await datasetFor(ctx, session, datasetParam(event));
    const q = parseRowsQuery(event.url.searchParams, loaded.dataset.columns.map((c) => c.name));
    const result = await loaded.rows.window(q);
    const answer: RowsAnswer = { session, dataset_id: loaded.dataset.id, ...result };
    return jsonResponse(answer);
  } catch (err) {
    throw toApiError(err, ctx, 'Reading rows');
  }
}
