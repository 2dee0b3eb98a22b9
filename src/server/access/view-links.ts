// Single-use, short-lived links to a session's page (`/s/<session>?link=<nonce>`). A link is what the OS
// opener and the agent get instead of a credential: whoever opens it first receives the browser cookie, after
// which the link is worthless, so a copy seen on the process list or in a transcript later opens nothing.

import crypto from 'node:crypto';

/** The opener's link: the browser opens it within seconds; a slow cold start of a browser fits easily. */
export const OPENER_LINK_TTL_MS = 2 * 60_000;
/** The agent's link: the person may read the agent's answer a while later. */
export const AGENT_LINK_TTL_MS = 30 * 60_000;
/** Used and expired links are remembered this long, so reopening one says "used" rather than "unknown". */
const FORGET_AFTER_MS = 24 * 60 * 60_000;
/** A bound on memory if something mints links in a loop. */
const MAX_LINKS = 10_000;

export const LINK_PARAM = 'link';

export type LinkState = 'ok' | 'used' | 'expired' | 'unknown';

interface LinkEntry {
  session: string;
  expiresMs: number;
  used: boolean;
}

export interface ViewLinks {
  /** A fresh nonce for `session`, valid for `ttlMs`. */
  mint(session: string, ttlMs: number): string;
  /** Uses the nonce up (when it is valid for `session`) and says what it was. */
  redeem(nonce: string, session: string): LinkState;
}

export function createViewLinks(now: () => number = Date.now): ViewLinks {
  const links = new Map<string, LinkEntry>();
  const prune = (): void => {
    const t = now();
    for (const [nonce, e] of links) if (e.expiresMs + FORGET_AFTER_MS < t) links.delete(nonce);
    // Maps iterate in insertion order: the oldest go first.
    for (const nonce of links.keys()) {
      if (links.size < MAX_LINKS) break;
      links.delete(nonce);
    }
  };
  return {
    mint(session, ttlMs) {
      prune();
      const nonce = crypto.randomBytes(24).toString('base64url');
      links.set(nonce, { session, expiresMs: now() + ttlMs, used: false });
      return nonce;
    },
    redeem(nonce, session) {
      const e = links.get(nonce);
      if (!e || e.session !== session) return 'unknown';
      if (e.used) return 'used';
      if (now() > e.expiresMs) return 'expired';
      e.used = true;
      return 'ok';
    },
  };
}
