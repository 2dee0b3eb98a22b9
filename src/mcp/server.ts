// Builds the McpServer: name, instructions, tools and prompts. Transport-agnostic so tests can connect it
// in-process; cli/mcp.ts attaches it to stdio.

import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { PRODUCT_NAME, VERSION } from '../version.ts';
import type { McpContext } from './context.ts';
import { SERVER_INSTRUCTIONS } from './instructions.ts';
import { LazyAjvValidator } from './lazy-validator.ts';
import { registerPrompts } from './prompts.ts';
import { registerDiagnosticsTool } from './tools/diagnostics.ts';
import { registerViewDataTools } from './tools/view-data.ts';

export function createMcpServer(ctx: McpContext): McpServer {
  const server = new McpServer(
    { name: PRODUCT_NAME, version: VERSION },
    { instructions: SERVER_INSTRUCTIONS, capabilities: { logging: {} }, jsonSchemaValidator: new LazyAjvValidator() },
  );
  registerViewDataTools(server, ctx);
  registerDiagnosticsTool(server, ctx);
  registerPrompts(server);
  return server;
}
