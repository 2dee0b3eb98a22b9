// Wires the server process together: embedded assets, route groups and the background checks, then runs it.

import { installLoadRoutes } from './load.ts';
import { installMetaRoutes } from './meta.ts';
import { installRowsRoutes } from './rows.ts';
import { runServer, type RunningServer } from './run.ts';
import { installStatsRoutes } from './stats.ts';

export interface StartOptions {
  port: number;
  noBrowser: boolean;
  idleTimeoutArg?: string;
}

export async function startServerProcess(opts: StartOptions): Promise<RunningServer> {
  return runServer({ port: opts.port, noBrowser: opts.noBrowser, installers: [installLoadRoutes, installRowsRoutes, installStatsRoutes, installMetaRoutes] });
}
