// The data routes' shared state: one session store per server, and the mapping from engine errors to the
// HTTP API's `{error_code, message, hint}`.

import { EngineError } from '../engine/errors.ts';
import { fileSessionRegistry } from '../engine/session-registry.ts';
import { createSessionStore, type LoadedDataset, type SessionStore } from '../engine/sessions.ts';
import { sessionsDir, runDir } from '../paths.ts';
import { openerWantsDirectLink, writeOpenerFile } from './access/opener-file.ts';
import { LINK_PARAM, OPENER_LINK_TTL_MS } from './access/view-links.ts';
import type { ServerContext } from './context.ts';
import { ApiError } from './errors.ts';

const stores = new WeakMap<ServerContext, SessionStore>();

export function sessionStore(ctx: ServerContext): SessionStore {
  let store = stores.get(ctx);
  if (!store) {
    store = createSessionStore(() => ctx.engine(), fileSessionRegistry(sessionsDir(ctx.env)), ctx.log.child('engine'));
    stores.set(ctx, store);
  }
  return store;
}

/** The dataset a data route reads: `?dataset=N` when the request names one (kept or gone), else what the session shows. */
export async function datasetFor(ctx: ServerContext, session: string, dataset: number | undefined): Promise<LoadedDataset> {
  const store = sessionStore(ctx);
  return dataset === undefined ? store.get(session) : store.dataset(session, dataset);
}

/** Engine errors keep their code, sentence and hint; anything else is logged and reported as internal. */
export function toApiError(err: unknown, ctx: ServerContext, what: string): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof EngineError) return new ApiError(err.status, err.code, err.message, err.hint);
  ctx.log.error(`${what} failed`, { error: err });
  const message = (err as Error)?.message?.split('\n')[0] ?? String(err);
  return new ApiError(500, 'E_INTERNAL', `${what} failed: ${message}`, `See the server log: ${ctx.log.file ?? 'server.log'}`);
}

/** The opener's own link, wrapped in a private file unless BUCKAROO_OPEN_LINK=direct (see access/opener-file.ts). */
export function openerUrl(ctx: ServerContext, session: string): string {
  const link = viewUrl(ctx, session, OPENER_LINK_TTL_MS);
  return openerWantsDirectLink(ctx.env) ? link : writeOpenerFile(runDir(ctx.env), link, OPENER_LINK_TTL_MS);
}

/** A single-use link to the session's page, valid for `ttlMs` (see access/view-links.ts). */
export function viewUrl(ctx: ServerContext, session: string, ttlMs: number): string {
  return `http://127.0.0.1:${ctx.port}/s/${session}?${LINK_PARAM}=${ctx.links.mint(session, ttlMs)}`;
}
