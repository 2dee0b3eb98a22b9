// The h3 application: guards first, then one route group per file. Errors of every kind leave as JSON
// `{error_code, message}`.

import { H3, HTTPError, type H3Event } from 'h3';
import type { ServerContext } from './context.ts';
import { diagnosticsBody } from './diagnostics.ts';
import { ApiError, errorResponse, jsonResponse } from './errors.ts';
import { checkAccess } from './access/guard.ts';
import { checkHost, checkOrigin } from './guards.ts';
import { healthBody } from './health.ts';
import { handleShutdown } from './shutdown.ts';

/** Route groups added by later features register themselves through this hook. */
export type RouteInstaller = (app: H3, ctx: ServerContext) => void;

export function createApp(ctx: ServerContext, installers: readonly RouteInstaller[] = []): H3 {
  const app = new H3({
    // h3 prints every error that is not its own HTTPError (our ApiErrors included) with a stack to stderr, the
    // server log: a wrong session id would read like a crash. toErrorResponse logs the real faults (5xx).
    silent: true,
    onError: (error: HTTPError, event: H3Event) => toErrorResponse(error, event, ctx),
  });
  app.use((event) => {
    checkHost(event.req.headers.get('host'), ctx.port);
    checkOrigin(event.req.method, event.req.headers.get('origin'), ctx.port);
    return checkAccess(event, ctx);
  });
  app.get('/health', () => jsonResponse(healthBody(ctx)));
  app.get('/diagnostics', async () => jsonResponse(await diagnosticsBody(ctx)));
  app.post('/shutdown', (event) => handleShutdown(event, ctx));
  for (const install of installers) install(app, ctx);
  return app;
}

function toErrorResponse(error: HTTPError, event: H3Event, ctx: ServerContext): Response {
  const cause = error.cause;
  if (cause instanceof ApiError) return errorResponse(cause);
  if ((error as unknown) instanceof ApiError) return errorResponse(error as unknown as ApiError);
  if (error.status === 404) {
    return errorResponse(new ApiError(404, 'E_NOT_FOUND', `No route for ${event.req.method} ${new URL(event.req.url).pathname}.`));
  }
  if (error.status >= 500) ctx.log.error('request failed', { url: event.req.url, error: cause ?? error });
  return errorResponse(new ApiError(error.status, error.status >= 500 ? 'E_INTERNAL' : 'E_BAD_REQUEST', error.message));
}
