// query_data(sql, limit?): read-only SQL over the files this MCP process has loaded (each a table named after
// its file), answered with the first `limit` rows and the true total; the whole result opens in the person's
// page. The server enforces what may run (engine/query-guard.ts) and the 30 s limit; a cancelled call aborts the
// request, and the server interrupts DuckDB.

import { z } from 'zod';
import type { CallToolResult, McpServer, ServerContext } from '@modelcontextprotocol/server';
import type { QueryRequest } from '../../contract/data-api.ts';
import { sessionApiPath } from '../../contract/data-limits.ts';
import type { McpContext } from '../context.ts';
import { portableSchema } from '../portable-schema.ts';
import { buildQueryResult, queryResultText, QueryResultSchema } from '../query-result.ts';
import { viewErrorText } from '../view-result-text.ts';
import type { Display } from '../view-result.ts';
import { clientCapabilities, registerViewerTool, rendersApps } from '../viewer-app.ts';
import { createLoadProgress, flushProgress } from './load-progress.ts';

/** Rows in the answer unless the agent asks for another number. */
export const DEFAULT_QUERY_LIMIT = 50;
/** The most rows one answer carries (the page shows every row anyway). */
export const MAX_QUERY_LIMIT = 10_000;
/** The server stops a query at 30 s (engine/query.ts); this covers that plus starting a server. */
export const QUERY_CALL_TIMEOUT_MS = 90_000;

const DESCRIPTION =
  'Run one read-only SQL query (DuckDB dialect: SELECT, WITH, FROM, VALUES, DESCRIBE, SUMMARIZE, PIVOT … IN (…)) over the files loaded with view_data in this session. Each file is a table named after it (sales.csv → sales; view_data says the name). Returns the first `limit` rows (default 50) with the total row count — check `truncated` — and shows the whole result to the person as a table. Reading other files, changing data or settings is refused; a query is stopped after 30 s.';

const InputSchema = z.object({
  sql: z.string().min(1).describe('One DuckDB SQL query over the loaded tables'),
  limit: z.number().int().min(0).max(MAX_QUERY_LIMIT).optional().describe(`Rows to return (default ${DEFAULT_QUERY_LIMIT}); the total is always reported`),
});

export function registerQueryDataTool(server: McpServer, ctx: McpContext): void {
  const handler = async (args: z.infer<typeof InputSchema>, req: ServerContext): Promise<CallToolResult> => {
    const signal = req.mcpReq.signal;
    // As view_data: a client that renders MCP Apps shows the result in the chat, so no browser tab as well.
    const display: Display = rendersApps(clientCapabilities(req, server)) ? 'app' : 'browser';
    const progress = createLoadProgress(req.mcpReq._meta?.progressToken, (n) => req.mcpReq.notify(n), undefined);
    try {
      const t0 = performance.now();
      const session = await ctx.viewerSession();
      const [{ ensureServer }, { callServer }, { QueryAnswerSchema }, { ServerAnswerError }] = await Promise.all([
        import('../../lifecycle/ensure-server.ts'),
        import('../../lifecycle/api-client.ts'),
        import('../../contract/data-api.ts'),
        import('./view-errors.ts'),
      ]);
      const choice = await ctx.port();
      const ensured = await ensureServer({ port: choice.port, explicitPort: choice.explicit, env: ctx.env, log: ctx.log });
      const t1 = performance.now();
      signal.throwIfAborted();
      const body: QueryRequest = { sql: args.sql, limit: args.limit ?? DEFAULT_QUERY_LIMIT, ...(display === 'app' ? { no_browser: true } : {}) };
      // Progress from the session's meta (DuckDB's percent) while the request runs, to a client that asked.
      await progress.report(0, 'running the query');
      progress.startLoad(ensured, session, 'the query');
      let raw: unknown;
      const t2 = performance.now();
      try {
        raw = await callServer<unknown>(ensured.port, `${sessionApiPath(session)}/query`, { method: 'POST', body, token: ensured.token, timeoutMs: QUERY_CALL_TIMEOUT_MS, signal });
      } finally {
        progress.stopLoad();
      }
      const t3 = performance.now();
      const answer = QueryAnswerSchema.safeParse(raw);
      if (!answer.success) throw new ServerAnswerError('/query', ensured, answer.error);
      ctx.dataServer.remember(ensured);
      const result = buildQueryResult(answer.data, display);
      const ms = (a: number, b: number): number => Math.round((b - a) * 10) / 10;
      const t4 = performance.now();
      ctx.log.info('query_data', { rows: result.total_rows, returned: result.returned_rows, ms: ms(t0, t4), ensure_ms: ms(t0, t1), server_ms: ms(t2, t3), answer_ms: ms(t3, t4) });
      ctx.activity.record(`query: ${result.total_rows} rows × ${result.columns.length} columns (${result.returned_rows} returned)`);
      await progress.complete('done');
      await flushProgress(progress);
      return { content: [{ type: 'text', text: queryResultText(result) }], structuredContent: result };
    } catch (err) {
      const { describeFailure } = await import('./view-errors.ts');
      const cancelled = signal.aborted;
      const failure = cancelled ? { code: 'E_CANCELLED', message: 'The query was cancelled; DuckDB was interrupted.', hint: undefined } : describeFailure(err);
      ctx.log.warn(cancelled ? 'query_data cancelled' : 'query_data failed', { error: err });
      ctx.activity.record(`query: ${cancelled ? 'cancelled' : 'failed'}${failure.code ? ` (${failure.code})` : ''}: ${failure.message}`);
      return { isError: true, content: [{ type: 'text', text: viewErrorText(failure.message, failure.hint, failure.code) }] };
    }
  };
  registerViewerTool(
    server,
    'query_data',
    {
      title: 'Query the loaded data with SQL',
      description: DESCRIPTION,
      inputSchema: portableSchema(InputSchema),
      outputSchema: portableSchema(QueryResultSchema),
      // Changes what the person's page shows, nothing on disk; the same SQL twice gives the same answer.
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    handler,
  );
}
