// The page's live connection to the server (server-sent events). It reports who answered (version, pid),
// the agent's loads into this session, and when the server went away; it keeps trying to come back, so a
// server that is replaced (upgrade, crash + restart on the same port) picks the page up again.

export interface ServerIdentity {
  version: string;
  pid: number;
}

export interface ConnectionHandlers {
  /** Connected (or reconnected); `previous` is the server seen before, if any. */
  onHello(server: ServerIdentity, previous: ServerIdentity | undefined): void;
  /** The agent loaded data into this session. */
  onLoaded(data: unknown): void;
  /** A load into this session has begun or progressed. */
  onLoading(data: unknown): void;
  /** A load into this session failed; data carries the server's message. */
  onLoadFailed(data: unknown): void;
  /** The connection dropped; `since` is when it was last up. */
  onLost(since: number): void;
}

/** First retry after the connection drops, then doubling up to the maximum. */
const RECONNECT_FIRST_MS = 250;
const RECONNECT_MAX_MS = 2_000;

function parse(e: MessageEvent): unknown {
  try {
    return JSON.parse(String(e.data));
  } catch {
    return undefined;
  }
}

export function connect(url: string, h: ConnectionHandlers): { close(): void } {
  let es: EventSource | undefined;
  let server: ServerIdentity | undefined;
  let delay = RECONNECT_FIRST_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lostSince: number | undefined;
  let closed = false;

  const open = (): void => {
    timer = undefined;
    es = new EventSource(url);
    es.addEventListener('hello', (e) => {
      const d = parse(e as MessageEvent) as Partial<ServerIdentity> | undefined;
      const now: ServerIdentity = { version: String(d?.version ?? '?'), pid: Number(d?.pid ?? 0) };
      const previous = server;
      server = now;
      delay = RECONNECT_FIRST_MS;
      lostSince = undefined;
      h.onHello(now, previous);
    });
    es.addEventListener('loaded', (e) => h.onLoaded(parse(e as MessageEvent)));
    es.addEventListener('loading', (e) => h.onLoading(parse(e as MessageEvent)));
    es.addEventListener('load_failed', (e) => h.onLoadFailed(parse(e as MessageEvent)));
    es.onerror = () => {
      if (closed) return;
      lostSince ??= Date.now();
      h.onLost(lostSince);
      // The browser retries by itself while CONNECTING; after a refusal or an HTTP error it gives up (CLOSED),
      // so we take over with our own backoff. Either way a fresh EventSource gets a fresh hello.
      es?.close();
      if (!timer) {
        timer = setTimeout(open, delay);
        delay = Math.min(RECONNECT_MAX_MS, delay * 2);
      }
    };
  };
  open();
  return {
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      es?.close();
    },
  };
}
