// The one access check, run before every route: public paths pass, the page trades a single-use link for the
// browser cookie, and everything else — rows, stats, meta, events, /load, and any route added later — needs
// `Authorization: Bearer <token>` (the state file's) or the cookie.

import type { H3Event } from 'h3';
import { isValidSessionId } from '../../contract/session-id.ts';
import { tokensEqual } from '../../contract/state-file.ts';
import { ApiError } from '../errors.ts';
import type { BrowserCookie } from './browser-cookie.ts';
import { decidePage, routeAccess } from './decide.ts';
import { handOverResponse, refusalResponse, REOPEN_ASK, REOPEN_COMMAND } from './link-pages.ts';
import { LINK_PARAM, type ViewLinks } from './view-links.ts';

export interface AccessKeys {
  readonly token: string;
  readonly cookie: BrowserCookie;
  readonly links: ViewLinks;
}

export function hasBearer(event: H3Event, token: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(event.req.headers.get('authorization') ?? '');
  return match?.[1] !== undefined && tokensEqual(match[1].trim(), token);
}

function pageSession(pathname: string): string | undefined {
  try {
    return decodeURIComponent(pathname.slice('/s/'.length));
  } catch {
    return undefined;
  }
}

/** h3 middleware: returns a Response to answer in place of the route, or undefined to go on. */
export function checkAccess(event: H3Event, keys: AccessKeys): Response | undefined {
  const pathname = event.url.pathname;
  const access = routeAccess(pathname);
  if (access === 'public') return undefined;
  const credential = hasBearer(event, keys.token) || keys.cookie.presentIn(event.req.headers.get('cookie'));
  if (access === 'page') {
    const session = pageSession(pathname);
    // A malformed id gets the route's own 400; it names no data.
    if (!isValidSessionId(session)) return undefined;
    const nonce = event.url.searchParams.get(LINK_PARAM);
    const verdict = decidePage(credential, nonce === null ? undefined : keys.links.redeem(nonce, session));
    if (verdict.kind === 'serve') return undefined;
    if (verdict.kind === 'exchange') return handOverResponse(session, verdict.setCookie ? keys.cookie.header : undefined);
    return refusalResponse(verdict.why);
  }
  if (credential) return undefined;
  throw new ApiError(
    401,
    'E_UNAUTHORIZED',
    'This request needs a credential: Authorization: Bearer <token> from the server state file (~/.buckaroo/run/server-<port>.json), or the browser cookie a table link hands out.',
    `For a browser: ${REOPEN_ASK} ${REOPEN_COMMAND} for a new link.`,
  );
}
