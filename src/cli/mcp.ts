// `buckaroo-table mcp`: the MCP stdio server agents start. stdout carries only the protocol; logs go to
// ~/.buckaroo/logs/mcp.log. Exits when the client closes stdin.
//
// Both protocol eras on the one stdio: serveStdio reads the opening message — `initialize` (2025-11-25 and
// older) or `server/discover` / a request carrying the 2026-07-28 `_meta` envelope — and pins one McpServer
// from the factory for the connection. The factory may run twice (a modern probe discarded for a legacy
// `initialize`), so what must live once per process (viewer session, update notice) is in the context.

import '../mcp/zod-jitless.ts'; // first: before the SDK's schemas are built
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { fileLogger } from '../log.ts';
import { createActivity } from '../mcp/activity.ts';
import type { McpContext } from '../mcp/context.ts';
import { createDataServerLink } from '../mcp/data-server.ts';
import { createMcpServer } from '../mcp/server.ts';
import { mcpLogPath } from '../paths.ts';
import { createUpdateCheck } from '../update/check.ts';
import { VERSION } from '../version.ts';

export async function mcpCommand(_args: string[]): Promise<'running'> {
  const env = process.env;
  const log = fileLogger(mcpLogPath(env), 'mcp');
  // Runs in the background from the client's first message; tools only read its current answer and never wait.
  const update = createUpdateCheck({ env, log });
  let session: Promise<string> | undefined;
  let noticeShown = false;
  const ctx: McpContext = {
    env,
    log,
    activity: createActivity(),
    port: async () => (await import('../lifecycle/port-pointer.ts')).resolveServerPort(undefined, env),
    dataServer: createDataServerLink(async () => {
      const [{ ensureServer }, choice] = await Promise.all([import('../lifecycle/ensure-server.ts'), ctx.port()]);
      return ensureServer({ port: choice.port, explicitPort: choice.explicit, env, log });
    }),
    viewerSession: () => (session ??= import('../contract/session-id.ts').then((m) => m.newSessionId())),
    extraDiagnostics: () => [update.statusLine(), ...update.noticeLines()],
    updateNotice: () => update.noticeLines(),
    takeUpdateNotice: () => {
      // If the background check has not answered by the first call, a later call still tells the person once.
      if (noticeShown) return [];
      const lines = update.noticeLines();
      noticeShown = lines.length > 0;
      return lines;
    },
  };
  const handle = serveStdio(
    ({ era }) => {
      log.info('protocol era', { era });
      void update.start();
      return createMcpServer(ctx, era);
    },
    { onerror: (error) => log.warn('mcp transport', { error }) },
  );
  // Timers or sockets left open must not keep us alive after the agent has gone.
  process.stdin.on('end', () => {
    log.info('stdin closed; exiting');
    void handle.close().finally(() => process.exit(0));
  });
  log.info('started', { version: VERSION, pid: process.pid });
  return 'running';
}
