// Decides what /load does about a browser tab, and opens one with the OS opener when needed.
// refreshed: a page of the session is connected and will switch in place (any OS, no new tab); opened: we
// started the OS opener; skipped: the caller asked for no browser; disabled: --no-browser /
// BUCKAROO_NO_BROWSER; failed: the opener failed (the reason says why; the URL is still in /load's answer).

import { spawn } from 'node:child_process';
import type { BrowserAction } from '../contract/data-api.ts';
import type { ServerContext } from './context.ts';

export interface BrowserDecision {
  action: BrowserAction;
  /** Why the opener failed, when action is 'failed'. */
  reason?: string;
  /** The session's page came back after the load was announced: it has to be told again. */
  rejoined?: boolean;
}

/**
 * How long the opener may run before we call it a success. `open` and `start` return at once; some
 * `xdg-open` setups stay in the foreground with the browser, which is fine too.
 */
const OPENER_SETTLE_MS = 3_000;

export interface OpenerCommand {
  command: string;
  args: string[];
}

/** The OS's own "open this URL" command. Windows' `start` is a cmd built-in; "" is its window title. */
export function openerCommand(platform: NodeJS.Platform, url: string): OpenerCommand {
  if (platform === 'darwin') return { command: 'open', args: [url] };
  if (platform === 'win32') return { command: 'cmd', args: ['/d', '/s', '/c', 'start', '""', `"${url}"`] };
  return { command: 'xdg-open', args: [url] };
}

export type Opener = (url: string) => Promise<BrowserDecision>;

/** Runs the OS opener; resolves 'failed' with a readable reason if it cannot start or exits non-zero. */
export function openWithOs(url: string, platform: NodeJS.Platform = process.platform): Promise<BrowserDecision> {
  const { command, args } = openerCommand(platform, url);
  return new Promise((resolve) => {
    let stderr = '';
    let settled = false;
    const done = (d: BrowserDecision): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(d);
    };
    const child = spawn(command, args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: platform !== 'win32',
      windowsVerbatimArguments: platform === 'win32',
    });
    child.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-500)));
    child.on('error', (err: NodeJS.ErrnoException) => {
      const why = err.code === 'ENOENT' ? `${command} is not installed` : `${command} could not start: ${err.message}`;
      done({ action: 'failed', reason: `${why}; open the URL yourself` });
    });
    child.on('exit', (code, signal) => {
      if (code === 0) done({ action: 'opened' });
      else {
        const detail = stderr.trim() ? `: ${stderr.trim().split('\n').pop()}` : '';
        done({ action: 'failed', reason: `${command} exited with ${code ?? signal}${detail}; open the URL yourself` });
      }
    });
    const timer = setTimeout(() => {
      child.unref();
      done({ action: 'opened' });
    }, OPENER_SETTLE_MS);
    timer.unref();
  });
}

export async function decideBrowserAction(
  ctx: ServerContext,
  session: string,
  /** Mints the opener's own single-use link: it shows on the process list, so it must not be the agent's. */
  openerUrl: () => string,
  noBrowserRequested: boolean,
  open: Opener = openWithOs,
): Promise<BrowserDecision> {
  if (ctx.viewers.connected(session) > 0) return { action: 'refreshed' };
  // A page of the session left a moment ago: most likely its stream is being handed to another tab, or the
  // page is reloading. It comes back on its own; a new tab would be a duplicate.
  if (await ctx.viewers.rejoined(session)) return { action: 'refreshed', rejoined: true };
  if (noBrowserRequested) return { action: 'skipped' };
  if (ctx.noBrowser) return { action: 'disabled' };
  let url: string;
  try {
    url = openerUrl();
  } catch (err) {
    return { action: 'failed', reason: `could not prepare the browser's link (${(err as Error).message}); open the URL yourself` };
  }
  const decision = await open(url);
  // The link itself stays out of the log: it would open the table for whoever reads the log first.
  if (decision.action === 'failed') ctx.log.warn('could not open a browser', { session, reason: decision.reason });
  else ctx.log.info('opened a browser tab', { session });
  return decision;
}
