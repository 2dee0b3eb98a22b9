// view_data(path) and its alias buckaroo_table(path): make sure our data server runs, load the file into this
// MCP process's session (so the person's open page switches to it), and tell the agent what is in it.

import path from 'node:path';
import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type * as ApiClient from '../../lifecycle/api-client.ts';
import type { EnsureResult } from '../../lifecycle/ensure-server.ts';
import { expandHome } from '../../paths.ts';
import type { McpContext } from '../context.ts';
import {
  LoadAnswerSchema,
  MAX_LISTED_COLUMNS,
  StatsAnswerSchema,
  viewErrorText,
  viewResultText,
  buildViewResult,
  ViewResultShape,
  type StatsAnswer,
} from '../view-result-text.ts';

/** A 2 GB file takes minutes to materialise; the agent waits that long rather than get a false failure. */
export const LOAD_TIMEOUT_MS = 30 * 60_000;
export const STATS_TIMEOUT_MS = 5 * 60_000;
const META_TIMEOUT_MS = 1_000;
/** How often a long load reports progress to a client that asked for it. */
const PROGRESS_INTERVAL_MS = 500;
/** The SDK client can drop a progress notification sent right before the result (typescript-sdk #2580). */
const PROGRESS_FLUSH_MS = 5;

const DESCRIPTION =
  'Show a data file (CSV, TSV, Parquet, JSON, NDJSON, gzip variants; other text files are sniffed) to the person as an interactive, sortable, searchable table in their browser, and return a summary: rows × columns and, per column, type, nulls, distinct count and range or most frequent value. Every row and column is loaded (no sampling). Calling it again replaces what the open page shows. Paths may be absolute, relative to your working directory, or start with ~.';

const inputSchema = { path: z.string().min(1).describe('Path of the data file (absolute, relative to the working directory, or ~/…)') };

interface ProgressSender {
  /** The client sent a progressToken. */
  wanted: boolean;
  send(progress: number, message: string): Promise<void>;
  used: boolean;
}

export function registerViewDataTools(server: McpServer, ctx: McpContext): void {
  // One session per MCP process: repeated calls replace the dataset of the same page. Minted on the first
  // call, so node:crypto (~4 ms) is not loaded before `mcp` answers `initialize`.
  let minted: string | undefined;
  // The notice goes with the first successful result that can carry it: if the background check has not
  // answered yet on the first call, a later call of the same session still tells the person once.
  let noticeShown = false;

  const handler = async (args: { path: string }, extra: { _meta?: { progressToken?: string | number }; sendNotification: (n: never) => Promise<void> }): Promise<CallToolResult> => {
    const token = extra._meta?.progressToken;
    const progress: ProgressSender = {
      wanted: token !== undefined,
      used: false,
      async send(value, message) {
        if (token === undefined) return;
        this.used = true;
        try {
          await extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: value, total: 100, message } } as never);
        } catch {
          /* the client went away: the result will not arrive either */
        }
      },
    };
    const file = resolveDataPath(args.path, process.cwd(), ctx.env);
    try {
      await progress.send(0, 'starting the data server');
      // Loaded on the first call: `mcp` answers `initialize` without evaluating the lifecycle modules.
      const [{ callServer }, { ensureServer }, { newSessionId }] = await Promise.all([
        import('../../lifecycle/api-client.ts'),
        import('../../lifecycle/ensure-server.ts'),
        import('../../engine/session-registry.ts'),
      ]);
      const session = (minted ??= newSessionId());
      const t0 = performance.now();
      const choice = await ctx.port();
      const ensured = await ensureServer({ port: choice.port, explicitPort: choice.explicit, env: ctx.env, log: ctx.log });
      const tEnsured = performance.now();
      await progress.send(5, `loading ${path.basename(file)}`);
      const load = await withLoadProgress(
        callServer<unknown>(ensured.port, '/load', { method: 'POST', body: { path: file, session, summary_columns: MAX_LISTED_COLUMNS }, token: ensured.token, timeoutMs: LOAD_TIMEOUT_MS }),
        ensured.port,
        session,
        progress,
      );
      const loaded = LoadAnswerSchema.parse(load);
      const tLoaded = performance.now();
      // /load answers with the summary the text needs; only if it could not (a newer load replaced the dataset,
      // say) is it one more request, to the stats route that waits for the session's current dataset.
      let stats: StatsAnswer | undefined = loaded.stats;
      if (!stats) {
        await progress.send(90, 'computing column statistics');
        try {
          const raw = await callServer<unknown>(ensured.port, `/api/sessions/${session}/stats?limit=${MAX_LISTED_COLUMNS}`, { timeoutMs: STATS_TIMEOUT_MS });
          stats = StatsAnswerSchema.parse(raw);
        } catch (err) {
          ctx.log.warn('stats failed', { error: err });
        }
      }
      ctx.log.info('view_data', {
        path: file,
        rows: loaded.rows,
        ensure_ms: Math.round(tEnsured - t0),
        load_ms: Math.round(tLoaded - tEnsured),
        stats_ms: Math.round(performance.now() - tLoaded),
        stats_with_load: loaded.stats !== undefined,
      });
      const status = { status: ensured.status, pid: ensured.pid, version: ensured.version, previous: ensured.previous, notice: ensured.notice };
      ctx.activity.record(
        `${file}: ${loaded.rows} rows × ${loaded.columns.length} columns; ${describeEnsure(ensured)} in ${Math.round(tEnsured - t0)} ms; ` +
          `loaded in ${Math.round(tLoaded - tEnsured)} ms; browser ${loaded.browser_action}${loaded.browser_reason ? ` (${loaded.browser_reason})` : ''}`,
      );
      const notice = noticeShown ? [] : ctx.updateNotice();
      if (notice.length > 0) noticeShown = true;
      if (progress.used) {
        await progress.send(100, 'done');
        await new Promise((r) => setTimeout(r, PROGRESS_FLUSH_MS));
      }
      return {
        content: [{ type: 'text', text: viewResultText(loaded, stats, status, notice) }],
        structuredContent: buildViewResult(loaded, stats, status),
      };
    } catch (err) {
      ctx.log.warn('view_data failed', { path: file, error: err });
      const e = err as { message?: string; hint?: string; code?: string };
      ctx.activity.record(`${file}: failed${e.code ? ` (${e.code})` : ''}: ${e.message ?? String(err)}`);
      if (progress.used) await new Promise((r) => setTimeout(r, PROGRESS_FLUSH_MS));
      return { isError: true, content: [{ type: 'text', text: viewErrorText(e.message ?? String(err), e.hint, e.code) }] };
    }
  };

  const config = (title: string, description: string) => ({
    title,
    description,
    inputSchema,
    outputSchema: ViewResultShape,
    // Loading changes what the person's page shows but nothing on disk; the same call twice shows the same.
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  });
  server.registerTool('view_data', config('View a data file', DESCRIPTION), handler as never);
  server.registerTool(
    'buckaroo_table',
    config('View a data file (buckaroo_table)', `Same as view_data (the name the Buckaroo Python tool used). ${DESCRIPTION}`),
    handler as never,
  );
}

/** `~` and relative paths are the agent's: resolve them against this MCP process's working directory. */
export function resolveDataPath(p: string, cwd: string, env: Record<string, string | undefined>): string {
  return path.resolve(cwd, expandHome(p.trim(), env));
}

/** Reports DuckDB's load progress (from the session's meta) while the /load request runs. */
async function withLoadProgress<T>(request: Promise<T>, port: number, session: string, progress: ProgressSender): Promise<T> {
  if (!progress.wanted) return request;
  const { callServer, ServerRequestError }: typeof ApiClient = await import('../../lifecycle/api-client.ts');
  let done = false;
  const poll = (async () => {
    while (!done) {
      await new Promise((r) => setTimeout(r, PROGRESS_INTERVAL_MS));
      if (done) break;
      try {
        const meta = await callServer<{ status?: string; loading?: { percent?: number | null; elapsed_ms?: number } }>(
          port,
          `/api/sessions/${session}/meta`,
          { timeoutMs: META_TIMEOUT_MS },
        );
        const pct = meta.loading?.percent;
        if (!done && meta.status === 'loading') {
          const secs = Math.round((meta.loading?.elapsed_ms ?? 0) / 100) / 10;
          await progress.send(5 + Math.round((pct ?? 0) * 0.8), `loading… ${pct === null || pct === undefined ? '' : `${pct}%, `}${secs} s`);
        }
      } catch (err) {
        if (err instanceof ServerRequestError && err.code === 'E_UNKNOWN_SESSION') continue;
      }
    }
  })();
  try {
    return await request;
  } finally {
    done = true;
    void poll;
  }
}

/** "server 0.2.0 pid 4242 on port 8700 started (replaced 0.1.0 pid 4100 after sigterm)". */
function describeEnsure(e: EnsureResult): string {
  const prev = e.previous ? ` (replaced ${e.previous.version} pid ${e.previous.pid} after ${e.previous.how})` : '';
  const verb = e.status === 'replaced' ? 'started' : e.status;
  return `server ${e.version} pid ${e.pid} on port ${e.port} ${verb}${prev}${e.notice ? `; ${e.notice}` : ''}`;
}
