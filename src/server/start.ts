// Wires the server process together: embedded assets, route groups and the background checks, then runs it.

import type { RouteInstaller } from './app.ts';
import { installEventRoutes } from './events.ts';
import { isCompiledBinary } from '../os/compiled-binary.ts';
import { createLifetime, parseIdleTimeout } from './lifetime.ts';
import { runServer, type RunningServer } from './run.ts';
import { loadWebAssets } from './web-assets.ts';
import { installLoadRoutes } from './load.ts';
import { installCompareRoutes } from './compare.ts';
import { installMetaRoutes } from './meta.ts';
import { installQueryRoutes } from './query.ts';
import { installRowsRoutes } from './rows.ts';
import { installStatsRoutes } from './stats.ts';
import { installWebRoutes } from './web.ts';

export interface StartOptions {
  port: number;
  noBrowser: boolean;
  idleTimeoutArg?: string;
}

export async function startServerProcess(opts: StartOptions): Promise<RunningServer> {
  const web = loadWebAssets();
  const installers: RouteInstaller[] = [installWebRoutes(web), installEventRoutes, installLoadRoutes, installRowsRoutes, installStatsRoutes, installMetaRoutes, installQueryRoutes, installCompareRoutes];
  const lifetime = createLifetime({ idleMs: parseIdleTimeout(opts.idleTimeoutArg), env: process.env, executable: ownExecutable() });
  const running = await runServer({
    port: opts.port,
    noBrowser: opts.noBrowser,
    assets: web.list,
    installers,
    onRequest: lifetime.onRequest,
    onStop: () => lifetime.dispose(),
  });
  lifetime.attach(running);
  if (web.problem) running.ctx.log.error('viewer assets missing', { problem: web.problem, source: web.source });
  return running;
}

/** The file this process runs from: the SEA binary itself, or the bundle under `node buckaroo-table.cjs`. */
function ownExecutable(): string {
  return isCompiledBinary() || !process.argv[1] ? process.execPath : process.argv[1];
}
