// Wires the server process together: embedded assets, route groups and the background checks, then runs it.
// The data routes (data-routes.ts) are evaluated after the server listens, and DuckDB is opened after them.

import { isCompiledBinary } from '../os/compiled-binary.ts';
import { createLifetime, parseIdleTimeout } from './lifetime.ts';
import { runServer, type RunningServer } from './run.ts';
import { loadWebAssets } from './web-assets.ts';
import { installWebRoutes } from './web.ts';

export interface StartOptions {
  port: number;
  noBrowser: boolean;
  idleTimeoutArg?: string;
}

export async function startServerProcess(opts: StartOptions): Promise<RunningServer> {
  const web = loadWebAssets();
  const lifetime = createLifetime({ idleMs: parseIdleTimeout(opts.idleTimeoutArg), env: process.env, executable: ownExecutable() });
  const running = await runServer({
    port: opts.port,
    noBrowser: opts.noBrowser,
    assets: web.list,
    installers: [installWebRoutes(web)],
    lateInstallers: async () => (await import('./data-routes.ts')).DATA_ROUTES,
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
