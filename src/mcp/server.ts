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

export function createMcpServer(ctx: McpContext): McpServer {
  const server = new McpServer(
    { name: PRODUCT_NAME, version: VERSION },
    // No logging capability: nothing is sent that way (logs go to mcp.log), and 2026-07-28 deprecates it.
    { instructions: SERVER_INSTRUCTIONS, jsonSchemaValidator: new LazyAjvValidator() },
  );
  registerViewDataTools(server, ctx);
  registerQueryDataTool(server, ctx);
  registerCompareDataTool(server, ctx);
  registerDiagnosticsTool(server, ctx);
  registerPrompts(server);
  return server;
}
