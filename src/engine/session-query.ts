// query_data's producer for the session store: the SQL over the session's tables (query.ts) becomes what the
// session shows; the log says where each query's time went.

import type { Logger } from '../log.ts';
import { runQueryDataset } from './query.ts';
import type { Produce } from './session-types.ts';

export interface QueryRequest {
  session: string;
  sql: string;
  timeoutMs: number | undefined;
  log: Logger;
}

export function queryProducer(o: QueryRequest): Produce {
  return {
    label: 'the query',
    statsAfterAnswer: true,
    produce: async (c, nextId, s) => {
      const onSteps = (steps: Record<string, number>): void => o.log.info('query steps', { session: o.session, ...steps });
      return { dataset: await runQueryDataset(c, { id: nextId(), sql: o.sql, views: s.views, tables: s.tables.list(), timeoutMs: o.timeoutMs, onSteps }), files: [] };
    },
  };
}
