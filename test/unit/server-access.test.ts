// server/access: who reaches which route, what a page request with a link gets, and the links' own rules.

import { describe, expect, it } from 'vitest';
import { browserCookie } from '../../src/server/access/browser-cookie.ts';
import { decidePage, routeAccess } from '../../src/server/access/decide.ts';
import { createViewLinks } from '../../src/server/access/view-links.ts';
import { entryIsFresh, REGISTRY_ENTRY_TTL_MS } from '../../src/engine/session-registry.ts';

describe('route access', () => {
  it('protects every route but the short public list', () => {
    for (const p of ['/', '/health', '/diagnostics', '/assets/viewer-abc.js']) expect(routeAccess(p), p).toBe('public');
    expect(routeAccess('/s/abcdefgh')).toBe('page');
    for (const p of ['/api/sessions/x/rows', '/api/events', '/load', '/shutdown', '/api/sessions/x/query', '/anything-new', '/healthz', '/assets']) {
      expect(routeAccess(p), p).toBe('credential');
    }
  });

  it('trades a good link for the cookie and refuses a bad one without a credential', () => {
    expect(decidePage(true, undefined)).toEqual({ kind: 'serve' });
    expect(decidePage(false, undefined)).toEqual({ kind: 'refuse', why: 'no-credential' });
    expect(decidePage(false, 'ok')).toEqual({ kind: 'exchange', setCookie: true });
    expect(decidePage(true, 'ok')).toEqual({ kind: 'exchange', setCookie: false });
    for (const bad of ['used', 'expired', 'unknown'] as const) {
      expect(decidePage(false, bad)).toEqual({ kind: 'refuse', why: bad });
      expect(decidePage(true, bad)).toEqual({ kind: 'exchange', setCookie: false });
    }
  });
});

describe('view links', () => {
  it('opens once for its own session until it expires', () => {
    let now = 1_000;
    const links = createViewLinks(() => now);
    const a = links.mint('session-a', 100);
    expect(links.redeem(a, 'session-b')).toBe('unknown');
    expect(links.redeem(a, 'session-a')).toBe('ok');
    expect(links.redeem(a, 'session-a')).toBe('used');
    const b = links.mint('session-a', 100);
    now += 101;
    expect(links.redeem(b, 'session-a')).toBe('expired');
    expect(links.redeem('made-up', 'session-a')).toBe('unknown');
  });
});

describe('the browser cookie', () => {
  it('is named by port and found only with its exact value', () => {
    const c = browserCookie(Buffer.alloc(32, 7), 9871);
    expect(c.header).toBe(`buckaroo_table_9871=${c.value}; Path=/; HttpOnly; SameSite=Strict`);
    expect(c.presentIn(`a=b; buckaroo_table_9871=${c.value}`)).toBe(true);
    expect(c.presentIn(`buckaroo_table_9872=${c.value}`)).toBe(false);
    expect(c.presentIn(`buckaroo_table_9871=${c.value}x`)).toBe(false);
    expect(c.presentIn(undefined)).toBe(false);
    expect(browserCookie(Buffer.alloc(32, 8), 9871).value).not.toBe(c.value);
  });
});

describe('session registry entries', () => {
  it('expire after the ttl and never trust a date far ahead', () => {
    const now = Date.parse('2026-11-29T12:00:00Z');
    expect(entryIsFresh('2026-11-29T11:00:00Z', now)).toBe(true);
    expect(entryIsFresh(new Date(now - REGISTRY_ENTRY_TTL_MS - 1).toISOString(), now)).toBe(false);
    expect(entryIsFresh('2099-01-01T00:00:00Z', now)).toBe(false);
    expect(entryIsFresh('not a date', now)).toBe(false);
  });
});
