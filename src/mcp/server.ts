// Builds the McpServer: name, instructions, tools and prompts. Transport-agnostic so tests can connect it
// in-process; cli/mcp.ts serves it on stdio (both protocol eras, one instance per era choice).

import { McpServer } from '@modelcontextprotocol/server';
import { PRODUCT_NAME, VERSION } from '../version.ts';
import type { McpContext } from './context.ts';
import { SERVER_INSTRUCTIONS } from './instructions.ts';
import { LazyAjvValidator } from './lazy-validator.ts';
import { registerPrompts } from './prompts.ts';
import { registerCompareDataTool } from './tools/compare-data.ts';
import { registerDiagnosticsTool } from './tools/diagnostics.ts';
import { registerQueryDataTool } from './tools/query-data.ts';
import { registerViewDataTools } from './tools/view-data.ts';
import { registerViewerDataTools } from './tools/viewer-data.ts';
import { registerViewerAppResource, rendersApps } from './viewer-app.ts';

/** `era`: how the client opened the connection; in the 2025 era, its `initialize` says whether it renders apps. */
export function createMcpServer(ctx: McpContext, era: 'legacy' | 'modern' = 'legacy'): McpServer {
  const server = new McpServer(
    { name: PRODUCT_NAME, version: VERSION },
    // No logging capability: nothing is sent that way (logs go to mcp.log), and 2026-07-28 deprecates it.
    { instructions: SERVER_INSTRUCTIONS, jsonSchemaValidator: new LazyAjvValidator() },
  );
  registerViewDataTools(server, ctx);
  registerQueryDataTool(server, ctx);
  registerCompareDataTool(server, ctx);
  const appTools = registerViewerDataTools(server, ctx);
  if (era === 'legacy') {
    // The app-only tools are the app's: a client that does not render apps would list them to its model. The
    // 2026-07-28 era has no initialize (capabilities come with each request), so there they stay listed and
    // hosts hide them by their `visibility: ["app"]`.
    appTools.forEach((t) => t.disable());
    server.server.oninitialized = () => {
      if (rendersApps(server.server.getClientCapabilities())) appTools.forEach((t) => t.enable());
    };
  }
  registerViewerAppResource(server);
  registerDiagnosticsTool(server, ctx);
  registerPrompts(server);
  return server;
}
