// GET /api/sessions/:id/stats[?limit=N][&dataset=N]: per-column statistics and histograms (all columns, or the
// first N) of what the session shows, or of an earlier dataset it keeps.

import type { H3, H3Event } from 'h3';
import type { ColumnStats, StatsAnswer } from '../contract/data-api.ts';
import { isDistinctApprox } from '../contract/data-limits.ts';
import { EngineError } from '../engine/errors.ts';
import type { LoadedDataset } from '../engine/sessions.ts';
import { StatsInterruptedError } from '../engine/stats.ts';
import type { ServerContext } from './context.ts';
import { jsonResponse } from './errors.ts';
import { datasetParam, sessionParam } from './session-param.ts';
import { clipColumnText } from './stats-clip.ts';
import { datasetFor, sessionStore, toApiError } from './sessions.ts';

/** A load into the session interrupts its stats; the request then answers for the new file (or, if that load
 * failed, asks the old one again). */
const REPLACED_RETRIES = 2;

export function installStatsRoutes(app: H3, ctx: ServerContext): void {
  app.get('/api/sessions/:id/stats', (event) => handleStats(event, ctx));
}

function parseLimit(raw: string | null, columns: number): number {
  if (raw === null || raw === '') return columns;
  const v = Number(raw);
  if (!Number.isSafeInteger(v) || v < 0) throw new EngineError('E_BAD_REQUEST', `limit must be a non-negative integer, got ${JSON.stringify(raw)}.`);
  return Math.min(v, columns);
}

async function handleStats(event: H3Event, ctx: ServerContext): Promise<Response> {
  const session = sessionParam(event);
  const store = sessionStore(ctx);
  const dataset = datasetParam(event);
  try {
    const t0 = performance.now();
    let loaded: LoadedDataset = await datasetFor(ctx, session, dataset);
    let columns: ColumnStats[];
    for (let attempt = 0; ; attempt++) {
      const n = parseLimit(event.url.searchParams.get('limit'), loaded.dataset.columns.length);
      try {
        columns = (await loaded.stats.get(Array.from({ length: n }, (_, i) => i))).map(clipColumnText);
        break;
      } catch (err) {
        // A dataset asked for by id was only paused by a load: once that is over, its stats resume.
        if (dataset !== undefined) await store.idle(session);
        const now = await datasetFor(ctx, session, dataset);
        // Interrupted by a load that failed: the same dataset's stats can be asked for again.
        if ((now === loaded && !(err instanceof StatsInterruptedError)) || attempt >= REPLACED_RETRIES) throw err;
        loaded = now;
      }
    }
    const ds = loaded.dataset;
    const answer: StatsAnswer = {
      session,
      dataset_id: ds.id,
      path: ds.path,
      rows: ds.rows,
      columns_total: ds.columns.length,
      distinct_approx: isDistinctApprox(ds.rows),
      wait_ms: Math.round(performance.now() - t0),
      columns,
    };
    return jsonResponse(answer);
  } catch (err) {
    throw toApiError(err, ctx, 'Computing stats');
  }
}
