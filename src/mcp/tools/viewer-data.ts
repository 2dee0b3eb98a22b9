// The app-only tools (visibility ["app"]) behind the table in the chat: the session's meta, a window of rows
// (sorted, searched) and per-column stats. Each is proxied by this MCP process to the data server over its
// 127.0.0.1 HTTP API with the bearer token it holds, so the app works in hosts that cannot reach 127.0.0.1.
// The answers go back as they came (the data API's schemas in src/contract/data-api.ts) in structuredContent.

import { z } from 'zod';
import type { CallToolResult, McpServer, RegisteredTool } from '@modelcontextprotocol/server';
import { sessionApiPath } from '../../contract/data-limits.ts';
import { VIEWER_TOOLS } from '../../contract/viewer-app.ts';
import type { McpContext } from '../context.ts';

type DataApi = typeof import('../../contract/data-api.ts');
import { registerAppOnlyTool } from '../viewer-app.ts';

/** A window is at most this many rows (the data server clamps to 10,000; the grid asks for 200). */
const MAX_WINDOW_ROWS = 10_000;
/** The page scrolls while this runs: a window that takes longer is an error the page shows. */
export const WINDOW_TIMEOUT_MS = 60_000;
/** Stats of a large file take a while after a load; the page shows the table meanwhile. */
export const APP_STATS_TIMEOUT_MS = 5 * 60_000;
export const APP_META_TIMEOUT_MS = 10_000;

/** The data server checks the id's shape (E_BAD_SESSION); the path encodes it whatever it holds. */
const Session = z.string().min(1).describe('The viewer session from the view_data result.');
/** The app instance's own dataset (from its tool result); left out, the session's current one. */
const Dataset = z.number().int().min(0).optional().describe('The dataset_id of the tool result the app shows.');
const MetaArgs = z.object({ session: Session, dataset: Dataset });
const RowsArgs = z.object({
  session: Session,
  dataset: Dataset,
  offset: z.number().int().min(0),
  limit: z.number().int().min(1).max(MAX_WINDOW_ROWS),
  sort: z.string().optional(),
  dir: z.enum(['asc', 'desc']).optional(),
  search: z.string().optional(),
});
const StatsArgs = z.object({ session: Session, dataset: Dataset, limit: z.number().int().min(1).optional() });

/** The data route a rows call reads (the same query the browser page sends). */
export function rowsPath(a: z.infer<typeof RowsArgs>): string {
  const q = new URLSearchParams({ offset: String(a.offset), limit: String(a.limit) });
  if (a.sort) {
    q.set('sort', a.sort);
    q.set('dir', a.dir ?? 'asc');
  }
  if (a.search) q.set('search', a.search);
  if (a.dataset !== undefined) q.set('dataset', String(a.dataset));
  return `${sessionApiPath(a.session)}/rows?${q}`;
}

/** A data route of the session, for the app instance's dataset when it names one. */
export function sessionRoutePath(session: string, route: 'meta' | 'stats', params: { dataset?: number; limit?: number }): string {
  const q = new URLSearchParams();
  if (params.limit) q.set('limit', String(params.limit));
  if (params.dataset !== undefined) q.set('dataset', String(params.dataset));
  const query = q.toString();
  return `${sessionApiPath(session)}/${route}${query ? `?${query}` : ''}`;
}

/** Registers the three tools; returns them so the server can hide them from clients that do not render apps. */
export function registerViewerDataTools(server: McpServer, ctx: McpContext): RegisteredTool[] {
  /** GET `pathname` on the data server, checked against the contract's schema, as the tool's structuredContent. */
  const proxy = async <T extends Record<string, unknown>>(
    pathname: string,
    schema: (api: DataApi) => z.ZodType<T>,
    timeoutMs: number,
    signal: AbortSignal,
    describe: (answer: T) => string,
  ): Promise<CallToolResult> => {
    const [{ callServer, ServerRequestError }, { viewErrorText }, api, { ServerAnswerError, describeFailure }] = await Promise.all([
      import('../../lifecycle/api-client.ts'),
      import('../view-result-text.ts'),
      import('../../contract/data-api.ts'),
      import('./view-errors.ts'),
    ]);
    try {
      const server = await ctx.dataServer.get();
      // GET routes take the token too: the data routes may require it (cookie or bearer), and it costs nothing.
      const raw = await callServer<unknown>(server.port, pathname, { token: server.token, timeoutMs, signal });
      const answer = schema(api).safeParse(raw);
      if (!answer.success) throw new ServerAnswerError(pathname.split('?')[0]!, server, answer.error);
      return { content: [{ type: 'text', text: describe(answer.data) }], structuredContent: answer.data };
    } catch (err) {
      if (err instanceof ServerRequestError && (err.code === 'E_UNREACHABLE' || err.status === 401)) ctx.dataServer.forget();
      const failure = describeFailure(err);
      ctx.log.warn('viewer tool failed', { path: pathname, error: err });
      // The app reads the error as the data API's error body, so it can tell "no data yet" from a failure.
      const body = { error_code: failure.code ?? 'E_UNKNOWN', message: failure.message, ...(failure.hint ? { hint: failure.hint } : {}) };
      return { isError: true, content: [{ type: 'text', text: viewErrorText(failure.message, failure.hint, failure.code) }], structuredContent: body };
    }
  };
  const annotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

  const meta = registerAppOnlyTool(
    server,
    VIEWER_TOOLS.meta,
    { title: 'Viewer: dataset', description: 'For the buckaroo-table app: what a viewer session holds (file, rows, every column).', inputSchema: MetaArgs, annotations },
    (a, req) => proxy(sessionRoutePath(a.session, 'meta', a), (api) => api.MetaAnswerSchema, APP_META_TIMEOUT_MS, req.mcpReq.signal, (m) => `session ${a.session}: ${m.status}`),
  );
  const rows = registerAppOnlyTool(
    server,
    VIEWER_TOOLS.rows,
    { title: 'Viewer: rows', description: 'For the buckaroo-table app: a window of rows, sorted and searched on the server.', inputSchema: RowsArgs, annotations },
    (a, req) =>
      proxy(rowsPath(a), (api) => api.RowsAnswerSchema, WINDOW_TIMEOUT_MS, req.mcpReq.signal, (w) => `rows ${a.offset}–${a.offset + w.rows.length} of ${w.filtered}`),
  );
  const stats = registerAppOnlyTool(
    server,
    VIEWER_TOOLS.stats,
    { title: 'Viewer: column stats', description: 'For the buckaroo-table app: per-column statistics and histograms.', inputSchema: StatsArgs, annotations },
    (a, req) =>
      proxy(sessionRoutePath(a.session, 'stats', a), (api) => api.StatsAnswerSchema, APP_STATS_TIMEOUT_MS, req.mcpReq.signal, (s) => `stats of ${s.columns.length} columns`),
  );
  return [meta, rows, stats];
}
