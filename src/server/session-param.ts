// The session a route names: `:id` of the data routes, `:session` of the page, `?session=` of the shared
// event stream. One rule (contract/session-id.ts) and one error for an id that breaks it.

import { getRouterParam, type H3Event } from 'h3';
import { SESSION_ID_RULE } from '../contract/session-id.ts';
import { ApiError } from './errors.ts';

/** The `:id` of a data route as sent; the session store answers E_UNKNOWN_SESSION for an id it cannot hold. */
export function sessionParam(event: H3Event, name = 'id'): string {
  return getRouterParam(event, name) ?? '';
}

export function badSessionError(): ApiError {
  return new ApiError(400, 'E_BAD_SESSION', SESSION_ID_RULE);
}
