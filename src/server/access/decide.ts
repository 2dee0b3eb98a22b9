// Who may reach what, decided from facts alone (unit-tested): every route needs a credential — the bearer
// token of the state file or the browser cookie — unless it is on the short public list. New routes are
// therefore protected without anyone remembering to protect them.

import type { LinkState } from './view-links.ts';

/** Say nothing about any file or session: liveness, install checks, the landing page, the page's own code. */
const PUBLIC_PATHS = new Set(['/', '/health', '/diagnostics']);
const PUBLIC_PREFIXES = ['/assets/'];
/** The viewer page: it may also be reached with a single-use link, which it trades for the cookie. */
const PAGE_PREFIX = '/s/';

export type RouteAccess = 'public' | 'page' | 'credential';

export function routeAccess(pathname: string): RouteAccess {
  if (PUBLIC_PATHS.has(pathname) || PUBLIC_PREFIXES.some((p) => pathname.startsWith(p))) return 'public';
  if (pathname.startsWith(PAGE_PREFIX)) return 'page';
  return 'credential';
}

/** What a request for the page gets: the page, the cookie trade (then the clean URL), or a page saying why not. */
export type PageVerdict =
  | { kind: 'serve' }
  | { kind: 'exchange'; setCookie: boolean }
  | { kind: 'refuse'; why: 'no-credential' | Exclude<LinkState, 'ok'> };

/** `link` is undefined when the URL carries none; otherwise what redeeming it said. */
export function decidePage(hasCredential: boolean, link: LinkState | undefined): PageVerdict {
  if (link === undefined) return hasCredential ? { kind: 'serve' } : { kind: 'refuse', why: 'no-credential' };
  if (link === 'ok') return { kind: 'exchange', setCookie: !hasCredential };
  // A used or stale link in a browser that holds the cookie already (reopened from history): just show it.
  return hasCredential ? { kind: 'exchange', setCookie: false } : { kind: 'refuse', why: link };
}
