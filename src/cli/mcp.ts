// `buckaroo-table mcp`: the MCP stdio server agents start. stdout carries only the protocol; logs go to
// ~/.buckaroo/logs/mcp.log. Exits when the client closes stdin.

import '../mcp/zod-jitless.ts'; // first: before the SDK's schemas are built
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { fileLogger } from '../log.ts';
import { createActivity } from '../mcp/activity.ts';
import { createMcpServer } from '../mcp/server.ts';
import { mcpLogPath } from '../paths.ts';
import { createUpdateCheck } from '../update/check.ts';
import { VERSION } from '../version.ts';

export async function mcpCommand(_args: string[]): Promise<'running'> {
  const env = process.env;
  const log = fileLogger(mcpLogPath(env), 'mcp');
  // Runs in the background once the handshake is done; tools only read its current answer and never wait.
  const update = createUpdateCheck({ env, log });
  const server = createMcpServer({
    env,
    log,
    activity: createActivity(),
    port: async () => (await import('../lifecycle/port-pointer.ts')).resolveServerPort(undefined, env),
    extraDiagnostics: () => [update.statusLine(), ...update.noticeLines()],
    updateNotice: () => update.noticeLines(),
  });
  server.server.oninitialized = () => void update.start();
  const transport = new StdioServerTransport();
  // Timers or sockets left open must not keep us alive after the agent has gone.
  process.stdin.on('end', () => {
    log.info('stdin closed; exiting');
    void server.close().finally(() => process.exit(0));
  });
  await server.connect(transport);
  log.info('started', { version: VERSION, pid: process.pid });
  return 'running';
}
