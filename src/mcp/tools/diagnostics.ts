// buckaroo_diagnostics: is a data server running where we expect it, and what does it say about itself?

import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ProbeResult } from '../../lifecycle/probe.ts';
import { mcpLogPath, serverLogPath } from '../../paths.ts';
import { VERSION } from '../../version.ts';
import type { McpContext } from '../context.ts';

export function registerDiagnosticsTool(server: McpServer, ctx: McpContext): void {
  server.registerTool(
    'buckaroo_diagnostics',
    {
      title: 'buckaroo-table diagnostics',
      description:
        'Report whether the buckaroo-table data server is running, its version, pid and port, and where its logs are. Use it when view_data fails or the person reports a problem with the table page.',
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
      const lines = [
        `buckaroo-table ${VERSION} (MCP pid ${process.pid})`,
        describeProbe(probed),
        `Logs: ${serverLogPath(ctx.env)} (server), ${mcpLogPath(ctx.env)} (this MCP process)`,
        ...ctx.extraDiagnostics(),
        ...ctx.activity.lines(),
      ];
      if (details !== undefined) lines.push('', 'Server diagnostics:', JSON.stringify(details, null, 2));
      return { content: [{ type: 'text' as const, text: lines.join('\n') }] };
    },
  );
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
