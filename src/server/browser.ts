// Decides what /load does about a browser tab (issue 5 owns the full version: the OS opener).
// refreshed: a page of the session is connected and will switch in place; opened: we opened a tab;
// skipped: the caller asked for no browser; disabled: --no-browser / BUCKAROO_NO_BROWSER; failed: opener failed.

import type { ServerContext } from './context.ts';

export type BrowserAction = 'refreshed' | 'opened' | 'skipped' | 'disabled' | 'failed';

export interface BrowserDecision {
  action: BrowserAction;
  /** Why the opener failed, when action is 'failed'. */
  reason?: string;
}

export async function decideBrowserAction(ctx: ServerContext, session: string, _url: string, noBrowserRequested: boolean): Promise<BrowserDecision> {
  if (ctx.viewers.connected(session) > 0) return { action: 'refreshed' };
  if (noBrowserRequested) return { action: 'skipped' };
  if (ctx.noBrowser) return { action: 'disabled' };
  return { action: 'failed', reason: 'opening a browser is not implemented yet' };
}
