// GET /api/sessions/:id/stats[?limit=N]: per-column statistics and histograms (all columns, or the first N).

import type { H3, H3Event } from 'h3';
import { EngineError } from '../engine/errors.ts';
import { APPROX_DISTINCT_ABOVE_ROWS } from '../engine/stats.ts';
import type { ServerContext } from './context.ts';
import { jsonResponse } from './errors.ts';
import { sessionParam } from './load.ts';
import { sessionStore, toApiError } from './sessions.ts';

export function installStatsRoutes(app: H3, ctx: ServerContext): void {
  app.get('/api/sessions/:id/stats', (event) => handleStats(event, ctx));
}

async function handleStats(event: H3Event, ctx: ServerContext): Promise<Response> {
  const session = sessionParam(event);
  try {
    const loaded = await sessionStore(ctx).get(session);
    const ds = loaded.dataset;
    const limitRaw = event.url.searchParams.get('limit');
    let n = ds.columns.length;
    if (limitRaw !== null && limitRaw !== '') {
      const v = Number(limitRaw);
      if (!Number.isInteger(v) || v < 0) throw new EngineError('E_BAD_REQUEST', `limit must be a non-negative integer, got ${JSON.stringify(limitRaw)}.`);
      n = Math.min(v, n);
    }
    const t0 = performance.now();
    const columns = await loaded.stats.get(Array.from({ length: n }, (_, i) => i));
    return jsonResponse({
      session,
      dataset_id: ds.id,
      path: ds.path,
      rows: ds.rows,
      columns_total: ds.columns.length,
      distinct_approx: ds.rows > APPROX_DISTINCT_ABOVE_ROWS,
      wait_ms: Math.round(performance.now() - t0),
      columns,
    });
  } catch (err) {
    throw toApiError(err, ctx, 'Computing stats');
  }
}
