// MCP progress notifications for view_data: sent only to a client that asked (a progressToken), with
// DuckDB's load percent read from the session's meta while the /load request runs.

import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { MetaAnswer } from '../../contract/data-api.ts';
import { sessionApiPath } from '../../contract/data-limits.ts';

const META_TIMEOUT_MS = 1_000;
/** How often a long load reports progress to a client that asked for it. */
const PROGRESS_INTERVAL_MS = 500;
/** The SDK client can drop a progress notification sent right before the result (typescript-sdk #2580). */
const PROGRESS_FLUSH_MS = 5;

/** What the SDK hands a tool handler besides its arguments. */
export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

export interface ProgressSender {
  /** The client sent a progressToken. */
  wanted: boolean;
  send(progress: number, message: string): Promise<void>;
  /** Call before returning the result: a notification sent just before it could be lost. */
  flush(): Promise<void>;
}

export function progressSender(extra: ToolExtra): ProgressSender {
  const token = extra._meta?.progressToken;
  let used = false;
  return {
    wanted: token !== undefined,
    async send(value, message) {
      if (token === undefined) return;
      used = true;
      try {
        await extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: value, total: 100, message } });
      } catch {
        /* the client went away: the result will not arrive either */
      }
    },
    async flush() {
      if (used) await new Promise((r) => setTimeout(r, PROGRESS_FLUSH_MS));
    },
  };
}

/** Reports DuckDB's load progress (from the session's meta) while the /load request runs. */
export async function withLoadProgress<T>(request: Promise<T>, port: number, session: string, progress: ProgressSender): Promise<T> {
  if (!progress.wanted) return request;
  const { callServer } = await import('../../lifecycle/api-client.ts');
  let done = false;
  const poll = async (): Promise<void> => {
    while (!done) {
      await new Promise((r) => setTimeout(r, PROGRESS_INTERVAL_MS));
      if (done) break;
      // A failed poll (the session is not known until the load starts, say) only skips one report.
      const meta = await callServer<MetaAnswer>(port, `${sessionApiPath(session)}/meta`, { timeoutMs: META_TIMEOUT_MS }).catch(() => undefined);
      if (!done && meta?.status === 'loading') {
        const pct = meta.loading.percent;
        const secs = Math.round(meta.loading.elapsed_ms / 100) / 10;
        await progress.send(5 + Math.round((pct ?? 0) * 0.8), `loading… ${pct === null ? '' : `${pct}%, `}${secs} s`);
      }
    }
  };
  void poll();
  try {
    return await request;
  } finally {
    done = true;
  }
}
