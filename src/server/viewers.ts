// Which viewer pages are connected (over SSE) to which session. /load asks it whether a page will refresh
// in place; the idle timer asks whether anyone is still looking. The SSE route feeds it.
//
// A page's stream can drop for a moment while the page stays open: the tab holding the shared stream closes
// and another tab takes it over (tens of ms), or the person reloads the page. A load landing in that gap
// must not open a second tab for a session that is still on screen, so a session whose last page left less
// than REJOIN_GRACE_MS ago is waited for (rejoined) before /load decides.

import type { SessionEventName, SessionEvents } from '../contract/live-events.ts';

/** How long after a session's last page left a load still waits for a page to come back. */
export const REJOIN_GRACE_MS = 1_500;

export interface ViewerHub {
  /** Pages of this session connected right now. */
  connected(session: string): number;
  /**
   * True when a page of the session is connected now, or connects within what is left of the rejoin grace
   * (the session's last page left less than REJOIN_GRACE_MS ago). False at once for a session nobody watched.
   */
  rejoined(session: string): Promise<boolean>;
  /** Pages connected to any session. */
  total(): number;
  /** Sends an event to every page of the session. */
  publish<K extends SessionEventName>(session: string, event: K, data: SessionEvents[K]): void;
  /** Registers a page; returns the function that unregisters it. */
  add(session: string, send: (event: string, data: unknown) => void): () => void;
}

export function createViewerHub(graceMs = REJOIN_GRACE_MS, now: () => number = Date.now): ViewerHub {
  const pages = new Map<string, Set<(event: string, data: unknown) => void>>();
  /** When each session's last page left, while that is within the grace. */
  const left = new Map<string, number>();
  const waiters = new Map<string, Set<() => void>>();
  const connected = (session: string): number => pages.get(session)?.size ?? 0;
  return {
    connected,
    rejoined(session) {
      if (connected(session) > 0) return Promise.resolve(true);
      const since = left.get(session);
      const remaining = since === undefined ? 0 : since + graceMs - now();
      if (remaining <= 0) return Promise.resolve(false);
      return new Promise<boolean>((resolve) => {
        let set = waiters.get(session);
        if (!set) waiters.set(session, (set = new Set()));
        const done = (): void => {
          clearTimeout(timer);
          set.delete(done);
          if (set.size === 0) waiters.delete(session);
          resolve(connected(session) > 0);
        };
        const timer = setTimeout(done, remaining);
        set.add(done);
      });
    },
    total: () => [...pages.values()].reduce((n, s) => n + s.size, 0),
    publish(session, event, data) {
      for (const send of pages.get(session) ?? []) send(event, data);
    },
    add(session, send) {
      let set = pages.get(session);
      if (!set) pages.set(session, (set = new Set()));
      set.add(send);
      left.delete(session);
      for (const wake of [...(waiters.get(session) ?? [])]) wake();
      return () => {
        set.delete(send);
        if (set.size > 0) return;
        pages.delete(session);
        const at = now();
        left.set(session, at);
        // Forget it once the grace is over, so the map does not grow with every session ever viewed.
        setTimeout(() => left.get(session) === at && left.delete(session), graceMs).unref();
      };
    },
  };
}
