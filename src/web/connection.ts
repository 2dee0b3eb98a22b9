// The page's live connection to the server (server-sent events): who answered (version, pid), the agent's
// loads into this session, and when the server went away; it keeps trying to come back, so a server that is
// replaced (upgrade, crash + restart on the same port) picks the page up again. It reports what it hears as
// events; what they mean for the page (a restart, a reload) is decided in page-state.ts.
//
// A browser opens at most six HTTP/1.1 connections per host, and every open stream holds one: six viewer tabs
// with a stream each would leave a seventh blank. So the tabs of this origin elect one leader (Web Locks); the
// leader holds a single stream for every tab's session (`/api/events?session=…`) and relays what arrives over
// a BroadcastChannel. The visible tab leads; when the leader tab closes, its lock passes to another tab.

import { SESSION_EVENT_NAMES, type HelloEvent, type SessionEvents } from '../contract/live-events.ts';

export interface ServerIdentity {
  version: string;
  pid: number;
}

/** Whether this tab holds the shared stream ('leader'), uses another tab's ('follower') or its own ('alone'). */
export type StreamRole = 'leader' | 'follower' | 'alone';

/** What the connection tells the page, each event of this tab's session as it came (the page decides). */
export type ConnectionEvent =
  /** Connected (or reconnected) to this server. */
  | { type: 'hello'; server: ServerIdentity }
  /** The connection dropped. */
  | { type: 'lost' }
  /** The agent loaded data into this session. */
  | { type: 'loaded' }
  /** A load into this session has begun. */
  | { type: 'loading'; path: string; percent: number | undefined }
  /** A load into this session failed, with the server's message. */
  | { type: 'load-failed'; path: string | undefined; message: string | undefined; code?: string }
  | { type: 'stream-role'; role: StreamRole };

/** First retry after the connection drops, then doubling up to the maximum. */
const RECONNECT_FIRST_MS = 250;
const RECONNECT_MAX_MS = 2_000;
/** The leader re-reads which tabs are open this often (a tab that crashed never says goodbye). */
const ROLL_CALL_MS = 15_000;
/** How long the leader waits for answers to a roll call. */
const ROLL_CALL_ANSWER_MS = 500;
/** Joins and leaves within this window reopen the stream once. */
const RESUBSCRIBE_DEBOUNCE_MS = 30;
/** A leader whose lead was stolen keeps its stream this long, while the new leader opens its own. */
const HANDOVER_GRACE_MS = 1_000;
const CHANNEL = 'buckaroo-table-events';
const LEADER_LOCK = 'buckaroo-table-events-leader';

type Relay =
  | { t: 'here'; tab: string; session: string }
  | { t: 'bye'; tab: string }
  | { t: 'who' }
  | { t: 'hello'; server: ServerIdentity }
  | { t: 'lost' }
  | { t: 'event'; name: string; session: string; data: unknown };

function parse(e: MessageEvent): unknown {
  try {
    return JSON.parse(String(e.data));
  } catch {
    return undefined;
  }
}

function identity(d: unknown): ServerIdentity {
  const hello = (d ?? {}) as Partial<HelloEvent>;
  return { version: String(hello.version ?? '?'), pid: Number(hello.pid ?? 0) };
}

/**
 * Reads a session event's data as the server sends it (src/contract/live-events.ts; the page and the server
 * ship in one build); undefined for a name the page does not know.
 */
export function sessionEvent(name: string, data: unknown): ConnectionEvent | undefined {
  if (name === 'loaded') return { type: 'loaded' };
  // The percent comes from polling meta afterwards; the event only says which file.
  if (name === 'loading') return { type: 'loading', path: (data as SessionEvents['loading']).path, percent: undefined };
  if (name === 'load_failed') {
    const d = data as SessionEvents['load_failed'];
    return { type: 'load-failed', path: d.path, message: d.message, code: d.error_code };
  }
  return undefined;
}

/** Hands what reaches this tab, whoever holds the stream, to the page: the server's greetings, its session's events. */
function tabReceiver(session: string, emit: (e: ConnectionEvent) => void) {
  return {
    hello: (server: ServerIdentity): void => emit({ type: 'hello', server }),
    lost: (): void => emit({ type: 'lost' }),
    event(name: string, forSession: string, data: unknown): void {
      if (forSession !== session) return;
      const e = sessionEvent(name, data);
      if (e) emit(e);
    },
  };
}

/**
 * Keeps one EventSource open to `url()` with backoff after errors. The browser retries by itself while
 * CONNECTING, but gives up after a refusal or HTTP error (CLOSED), so we always take over with our own timer;
 * a fresh EventSource gets a fresh hello either way. `reopen()` switches to a new URL make-before-break: the
 * old stream stays until the new one says hello, so the server never sees the sessions unwatched.
 */
function resilientSource(url: () => string, on: { message(name: string, data: unknown): void; lost(): void }) {
  let es: EventSource | undefined;
  let delay = RECONNECT_FIRST_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  const open = (keepPrevious: boolean): void => {
    timer = undefined;
    const previous = es;
    if (!keepPrevious) previous?.close();
    const source = (es = new EventSource(url()));
    for (const name of ['hello', ...SESSION_EVENT_NAMES]) {
      source.addEventListener(name, (e) => {
        if (name === 'hello') {
          delay = RECONNECT_FIRST_MS;
          if (previous !== source) previous?.close();
        }
        // Until the new stream greets us both may deliver an event; the page ignores a repeated load.
        on.message(name, parse(e as MessageEvent));
      });
    }
    source.onerror = () => {
      if (closed || source !== es) return;
      previous?.close();
      on.lost();
      source.close();
      if (!timer) {
        timer = setTimeout(() => open(false), delay);
        delay = Math.min(RECONNECT_MAX_MS, delay * 2);
      }
    };
  };
  open(false);
  return {
    reopen(): void {
      if (timer) clearTimeout(timer);
      open(true);
    },
    close(): void {
      closed = true;
      if (timer) clearTimeout(timer);
      es?.close();
    },
  };
}

/** One stream for this tab alone: where Web Locks or BroadcastChannel are missing. */
function connectAlone(session: string, emit: (e: ConnectionEvent) => void): { close(): void } {
  emit({ type: 'stream-role', role: 'alone' });
  const rx = tabReceiver(session, emit);
  return resilientSource(() => `/api/sessions/${encodeURIComponent(session)}/events`, {
    message: (name, data) => (name === 'hello' ? rx.hello(identity(data)) : rx.event(name, session, data)),
    lost: rx.lost,
  });
}

export function connect(session: string, emit: (e: ConnectionEvent) => void): { close(): void } {
  if (typeof BroadcastChannel === 'undefined' || !navigator.locks) return connectAlone(session, emit);
  const role = (r: StreamRole): void => emit({ type: 'stream-role', role: r });
  const tab = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  const rx = tabReceiver(session, emit);
  const channel = new BroadcastChannel(CHANNEL);
  const post = (m: Relay): void => channel.postMessage(m);
  /**
   * Every open tab of the origin and its session, kept by every tab (joins and goodbyes are broadcast), so a
   * tab that takes the lead can at once subscribe to all of them.
   */
  const peers = new Map([[tab, session]]);
  /** True while this tab leads. */
  let leading = false;
  /** The server's identity as last greeted on the leader's stream. */
  let lastHello: ServerIdentity | undefined;
  /** Answers to the leader's current roll call. */
  let answers: Map<string, string> | undefined;
  let onTabsChanged = (): void => {};

  channel.onmessage = (e: MessageEvent<Relay>) => {
    const m = e.data;
    if (m.t === 'who') post({ t: 'here', tab, session });
    else if (m.t === 'here') {
      answers?.set(m.tab, m.session);
      const isNew = !peers.has(m.tab);
      if (peers.get(m.tab) !== m.session) {
        peers.set(m.tab, m.session);
        if (leading) onTabsChanged();
      }
      // Introduce ourselves to a newcomer, which knows no one yet (this ends: it already knows the sender).
      if (isNew) post({ t: 'here', tab, session });
      // A tab that joins after the stream's hello still needs to know which server answers.
      if (leading && lastHello) post({ t: 'hello', server: lastHello });
    } else if (m.t === 'bye') {
      answers?.delete(m.tab);
      if (peers.delete(m.tab) && leading) onTabsChanged();
    } else if (m.t === 'hello') rx.hello(m.server);
    else if (m.t === 'lost') rx.lost();
    else if (m.t === 'event') rx.event(m.name, m.session, m.data);
  };
  post({ t: 'here', tab, session });
  addEventListener('pagehide', () => post({ t: 'bye', tab }));

  /** Set while this tab leads: closes its stream and timers. */
  let resign: (() => void) | undefined;
  const lead = (): (() => void) => {
    leading = true;
    const url = (): string => `/api/events?${[...new Set(peers.values())].map((s) => `session=${encodeURIComponent(s)}`).join('&')}`;
    let subscribed = url();
    const source = resilientSource(url, {
      message(name, data) {
        if (name === 'hello') {
          const server = (lastHello = identity(data));
          post({ t: 'hello', server });
          return rx.hello(server);
        }
        const env = (data ?? {}) as { session?: string; data?: unknown };
        if (typeof env.session !== 'string') return;
        post({ t: 'event', name, session: env.session, data: env.data });
        rx.event(name, env.session, env.data);
      },
      lost() {
        post({ t: 'lost' });
        rx.lost();
      },
    });
    let debounce: ReturnType<typeof setTimeout> | undefined;
    const resubscribe = (): void => {
      if (url() === subscribed) return;
      subscribed = url();
      source.reopen();
    };
    onTabsChanged = () => {
      if (debounce) clearTimeout(debounce);
      // A hidden tab's timers are throttled to seconds: there, follow each change at once.
      if (document.hidden) return resubscribe();
      debounce = setTimeout(resubscribe, RESUBSCRIBE_DEBOUNCE_MS);
    };
    // Ask who is there now, and again from time to time; tabs that do not answer (closed without a goodbye)
    // are dropped.
    const rollCall = (): void => {
      const heard = (answers = new Map([[tab, session]]));
      post({ t: 'who' });
      setTimeout(() => {
        answers = undefined;
        let changed = false;
        for (const k of [...peers.keys()]) if (!heard.has(k)) changed = peers.delete(k) || changed;
        if (changed) onTabsChanged();
      }, ROLL_CALL_ANSWER_MS);
    };
    rollCall();
    const rollCalls = setInterval(rollCall, ROLL_CALL_MS);
    return () => {
      // The new leader needs a moment to open its stream: keep ours until then, so no session goes unwatched.
      setTimeout(() => source.close(), HANDOVER_GRACE_MS);
      clearInterval(rollCalls);
      if (debounce) clearTimeout(debounce);
      leading = false;
      answers = lastHello = undefined;
      onTabsChanged = () => {};
    };
  };
  // The visible tab takes the lead (`steal`): background tabs' timers are throttled (to a minute after five
  // minutes hidden), which would slow the reconnect every tab depends on. A tab whose lead is stolen waits in
  // line again; when the leader closes, the lock passes to the next tab in line.
  const request = (steal: boolean): void => {
    navigator.locks
      .request(LEADER_LOCK, { steal }, () => {
        resign = lead();
        role('leader');
        return new Promise<never>(() => {});
      })
      .catch(() => {
        // Stolen (AbortError): stop leading and queue up behind the new leader.
        resign?.();
        resign = undefined;
        role('follower');
        request(false);
      });
  };
  role('follower');
  request(!document.hidden);
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden && !resign) request(true);
  });
  return {
    close() {
      post({ t: 'bye', tab });
      channel.close();
    },
  };
}
