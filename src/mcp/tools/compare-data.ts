// compare_data(left, right, keys?): loads both files into this MCP process's session (each a table for
// query_data), matches rows by key (given, or detected and named), and shows the person the differing rows.

import path from 'node:path';
import { z } from 'zod';
import type { CallToolResult, McpServer, ServerContext } from '@modelcontextprotocol/server';
import type { CompareRequest } from '../../contract/data-api.ts';
import { LOAD_TIMEOUT_MS, sessionApiPath } from '../../contract/data-limits.ts';
import type { McpContext } from '../context.ts';
import { buildCompareResult, compareResultText, CompareResultSchema } from '../compare-result.ts';
import { portableSchema } from '../portable-schema.ts';
import { viewErrorText } from '../view-result-text.ts';
import type { Display } from '../view-result.ts';
import { clientCapabilities, registerViewerTool, rendersApps } from '../viewer-app.ts';
import { createLoadProgress, flushProgress } from './load-progress.ts';
import { resolveDataPath } from './view-data.ts';

const DESCRIPTION =
  'Compare two data files (CSV, TSV, Parquet, JSON…): rows only in the left, rows only in the right, and changed rows, matched by `keys` (or by a detected key column, which the result names), with changed cells counted per column, plus columns only on one side and type changes. The person sees the differing rows in their browser, changed cells as old → new. Both files stay loaded as tables for query_data.';

const InputSchema = z.object({
  left: z.string().min(1).describe('The first (older) file: absolute, relative to the working directory, or ~/…'),
  right: z.string().min(1).describe('The second (newer) file'),
  keys: z.array(z.string()).optional().describe('Columns that identify a row in both files; detected when left out'),
});

export function registerCompareDataTool(server: McpServer, ctx: McpContext): void {
  const handler = async (args: z.infer<typeof InputSchema>, req: ServerContext): Promise<CallToolResult> => {
    const signal = req.mcpReq.signal;
    // As view_data: a client that renders MCP Apps shows the result in the chat, so no browser tab as well.
    const display: Display = rendersApps(clientCapabilities(req, server)) ? 'app' : 'browser';
    const progress = createLoadProgress(req.mcpReq._meta?.progressToken, (n) => req.mcpReq.notify(n), undefined);
    const left = resolveDataPath(args.left, process.cwd(), ctx.env);
    const right = resolveDataPath(args.right, process.cwd(), ctx.env);
    try {
      const session = await ctx.viewerSession();
      const [{ ensureServer }, { callServer }, { CompareAnswerSchema }, { ServerAnswerError }] = await Promise.all([
        import('../../lifecycle/ensure-server.ts'),
        import('../../lifecycle/api-client.ts'),
        import('../../contract/data-api.ts'),
        import('./view-errors.ts'),
      ]);
      const choice = await ctx.port();
      const ensured = await ensureServer({ port: choice.port, explicitPort: choice.explicit, env: ctx.env, log: ctx.log });
      signal.throwIfAborted();
      const body: CompareRequest = { left, right, ...(args.keys && args.keys.length > 0 ? { keys: args.keys } : {}), ...(display === 'app' ? { no_browser: true } : {}) };
      // Progress from the session's meta (DuckDB's percent) while the request runs, to a client that asked.
      await progress.report(0, 'loading both files');
      progress.startLoad(ensured, session, `${path.basename(left)} → ${path.basename(right)}`);
      let raw: unknown;
      try {
        // Two loads and a join: as long as view_data may take for a big file.
        raw = await callServer<unknown>(ensured.port, `${sessionApiPath(session)}/compare`, { method: 'POST', body, token: ensured.token, timeoutMs: LOAD_TIMEOUT_MS, signal });
      } finally {
        progress.stopLoad();
      }
      const answer = CompareAnswerSchema.safeParse(raw);
      if (!answer.success) throw new ServerAnswerError('/compare', ensured, answer.error);
      ctx.dataServer.remember(ensured);
      const result = buildCompareResult(answer.data, display);
      ctx.log.info('compare_data', { left, right, keys: result.keys, ms: result.compare_ms });
      ctx.activity.record(`compare ${left} → ${right}: ${result.summary}`);
      await progress.complete('done');
      await flushProgress(progress);
      return { content: [{ type: 'text', text: compareResultText(result) }], structuredContent: result };
    } catch (err) {
      const { describeFailure } = await import('./view-errors.ts');
      const cancelled = signal.aborted;
      const failure = cancelled ? { code: 'E_CANCELLED', message: `Comparing ${left} and ${right} was cancelled; what the person's page shows is unchanged.`, hint: undefined } : describeFailure(err);
      ctx.log.warn(cancelled ? 'compare_data cancelled' : 'compare_data failed', { left, right, error: err });
      ctx.activity.record(`compare ${left} → ${right}: ${cancelled ? 'cancelled' : 'failed'}${failure.code ? ` (${failure.code})` : ''}: ${failure.message}`);
      return { isError: true, content: [{ type: 'text', text: viewErrorText(failure.message, failure.hint, failure.code) }] };
    }
  };
  registerViewerTool(
    server,
    'compare_data',
    {
      title: 'Compare two data files',
      description: DESCRIPTION,
      inputSchema: portableSchema(InputSchema),
      outputSchema: portableSchema(CompareResultSchema),
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    handler,
  );
}
