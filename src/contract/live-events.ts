// What the server tells open viewer pages over their live connection (server-sent events), defined once: the
// server publishes these payloads and the page reads them. Types only, free of zod and of Node modules, so
// the page imports it without growing its bundle.

import type { ColumnMeta } from './data-api.ts';

/** The greeting on every new stream: which server answers (a changed version or pid means it was replaced). */
export interface HelloEvent {
  /** The session of a per-session stream, or the sessions of a shared one. */
  session?: string;
  sessions?: string[];
  version: string;
  pid: number;
  started: string;
}

/** A load into the session has begun; the page shows progress (it polls meta for the percent). */
export interface LoadingEvent {
  session: string;
  path: string;
}

/** The agent loaded data into the session; the page switches to it in place. */
export interface LoadedEvent {
  session: string;
  path: string;
  format: string;
  rows: number;
  columns: ColumnMeta[];
  load_ms: number;
  dataset_id: number;
}

/** A load into the session failed; the page keeps its table and shows the message. */
export interface LoadFailedEvent {
  session: string;
  path: string;
  error_code: string;
  message: string;
}

/** Every session event by its SSE event name. */
export interface SessionEvents {
  loading: LoadingEvent;
  loaded: LoadedEvent;
  load_failed: LoadFailedEvent;
}

export type SessionEventName = keyof SessionEvents;

/** The names a page listens for, besides `hello`. */
export const SESSION_EVENT_NAMES: readonly SessionEventName[] = ['loaded', 'loading', 'load_failed'];

/** On a stream shared by several sessions (the tabs of one browser), each event's data comes wrapped. */
export interface SharedStreamEnvelope<K extends SessionEventName = SessionEventName> {
  session: string;
  data: SessionEvents[K];
}
