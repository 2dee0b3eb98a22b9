// Builds the McpServer: name, instructions, tools and prompts. Transport-agnostic so tests can connect it
// in-process; cli/mcp.ts serves it on stdio (both protocol eras, one instance per era choice).

import { McpServer } from '@modelcontextprotocol/server';
import { VIEWER_TOOLS } from '../contract/viewer-app.ts';
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
import { hideAppOnlyToolsPerRequest, registerViewerAppResource, rendersApps } from './viewer-app.ts';

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
  // The app-only tools are the app's: a client that does not render apps would list them to its model.
  if (era === 'modern') {
    // No initialize: each tools/list carries the client's capabilities (viewer-app.ts). Should the SDK not let us
    // filter, they stay listed, marked `visibility: ["app"]` for hosts to hide.
    if (!hideAppOnlyToolsPerRequest(server, Object.values(VIEWER_TOOLS))) ctx.log.warn('app-only tools listed to every 2026-07-28 client: the SDK offers no tools/list handler to wrap');
  } else {
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
