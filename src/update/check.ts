// The once-per-MCP-process background update check: cache → (if stale) feed → cache → notice lines.
// Started once right after the MCP handshake and never awaited by a tool; every failure is logged, silently.

import type { Logger } from '../log.ts';
import type { Env } from '../paths.ts';
import { VERSION } from '../version.ts';
import { updateCheckDisabledReason } from './disabled.ts';
import { detectInstallMethod, type InstallMethod } from './install-method.ts';
import { updateNoticeLines } from './notice.ts';

export type UpdateCheckState =
  | { kind: 'disabled'; reason: string }
  | { kind: 'pending' }
  | { kind: 'failed'; message: string }
  | { kind: 'done'; latest: string; offered?: string; from: 'cache' | 'feed' };

/** If the client never sends `initialized`, start anyway after this long. */
export const UPDATE_CHECK_FALLBACK_START_MS = 1_000;

export interface UpdateCheck {
  /** Starts the check (later calls do nothing). Resolves when it has finished and never rejects; tools must not await it. */
  start(): Promise<void>;
  state(): UpdateCheckState;
  /** "Update available: …" and "Run: …", or [] while pending, failed, disabled or up to date. */
  noticeLines(): string[];
  /** One line for diagnostics on what the check found. */
  statusLine(): string;
}

export interface UpdateCheckOptions {
  env: Env;
  log: Logger;
  current?: string;
  now?: () => Date;
  installMethod?: InstallMethod;
  timeoutMs?: number;
}

export function createUpdateCheck(opts: UpdateCheckOptions): UpdateCheck {
  const current = opts.current ?? VERSION;
  const now = opts.now ?? (() => new Date());
  const log = opts.log.child('update');
  const disabled = updateCheckDisabledReason(opts.env);
  let state: UpdateCheckState = disabled ? { kind: 'disabled', reason: disabled } : { kind: 'pending' };
  let method: InstallMethod | undefined = opts.installMethod;

  const run = async (): Promise<void> => {
    if (disabled) {
      log.debug('update check disabled', { reason: disabled });
      return;
    }
    // Loaded here, not at the top: `mcp` creates this check before the handshake and must answer it first.
    const [{ isCacheFresh, readUpdateCache, writeUpdateCache }, { BACKGROUND_FEED_TIMEOUT_MS, feedUrl, fetchRelease }, { offeredUpdate }, { releaseVersion }] =
      await Promise.all([import('./cache.ts'), import('./feed.ts'), import('./policy.ts'), import('./release.ts')]);
    const source = feedUrl(opts.env);
    const cached = readUpdateCache(opts.env);
    if (isCacheFresh(cached, source, now())) {
      state = { kind: 'done', latest: cached.latest, offered: offeredUpdate(current, cached.latest), from: 'cache' };
      log.info('update check from cache', { latest: cached.latest, checked_at: cached.checked_at });
      return;
    }
    const t0 = performance.now();
    const release = await fetchRelease(source, opts.timeoutMs ?? BACKGROUND_FEED_TIMEOUT_MS, opts.env);
    const latest = releaseVersion(release)!; // fetchRelease only returns releases whose tag is a version
    state = { kind: 'done', latest, offered: offeredUpdate(current, latest), from: 'feed' };
    log.info('update check from feed', { latest, current, ms: Math.round(performance.now() - t0) });
    try {
      writeUpdateCache({ checked_at: now().toISOString(), latest, source }, opts.env);
    } catch (err) {
      // The answer is still good for this process; the next one just asks again.
      log.warn('could not write the update cache', { error: err });
    }
  };

  let started: Promise<void> | undefined;
  const start = (): Promise<void> => {
    clearTimeout(fallback);
    started ??= run().catch((err: unknown) => {
      const message = (err as Error)?.message ?? String(err);
      state = { kind: 'failed', message };
      log.warn('update check failed', { code: (err as { code?: string }).code, message });
    });
    return started;
  };
  const fallback = setTimeout(() => void start(), UPDATE_CHECK_FALLBACK_START_MS);
  fallback.unref();

  return {
    start,
    state: () => state,
    noticeLines: () => {
      if (state.kind !== 'done' || !state.offered) return [];
      method ??= detectInstallMethod();
      return updateNoticeLines(current, state.offered, method);
    },
    statusLine: () => {
      switch (state.kind) {
        case 'disabled':
          return `Update check: off (${state.reason}).`;
        case 'pending':
          return 'Update check: still running.';
        case 'failed':
          return `Update check: failed (${state.message}).`;
        case 'done':
          return state.offered
            ? `Update check: ${state.offered} is available (checked via ${state.from}).`
            : `Update check: up to date (latest release ${state.latest}, via ${state.from}).`;
      }
    },
  };
}
