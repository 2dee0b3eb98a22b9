// The session a route names: `:id` of the data routes, `:session` of the page, `?session=` of the shared
// event stream. One rule (contract/session-id.ts) and one error for an id that breaks it.

import { getRouterParam, type H3Event } from 'h3';
import { SESSION_ID_RULE } from '../contract/session-id.ts';
import { ApiError } from './errors.ts';

/** The `:id` of a data route as sent; the session store answers E_UNKNOWN_SESSION for an id it cannot hold. */
export function sessionParam(event: H3Event, name = 'id'): string {
  return getRouterParam(event, name) ?? '';
}

/**
 * `?dataset=N`: the dataset an older view (a chat app instance) reads instead of what the session shows now;
 * undefined when not asked for.
 */
export function datasetParam(event: H3Event): number | undefined {
  const raw = event.url.searchParams.get('dataset');
  if (raw === null || raw === '') return undefined;
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id < 0) throw new ApiError(400, 'E_BAD_REQUEST', `dataset must be a dataset id (an integer), got ${JSON.stringify(raw)}.`);
  return id;
}

export function badSessionError(): ApiError {
  return new ApiError(400, 'E_BAD_SESSION', SESSION_ID_RULE);
}
