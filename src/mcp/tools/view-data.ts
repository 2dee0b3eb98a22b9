// view_data(path) and its alias buckaroo_table(path): make sure our data server runs, load the file into this
// MCP process's session (so the person's open page switches to it), and tell the agent what is in it.
// The handler is five named steps: ensure → load → stats → record → respond. What only a call needs (the
// lifecycle, the HTTP client, the answers' schemas) is imported on the first call, so `mcp` answers its first
// request without evaluating it. A cancelled call (notifications/cancelled, a client timeout) aborts the
// /load request; the server then interrupts DuckDB and the person's page keeps what it showed.

import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { CallToolResult, McpServer, ServerContext } from '@modelcontextprotocol/server';
import type { LoadAnswer, LoadRequest, SummaryStats } from '../../contract/data-api.ts';
import { LOAD_TIMEOUT_MS, sessionApiPath } from '../../contract/data-limits.ts';
import type { EnsureResult } from '../../lifecycle/ensure-server.ts';
import { describeEnsureResult } from '../../lifecycle/describe.ts';
import { expandHome } from '../../paths.ts';
import type { McpContext } from '../context.ts';
import { portableSchema } from '../portable-schema.ts';
import { buildViewResult, MAX_LISTED_COLUMNS, ViewResultSchema, type Display } from '../view-result.ts';
import { viewErrorText, viewResultText } from '../view-result-text.ts';
import { clientCapabilities, registerViewerTool, rendersApps } from '../viewer-app.ts';
import { createLoadProgress, flushProgress as flush, type LoadProgress } from './load-progress.ts';

export const STATS_TIMEOUT_MS = 5 * 60_000;

const DESCRIPTION =
  'Show a data file (CSV, TSV, Parquet, JSON, NDJSON, gzip variants; other text files are sniffed) to the person as an interactive, sortable, searchable table (in the chat where the client shows MCP Apps, otherwise in their browser), and return a summary: rows × columns and, per column, type, nulls, distinct count and range or most frequent value. Every row and column is loaded (no sampling). Calling it again replaces what the open page shows. Paths may be absolute, relative to your working directory, or start with ~.';

const InputSchema = z.object({ path: z.string().min(1).describe('Path of the data file (absolute, relative to the working directory, or ~/…)') });

/** How long each step took, for the log and the diagnostics. */
interface Timings {
  ensureMs: number;
  loadMs: number;
  statsMs: number;
}

export function registerViewDataTools(server: McpServer, ctx: McpContext): void {
  const handler = async (args: z.infer<typeof InputSchema>, req: ServerContext): Promise<CallToolResult> => {
    const signal = req.mcpReq.signal;
    const file = resolveDataPath(args.path, process.cwd(), ctx.env);
    // A client that renders MCP Apps shows the table in the chat: a browser tab as well would show it twice.
    const display: Display = rendersApps(clientCapabilities(req, server)) ? 'app' : 'browser';
    const progress = createLoadProgress(req.mcpReq._meta?.progressToken, (n) => req.mcpReq.notify(n), fileSize(file));
    try {
      const t0 = performance.now();
      // One viewer session per MCP process (not per protocol session: the 2026-07-28 era has none).
      const session = await ctx.viewerSession();
      const { callThroughReplacement } = await import('../../lifecycle/call-through-replacement.ts');
      let tEnsured = t0;
      // Another session may replace the server while a long load runs: the load is then retried once there.
      const { server: ensured, value: loaded } = await callThroughReplacement(
        () => ensure(ctx, progress),
        (server) => {
          tEnsured = performance.now();
          signal.throwIfAborted();
          return load(server, session, file, display, progress, signal);
        },
      );
      const tLoaded = performance.now();
      ctx.dataServer.remember(ensured);
      const stats = loaded.stats ?? (await statsAfterLoad(ctx, ensured, session, signal));
      const timings = { ensureMs: tEnsured - t0, loadMs: tLoaded - tEnsured, statsMs: performance.now() - tLoaded };
      record(ctx, file, ensured, loaded, timings);
      return await respond(loaded, stats, ensured, display, ctx.takeUpdateNotice(), progress);
    } catch (err) {
      const { describeFailure } = await import('./view-errors.ts');
      const cancelled = signal.aborted;
      const failure = cancelled
        ? { code: 'E_CANCELLED', message: `Loading ${file} was cancelled; what the person's page shows is unchanged.`, hint: undefined }
        : describeFailure(err);
      ctx.log.warn(cancelled ? 'view_data cancelled' : 'view_data failed', { path: file, error: err });
      ctx.activity.record(`${file}: ${cancelled ? 'cancelled' : 'failed'}${failure.code ? ` (${failure.code})` : ''}: ${failure.message}`);
      if (!cancelled) await flush(progress);
      return { isError: true, content: [{ type: 'text', text: viewErrorText(failure.message, failure.hint, failure.code) }] };
    }
  };

  const config = (title: string, description: string) => ({
    title,
    description,
    inputSchema: portableSchema(InputSchema),
    outputSchema: portableSchema(ViewResultSchema),
    // Loading changes what the person's page shows but nothing on disk; the same call twice shows the same.
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  });
  registerViewerTool(server, 'view_data', config('View a data file', DESCRIPTION), handler);
  registerViewerTool(
    server,
    'buckaroo_table',
    config('View a data file (buckaroo_table)', `Same as view_data (the name the Buckaroo Python tool used). ${DESCRIPTION}`),
    handler,
  );
}

/** The file's size for byte-based progress, or undefined (the server then names the problem). */
function fileSize(file: string): number | undefined {
  try {
    const size = fs.statSync(file).size;
    return size > 0 ? size : undefined;
  } catch {
    return undefined;
  }
}

/** `~` and relative paths are the agent's: resolve them against this MCP process's working directory. */
export function resolveDataPath(p: string, cwd: string, env: Record<string, string | undefined>): string {
  return path.resolve(cwd, expandHome(p.trim(), env));
}

/** Step 1: a data server of our version runs (reused, started or replaced). */
async function ensure(ctx: McpContext, progress: LoadProgress): Promise<EnsureResult> {
  // Neutral on purpose: whether a server is reused or started is known only once ensureServer has answered.
  await progress.report(0, 'checking the data server');
  const { ensureServer } = await import('../../lifecycle/ensure-server.ts');
  const choice = await ctx.port();
  return ensureServer({ port: choice.port, explicitPort: choice.explicit, env: ctx.env, log: ctx.log });
}

/** Step 2: the file is loaded into the session; the answer carries the leading columns' summary too. */
async function load(ensured: EnsureResult, session: string, file: string, display: Display, progress: LoadProgress, signal: AbortSignal): Promise<LoadAnswer> {
  const [{ callServer }, { LoadAnswerSchema }, { ServerAnswerError }] = await Promise.all([
    import('../../lifecycle/api-client.ts'),
    import('../../contract/data-api.ts'),
    import('./view-errors.ts'),
  ]);
  const body: LoadRequest = { path: file, session, summary_columns: MAX_LISTED_COLUMNS, ...(display === 'app' ? { no_browser: true } : {}) };
  progress.startLoad(ensured, session, `${path.basename(file)} (${describeEnsureResult(ensured)})`);
  let raw: unknown;
  try {
    // Cancelling aborts this request; the server interrupts DuckDB when its client goes away.
    raw = await callServer<unknown>(ensured.port, '/load', { method: 'POST', body, token: ensured.token, timeoutMs: LOAD_TIMEOUT_MS, signal });
  } finally {
    progress.stopLoad();
  }
  const answer = LoadAnswerSchema.safeParse(raw);
  if (!answer.success) throw new ServerAnswerError('/load', ensured, answer.error);
  return answer.data;
}

/**
 * Step 3, only when /load could not include the summary (a newer load replaced the dataset, say): the stats
 * route waits for the session's current dataset. Without stats the text still lists the columns.
 */
async function statsAfterLoad(ctx: McpContext, ensured: EnsureResult, session: string, signal: AbortSignal): Promise<SummaryStats | undefined> {
  const [{ callServer }, { SummaryStatsSchema }] = await Promise.all([import('../../lifecycle/api-client.ts'), import('../../contract/data-api.ts')]);
  try {
    const raw = await callServer<unknown>(ensured.port, `${sessionApiPath(session)}/stats?limit=${MAX_LISTED_COLUMNS}`, { token: ensured.token, timeoutMs: STATS_TIMEOUT_MS, signal });
    return SummaryStatsSchema.parse(raw);
  } catch (err) {
    ctx.log.warn('stats failed', { error: err });
    return undefined;
  }
}

/** Step 4: the log line, and the line buckaroo_diagnostics shows for this call. */
function record(ctx: McpContext, file: string, ensured: EnsureResult, loaded: LoadAnswer, t: Timings): void {
  ctx.log.info('view_data', {
    path: file,
    rows: loaded.rows,
    ensure_ms: Math.round(t.ensureMs),
    load_ms: Math.round(t.loadMs),
    stats_ms: Math.round(t.statsMs),
    stats_with_load: loaded.stats !== undefined,
  });
  const browser = `${loaded.browser_action}${loaded.browser_reason ? ` (${loaded.browser_reason})` : ''}`;
  ctx.activity.record(
    `${file}: ${loaded.rows} rows × ${loaded.columns.length} columns; ${describeEnsureResult(ensured)} ` +
      `Loaded in ${Math.round(t.loadMs)} ms; browser ${browser}`,
  );
}

/** Step 5: the structured result, and the agent's text rendered from it. */
async function respond(loaded: LoadAnswer, stats: SummaryStats | undefined, ensured: EnsureResult, display: Display, notice: string[], progress: LoadProgress): Promise<CallToolResult> {
  await progress.complete('done');
  await flush(progress);
  // Claude Code and Codex give the model only structuredContent: the text is rendered from it, never more.
  const result = buildViewResult(loaded, stats, ensured, notice, display);
  return { content: [{ type: 'text', text: viewResultText(result) }], structuredContent: result };
}
