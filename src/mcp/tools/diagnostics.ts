// buckaroo_diagnostics: is a data server running where we expect it, and what does it say about itself?
// The text is rendered from the structured result alone: clients that show the model only structuredContent
// (Claude Code, Codex) lose nothing.

import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { ProbeResult } from '../../lifecycle/probe.ts';
import { mcpLogPath, serverLogPath } from '../../paths.ts';
import { VERSION } from '../../version.ts';
import type { McpContext } from '../context.ts';
import { portableSchema } from '../portable-schema.ts';

export const DiagnosticsResultSchema = z.object({
  summary: z.string().describe('This MCP process: version and pid.'),
  server: z.object({
    port: z.number(),
    state: z.enum(['nothing', 'ours', 'old-style', 'hung', 'foreign']),
    description: z.string().describe('What answers on the port, in one sentence.'),
  }),
  logs: z.object({ server: z.string(), mcp: z.string() }),
  notes: z.array(z.string()).describe('The update check and any update notice.'),
  update: z.array(z.string()).describe('An update notice to pass on to the person (empty when there is none).'),
  recent_calls: z.array(z.string()).describe("This MCP process's last view_data calls, newest first."),
  server_diagnostics: z.string().nullable().describe("The data server's own /diagnostics answer, as JSON text (null when no server of ours answers)."),
});
export type DiagnosticsResult = z.infer<typeof DiagnosticsResultSchema>;

export function registerDiagnosticsTool(server: McpServer, ctx: McpContext): void {
  server.registerTool(
    'buckaroo_diagnostics',
    {
      title: 'buckaroo-table diagnostics',
      description:
        'Report whether the buckaroo-table data server is running, its version, pid and port, and where its logs are. Use it when view_data fails or the person reports a problem with the table page.',
      outputSchema: portableSchema(DiagnosticsResultSchema),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async () => {
      // Loaded on first use: `mcp` answers `initialize` before evaluating node:http and the HTTP client.
      const [{ callServer, DIAGNOSTICS_TIMEOUT_MS }, { probe }] = await Promise.all([import('../../lifecycle/api-client.ts'), import('../../lifecycle/probe.ts')]);
      const port = (await ctx.port()).port;
      const probed = await probe(port);
      let details: unknown;
      if (probed.kind === 'ours') {
        try {
          details = await callServer<unknown>(port, '/diagnostics', { timeoutMs: DIAGNOSTICS_TIMEOUT_MS });
        } catch (err) {
          details = { error: (err as Error).message };
        }
      }
      const result: DiagnosticsResult = {
        summary: `buckaroo-table ${VERSION} (MCP pid ${process.pid})`,
        server: { port, state: probed.kind, description: describeProbe(probed) },
        logs: { server: serverLogPath(ctx.env), mcp: mcpLogPath(ctx.env) },
        notes: ctx.extraDiagnostics(),
        update: ctx.updateNotice(),
        recent_calls: ctx.activity.lines(),
        server_diagnostics: details === undefined ? null : JSON.stringify(details, null, 2),
      };
      return { content: [{ type: 'text' as const, text: diagnosticsText(result) }], structuredContent: result };
    },
  );
}

/** The text, from the structured result alone. */
export function diagnosticsText(r: DiagnosticsResult): string {
  const lines = [r.summary, r.server.description, `Logs: ${r.logs.server} (server), ${r.logs.mcp} (this MCP process)`, ...r.notes, ...r.recent_calls];
  if (r.server_diagnostics !== null) lines.push('', 'Server diagnostics:', r.server_diagnostics);
  return lines.join('\n');
}

export function describeProbe(p: ProbeResult): string {
  switch (p.kind) {
    case 'nothing':
      return `No server is running on port ${p.port}; the next view_data starts one.`;
    case 'ours':
      return `Server ${p.health.version} (protocol ${p.health.protocol}) is running on port ${p.port}, pid ${p.health.pid}, up ${p.health.uptime_s} s, binary ${p.health.exe}.`;
    case 'old-style':
      return `${p.version ? `A Buckaroo server ${p.version} (no protocol information)` : 'An older Buckaroo server without version information'} is running on port ${p.port}${p.pid ? `, pid ${p.pid}` : ''}; the next view_data replaces it.`;
    case 'hung':
      return `Something on port ${p.port} accepts connections but does not answer /health (hung or stopped); the next view_data replaces it if it is ours.`;
    case 'foreign':
      return `Port ${p.port} is held by another program (HTTP ${p.status ?? '?'}, ${p.contentType || 'no content type'}); buckaroo-table will not touch it.`;
  }
}
