// view_data(path) and its alias buckaroo_table(path): make sure our data server runs, load the file into this
// MCP process's session (so the person's open page switches to it), and tell the agent what is in it.
// The handler is five named steps: ensure → load → stats → record → respond. What only a call needs (the
// lifecycle, the HTTP client, the answers' schemas) is imported on the first call, so `mcp` answers
// `initialize` without evaluating it.

import path from 'node:path';
import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { LoadAnswer, LoadRequest, SummaryStats } from '../../contract/data-api.ts';
import { sessionApiPath } from '../../contract/data-limits.ts';
import type { EnsureResult } from '../../lifecycle/ensure-server.ts';
import { describeEnsureResult } from '../../lifecycle/describe.ts';
import { expandHome } from '../../paths.ts';
import type { McpContext } from '../context.ts';
import { MAX_LISTED_COLUMNS, viewErrorText, viewResultText, buildViewResult, ViewResultShape } from '../view-result-text.ts';
import { progressSender, withLoadProgress, type ProgressSender, type ToolExtra } from './load-progress.ts';

/** A 2 GB file takes minutes to materialise; the agent waits that long rather than get a false failure. */
export const LOAD_TIMEOUT_MS = 30 * 60_000;
export const STATS_TIMEOUT_MS = 5 * 60_000;

const DESCRIPTION =
  'Show a data file (CSV, TSV, Parquet, JSON, NDJSON, gzip variants; other text files are sniffed) to the person as an interactive, sortable, searchable table in their browser, and return a summary: rows × columns and, per column, type, nulls, distinct count and range or most frequent value. Every row and column is loaded (no sampling). Calling it again replaces what the open page shows. Paths may be absolute, relative to your working directory, or start with ~.';

const inputSchema = { path: z.string().min(1).describe('Path of the data file (absolute, relative to the working directory, or ~/…)') };

/** How long each step took, for the log and the diagnostics. */
interface Timings {
  ensureMs: number;
  loadMs: number;
  statsMs: number;
}

export function registerViewDataTools(server: McpServer, ctx: McpContext): void {
  // One session per MCP process: repeated calls replace the dataset of the same page. Minted on the first
  // call, so node:crypto (~4 ms) is not loaded before `mcp` answers `initialize`.
  let minted: string | undefined;
  // The notice goes with the first successful result that can carry it: if the background check has not
  // answered yet on the first call, a later call of the same session still tells the person once.
  let noticeShown = false;

  const handler = async (args: { path: string }, extra: ToolExtra): Promise<CallToolResult> => {
    const progress = progressSender(extra);
    const file = resolveDataPath(args.path, process.cwd(), ctx.env);
    try {
      const t0 = performance.now();
      const session = (minted ??= (await import('../../contract/session-id.ts')).newSessionId());
      const { callThroughReplacement } = await import('../../lifecycle/call-through-replacement.ts');
      let tEnsured = t0;
      // Another session may replace the server while a long load runs: the load is then retried once there.
      const { server: ensured, value: loaded } = await callThroughReplacement(
        () => ensure(ctx, progress),
        (server) => {
          tEnsured = performance.now();
          return load(server, session, file, progress);
        },
      );
      const tLoaded = performance.now();
      const stats = loaded.stats ?? (await statsAfterLoad(ctx, ensured, session, progress));
      const timings = { ensureMs: tEnsured - t0, loadMs: tLoaded - tEnsured, statsMs: performance.now() - tLoaded };
      record(ctx, file, ensured, loaded, timings);
      const notice = noticeShown ? [] : ctx.updateNotice();
      if (notice.length > 0) noticeShown = true;
      return await respond(loaded, stats, ensured, notice, progress);
    } catch (err) {
      const { describeFailure } = await import('./view-errors.ts');
      const failure = describeFailure(err);
      ctx.log.warn('view_data failed', { path: file, error: err });
      ctx.activity.record(`${file}: failed${failure.code ? ` (${failure.code})` : ''}: ${failure.message}`);
      await progress.flush();
      return { isError: true, content: [{ type: 'text', text: viewErrorText(failure.message, failure.hint, failure.code) }] };
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
  server.registerTool('view_data', config('View a data file', DESCRIPTION), handler);
  server.registerTool(
    'buckaroo_table',
    config('View a data file (buckaroo_table)', `Same as view_data (the name the Buckaroo Python tool used). ${DESCRIPTION}`),
    handler,
  );
}

/** `~` and relative paths are the agent's: resolve them against this MCP process's working directory. */
export function resolveDataPath(p: string, cwd: string, env: Record<string, string | undefined>): string {
  return path.resolve(cwd, expandHome(p.trim(), env));
}

/** Step 1: a data server of our version runs (reused, started or replaced). */
async function ensure(ctx: McpContext, progress: ProgressSender): Promise<EnsureResult> {
  await progress.send(0, 'starting the data server');
  const { ensureServer } = await import('../../lifecycle/ensure-server.ts');
  const choice = await ctx.port();
  return ensureServer({ port: choice.port, explicitPort: choice.explicit, env: ctx.env, log: ctx.log });
}

/** Step 2: the file is loaded into the session; the answer carries the leading columns' summary too. */
async function load(ensured: EnsureResult, session: string, file: string, progress: ProgressSender): Promise<LoadAnswer> {
  await progress.send(5, `loading ${path.basename(file)}`);
  const [{ callServer }, { LoadAnswerSchema }, { ServerAnswerError }] = await Promise.all([
    import('../../lifecycle/api-client.ts'),
    import('../../contract/data-api.ts'),
    import('./view-errors.ts'),
  ]);
  const body: LoadRequest = { path: file, session, summary_columns: MAX_LISTED_COLUMNS };
  const request = callServer<unknown>(ensured.port, '/load', { method: 'POST', body, token: ensured.token, timeoutMs: LOAD_TIMEOUT_MS });
  const answer = LoadAnswerSchema.safeParse(await withLoadProgress(request, ensured.port, session, progress));
  if (!answer.success) throw new ServerAnswerError('/load', ensured, answer.error);
  return answer.data;
}

/**
 * Step 3, only when /load could not include the summary (a newer load replaced the dataset, say): the stats
 * route waits for the session's current dataset. Without stats the text still lists the columns.
 */
async function statsAfterLoad(ctx: McpContext, ensured: EnsureResult, session: string, progress: ProgressSender): Promise<SummaryStats | undefined> {
  await progress.send(90, 'computing column statistics');
  const [{ callServer }, { SummaryStatsSchema }] = await Promise.all([import('../../lifecycle/api-client.ts'), import('../../contract/data-api.ts')]);
  try {
    const raw = await callServer<unknown>(ensured.port, `${sessionApiPath(session)}/stats?limit=${MAX_LISTED_COLUMNS}`, { timeoutMs: STATS_TIMEOUT_MS });
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

/** Step 5: the agent's text and the same facts as structuredContent. */
async function respond(loaded: LoadAnswer, stats: SummaryStats | undefined, ensured: EnsureResult, notice: string[], progress: ProgressSender): Promise<CallToolResult> {
  await progress.send(100, 'done');
  await progress.flush();
  return {
    content: [{ type: 'text', text: viewResultText(loaded, stats, ensured, notice) }],
    structuredContent: buildViewResult(loaded, stats, ensured),
  };
}
