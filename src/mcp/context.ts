// What MCP tools share: environment, logger, the port choice, and extra lines (e.g. an update notice).
// It belongs to the process, not to a server instance: serveStdio may build more than one McpServer per
// process (a 2026-07-28 probe discarded for a 2025 `initialize`), and the modern era has no session at all.

import type { PortChoice } from '../config.ts';
import type { Activity } from './activity.ts';
import type { DataServerLink } from './data-server.ts';
import type { Logger } from '../log.ts';
import type { Env } from '../paths.ts';

export interface McpContext {
  env: Env;
  log: Logger;
  /**
   * The configured port (flag/env/default); lifecycle may move to a fallback port. Async so `mcp` loads the
   * port-pointer module on the first tool call, not before answering `initialize`.
   */
  port(): Promise<PortChoice>;
  /** The data server last reached (view_data remembers it; the chat app's tools reuse it). */
  dataServer: DataServerLink;
  /** The last view_data calls and how they ended, for diagnostics. */
  activity: Activity;
  /**
   * The viewer session of this MCP process (one page that follows every view_data call of the process),
   * minted on first use so node:crypto is not loaded before the first answer.
   */
  viewerSession(): Promise<string>;
  /** Lines appended to diagnostics (update notice and the like). */
  extraDiagnostics(): string[];
  /**
   * Update-notice lines (e.g. "Update available: …", "Run: …"), empty when there is nothing to say.
   * buckaroo_diagnostics shows them in every result.
   */
  updateNotice(): string[];
  /** The update notice the first time there is one in this process, [] afterwards: view_data tells it once. */
  takeUpdateNotice(): string[];
}
