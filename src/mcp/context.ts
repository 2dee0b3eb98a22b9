// What MCP tools share: environment, logger, the port choice, and extra lines (e.g. an update notice).

import type { PortChoice } from '../config.ts';
import type { Activity } from './activity.ts';
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
  /** The last view_data calls and how they ended, for diagnostics. */
  activity: Activity;
  /** Lines appended to diagnostics (update notice and the like). */
  extraDiagnostics(): string[];
  /**
   * Update-notice lines (e.g. "Update available: …", "Run: …"), empty when there is nothing to say. view_data
   * appends them to its first result of the MCP session; buckaroo_diagnostics to every result.
   */
  updateNotice(): string[];
}
