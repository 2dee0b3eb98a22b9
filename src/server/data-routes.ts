// The route groups that reach the engine (sessions, loads, windows, stats, queries, live events). start.ts
// imports this module only once the server listens: evaluating it (the engine's modules, their zod schemas)
// took longer than everything else before `listen`, and /health needs none of it.

import type { RouteInstaller } from './app.ts';
import { installCompareRoutes } from './compare.ts';
import { installEventRoutes } from './events.ts';
import { installLoadRoutes } from './load.ts';
import { installMetaRoutes } from './meta.ts';
import { installQueryRoutes } from './query.ts';
import { installRowsRoutes } from './rows.ts';
import { installStatsRoutes } from './stats.ts';

export const DATA_ROUTES: readonly RouteInstaller[] = [
  installEventRoutes,
  installLoadRoutes,
  installRowsRoutes,
  installStatsRoutes,
  installMetaRoutes,
  installQueryRoutes,
  installCompareRoutes,
];
