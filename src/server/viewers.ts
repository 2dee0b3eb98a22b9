// Which viewer pages are connected (over SSE) to which session. /load asks it whether a page will refresh
// in place; the idle timer asks whether anyone is still looking. The SSE route feeds it.

export interface ViewerHub {
  /** Pages of this session connected right now. */
  connected(session: string): number;
  /** Pages connected to any session. */
  total(): number;
  /** Sends an event to every page of the session. */
  publish(session: string, event: string, data: unknown): void;
  /** Registers a page; returns the function that unregisters it. */
  add(session: string, send: (event: string, data: unknown) => void): () => void;
}

export function createViewerHub(): ViewerHub {
  const pages = new Map<string, Set<(event: string, data: unknown) => void>>();
  return {
    connected: (session) => pages.get(session)?.size ?? 0,
    total: () => [...pages.values()].reduce((n, s) => n + s.size, 0),
    publish(session, event, data) {
      for (const send of pages.get(session) ?? []) send(event, data);
    },
    add(session, send) {
      let set = pages.get(session);
      if (!set) pages.set(session, (set = new Set()));
      set.add(send);
      return () => {
        set.delete(send);
        if (set.size === 0) pages.delete(session);
      };
    },
  };
}
