// Server mode: bind 127.0.0.1, write the state file, print the ready line, then serve until /shutdown,
// SIGTERM/SIGINT or an idle/stale check says stop. Exits within SHUTDOWN_EXIT_DEADLINE_MS of the request.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { toNodeHandler } from 'h3/node';
import { ensureRunDir, newToken, removeStateFileIfOurs, writeStateFile } from '../contract/state-file.ts';
import { browserCookie, loadBrowserKey, type BrowserCookie } from './access/browser-cookie.ts';
import { createViewLinks } from './access/view-links.ts';
import type { Engine } from '../engine/duckdb.ts';
import { fileLogger, type Logger } from '../log.ts';
import { processStartTime } from '../os/process-info.ts';
import { serverLogPath, stateFilePath, type Env } from '../paths.ts';
import { PROTOCOL, VERSION } from '../version.ts';
import { createApp, type RouteInstaller } from './app.ts';
import type { EmbeddedAsset, ServerContext } from './context.ts';
import { createViewerHub } from './viewers.ts';
import { envFlag } from '../config.ts';

/** After a stop is requested, the process is gone by this deadline even if something hangs. */
const SHUTDOWN_EXIT_DEADLINE_MS = 400;

export class PortInUseError extends Error {
  readonly code = 'E_PORT_IN_USE';
}

export interface ServerOptions {
  port: number;
  noBrowser: boolean;
  env?: Env;
  stdout?: NodeJS.WritableStream;
  exe?: string;
  assets?: readonly EmbeddedAsset[];
  installers?: readonly RouteInstaller[];
  /**
   * Route groups whose modules are evaluated only once the server listens (see data-routes.ts); until they are
   * installed, every request but GET /health waits for them.
   */
  lateInstallers?: () => Promise<readonly RouteInstaller[]>;
  /** Called once a stop has begun, before exit (engine close, SSE streams, timers). */
  onStop?: (reason: string) => void;
  /** Called as each request arrives (the idle timer counts requests in flight). */
  onRequest?: (req: http.IncomingMessage, res: http.ServerResponse) => void;
}

export interface RunningServer {
  ctx: ServerContext;
  server: http.Server;
  /** Resolves once the late route groups are installed (or failed to load: then logged, and they answer 404). */
  routesReady: Promise<void>;
  stop(reason: string): void;
}

/** The one request served before the late routes exist: what a client polls while the server starts. */
const isHealthProbe = (req: http.IncomingMessage): boolean => req.method === 'GET' && req.url === '/health';

export async function runServer(opts: ServerOptions): Promise<RunningServer> {
  const env = opts.env ?? process.env;
  const log: Logger = fileLogger(serverLogPath(env), 'server');
  const startedMs = Date.now();
  let enginePromise: Promise<Engine> | undefined;
  let stopping = false;
  let server: http.Server | undefined;
  let boundPort = opts.port;
  // Before anything is written: refuses a BUCKAROO_HOME another user could have planted files in.
  const browserKey = loadBrowserKey(ensureRunDir(env));
  let cookie: BrowserCookie | undefined;

  const ctx: ServerContext = {
    version: VERSION,
    protocol: PROTOCOL,
    pid: process.pid,
    get port() {
      return boundPort;
    },
    token: newToken(),
    get cookie() {
      // Named by port, so known only once bound (--port 0).
      cookie ??= browserCookie(browserKey, boundPort);
      return cookie;
    },
    links: createViewLinks(),
    started: new Date(startedMs).toISOString(),
    startedMs,
    exe: opts.exe ?? process.execPath,
    env,
    log,
    get stateFile() {
      return stateFilePath(boundPort, env);
    },
    assets: opts.assets ?? [],
    viewers: createViewerHub(),
    noBrowser: opts.noBrowser || envFlag(env, 'BUCKAROO_NO_BROWSER'),
    engine() {
      enginePromise ??= import('../engine/duckdb.ts').then((m) => m.openEngine(env));
      enginePromise.catch((err: unknown) => log.error('DuckDB failed to open', { error: err }));
      return enginePromise;
    },
    requestShutdown: (reason: string) => stop(reason),
  };

  const stop = (reason: string): void => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { reason });
    const deadline = setTimeout(() => process.exit(0), SHUTDOWN_EXIT_DEADLINE_MS);
    deadline.unref();
    removeStateFileIfOurs(boundPort, process.pid, env);
    try {
      opts.onStop?.(reason);
    } catch (err) {
      log.warn('onStop failed', { error: err });
    }
    server?.close();
    server?.closeAllConnections();
    void enginePromise?.then((e) => e.close()).catch(() => {});
    // Give in-flight responses a moment to flush, then leave.
    setTimeout(() => process.exit(0), 50).unref();
  };

  const app = createApp(ctx, opts.installers ?? []);
  const handler = toNodeHandler(app);
  let routesInstalled = opts.lateInstallers === undefined;
  let markRoutesReady = (): void => {};
  const routesReady = new Promise<void>((resolve) => (markRoutesReady = resolve));
  server = http.createServer((req, res) => {
    opts.onRequest?.(req, res);
    if (routesInstalled || isHealthProbe(req)) return handler(req, res);
    return routesReady.then(() => handler(req, res));
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server!.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') {
        reject(new PortInUseError(`Port ${opts.port} on 127.0.0.1 is already in use. Choose another with --port N or BUCKAROO_PORT.`));
      } else reject(err);
    });
    server!.listen(opts.port, '127.0.0.1', () => resolve());
  });
  boundPort = (server.address() as AddressInfo).port;

  writeStateFile(
    {
      pid: process.pid,
      port: boundPort,
      version: VERSION,
      protocol: PROTOCOL,
      token: ctx.token,
      started: ctx.started,
      start_time: processStartTime(process.pid),
      exe: ctx.exe,
    },
    env,
  );
  log.info('listening', { port: boundPort, version: VERSION, pid: process.pid, exe: ctx.exe });

  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGHUP', () => stop('SIGHUP'));

  (opts.stdout ?? process.stdout).write(`BUCKAROO_PORT=${boundPort}\n`);
  void (opts.lateInstallers?.() ?? Promise.resolve([]))
    .then((installers) => installers.forEach((install) => install(app, ctx)))
    .catch((err: unknown) => log.error('route groups failed to load', { error: err }))
    .finally(() => {
      routesInstalled = true;
      markRoutesReady();
    });
  return { ctx, server, routesReady, stop };
}
