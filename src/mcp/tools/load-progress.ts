// MCP progress for view_data (bytes of the file DuckDB has read), query_data and compare_data (DuckDB's
// percent), from the session's meta while the request runs, never repeated or going back — the spec says
// progress MUST increase — and only to a client that asked.

import type { MetaAnswer } from '../../contract/data-api.ts';
import { sessionApiPath } from '../../contract/data-limits.ts';
import type * as ApiClient from '../../lifecycle/api-client.ts';

/** How often a long load reports progress to a client that asked for it. */
export const PROGRESS_INTERVAL_MS = 500;
const META_TIMEOUT_MS = 1_000;
/** The SDK client can drop a progress notification sent right before the result (typescript-sdk #2580). */
const PROGRESS_FLUSH_MS = 5;

/** A short pause after the last progress notification, so the result does not overtake it (see above). */
export async function flushProgress(progress: LoadProgress): Promise<void> {
  if (progress.used()) await new Promise((r) => setTimeout(r, PROGRESS_FLUSH_MS));
}

type Notify = (n: { method: 'notifications/progress'; params: { progressToken: string | number; progress: number; total?: number; message?: string } }) => Promise<void>;

/** Where meta is polled, and the bearer token every data route needs. */
export interface DataServer {
  port: number;
  token: string;
}

export interface LoadProgress {
  /** A notification was sent (the result then waits a moment so it does not overtake it). */
  used(): boolean;
  /** Sends `value` (in the progress units: bytes when the size is known, else percent) if it is above the last one. */
  report(value: number, message: string): Promise<void>;
  /** Starts polling the session's meta while /load runs; `label` names the file and the server for the first message. */
  startLoad(server: DataServer, session: string, label: string): void;
  stopLoad(): void;
  /** The final notification (progress = total), if it still moves forward. */
  complete(message: string): Promise<void>;
}

/** Progress units: the file's bytes when known (what DuckDB's read percentage stands for), else percent. */
export function progressTotal(bytes: number | undefined): number {
  return bytes ?? 100;
}

/** The next value to report for DuckDB's `percent`, or undefined when it would not move forward. */
export function nextProgress(last: number | undefined, percent: number | null | undefined, total: number): number | undefined {
  if (percent === null || percent === undefined || !Number.isFinite(percent)) return undefined;
  // Never all of it while the load runs: DuckDB can say 100 % before the load ends, and the final 'done'
  // (progress = total) must still move forward to be sent.
  const value = Math.min(total - 1, Math.round((Math.min(100, Math.max(0, percent)) / 100) * total));
  return last === undefined || value > last ? value : undefined;
}

export function createLoadProgress(token: string | number | undefined, notify: Notify, bytes: number | undefined): LoadProgress {
  const total = progressTotal(bytes);
  let last: number | undefined;
  let sent = false;
  let polling: { stop: boolean } | undefined;

  const send = async (value: number, message: string): Promise<void> => {
    if (token === undefined || (last !== undefined && value <= last)) return;
    last = value;
    sent = true;
    try {
      await notify({ method: 'notifications/progress', params: { progressToken: token, progress: value, total, message } });
    } catch {
      /* the client went away: the result will not arrive either */
    }
  };

  const poll = async (state: { stop: boolean }, server: DataServer, session: string, label: string): Promise<void> => {
    const { callServer }: typeof ApiClient = await import('../../lifecycle/api-client.ts');
    let first = true;
    while (!state.stop) {
      await new Promise((r) => setTimeout(r, PROGRESS_INTERVAL_MS));
      if (state.stop) break;
      try {
        const meta = await callServer<MetaAnswer>(server.port, `${sessionApiPath(session)}/meta`, { token: server.token, timeoutMs: META_TIMEOUT_MS });
        if (state.stop || meta.status !== 'loading') continue;
        const percent = meta.loading.percent;
        const value = nextProgress(last, percent, total);
        if (value === undefined || percent === null) continue;
        const secs = Math.round(meta.loading.elapsed_ms / 100) / 10;
        await send(value, `${first ? `loading ${label}: ` : ''}${describeRead(percent, bytes)}, ${secs} s`);
        first = false;
      } catch {
        /* a meta that does not answer (session not created yet, server busy) just skips a beat */
      }
    }
  };

  return {
    used: () => sent,
    report: send,
    startLoad(server, session, label) {
      if (token === undefined) return;
      polling = { stop: false };
      void poll(polling, server, session, label);
    },
    stopLoad() {
      if (polling) polling.stop = true;
    },
    complete: (message) => send(total, message),
  };
}

/** "42% read (12.3 of 29.1 MB)", or "42% read" when the size is unknown. */
export function describeRead(percent: number, bytes: number | undefined): string {
  const pct = `${Math.round(percent)}% read`;
  if (bytes === undefined) return pct;
  const mb = (n: number): string => (n / 1024 / 1024).toFixed(1);
  return `${pct} (${mb((percent / 100) * bytes)} of ${mb(bytes)} MB)`;
}
