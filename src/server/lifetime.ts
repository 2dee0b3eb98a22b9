// When the shared server leaves on its own: after --idle-timeout with no request in flight or arriving and
// no viewer page open, or as soon as it is stale (its state file names another server, or its binary was
// replaced on disk and nobody is looking at a page). No session owns it, so no session's exit stops it.

import type http from 'node:http';
import fs from 'node:fs';
import { readStateFile } from '../contract/state-file.ts';
import { parseDurationMs } from '../config.ts';
import type { Env } from '../paths.ts';
import type { RunningServer } from './run.ts';

export const DEFAULT_IDLE_TIMEOUT_MS = 30 * 60_000;
/** How often the server asks itself whether it is idle or stale. */
export const STALE_CHECK_INTERVAL_MS = 2_000;
/** Short idle timeouts (tests, `--idle-timeout 5s`) are checked more often than the stale checks. */
const MIN_IDLE_CHECK_MS = 250;

/** `--idle-timeout`: minutes when bare (`30`), or with a unit (`90s`, `500ms`, `2m`); 0 disables it. */
export function parseIdleTimeout(arg: string | undefined): number {
  if (arg === undefined || arg.trim() === '') return DEFAULT_IDLE_TIMEOUT_MS;
  return parseDurationMs(arg, '--idle-timeout', 'm');
}

export interface LifetimeFacts {
  now: number;
  lastActivityMs: number;
  inFlight: number;
  viewers: number;
  /** 0 = never idle out. */
  idleMs: number;
  /** The state file for our port names our pid. */
  stateNamesUs: boolean;
  /** The executable we were started from is no longer the same file (replaced, rebuilt, removed). */
  binaryChanged: boolean;
}

export type LifetimeVerdict = { stop: false } | { stop: true; reason: string };

/** Pure: should the server leave now, and why. */
export function lifetimeVerdict(f: LifetimeFacts): LifetimeVerdict {
  if (!f.stateNamesUs) return { stop: true, reason: 'stale: the state file no longer names this server' };
  if (f.binaryChanged && f.viewers === 0) return { stop: true, reason: 'stale: the binary was replaced on disk' };
  if (f.idleMs > 0 && f.inFlight === 0 && f.viewers === 0 && f.now - f.lastActivityMs >= f.idleMs) {
    return { stop: true, reason: `idle for ${Math.round((f.now - f.lastActivityMs) / 1000)} s` };
  }
  return { stop: false };
}

/** Changes when the file is replaced (new inode), rewritten (size, mtime) or removed. */
export function fileFingerprint(file: string): string {
  try {
    const st = fs.statSync(file);
    return `${st.ino}:${st.size}:${st.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

export interface LifetimeOptions {
  idleMs: number;
  env: Env;
  /** The file this process runs from: the SEA binary, or the bundle under `node buckaroo-table.cjs`. */
  executable: string;
  now?: () => number;
  staleCheckMs?: number;
}

export interface Lifetime {
  /** Counts a request from arrival until its response closes. Pass to runServer as onRequest. */
  onRequest(req: http.IncomingMessage, res: http.ServerResponse): void;
  /** Starts the checks against the running server. */
  attach(running: RunningServer): void;
  dispose(): void;
}

export function createLifetime(opts: LifetimeOptions): Lifetime {
  const now = opts.now ?? Date.now;
  const binaryAtStart = fileFingerprint(opts.executable);
  let inFlight = 0;
  let lastActivityMs = now();
  const timers: NodeJS.Timeout[] = [];

  const check = (running: RunningServer, includeStale: boolean): void => {
    const { ctx } = running;
    const state = includeStale ? readStateFile(ctx.port, opts.env) : undefined;
    const v = lifetimeVerdict({
      now: now(),
      lastActivityMs,
      inFlight,
      viewers: ctx.viewers.total(),
      idleMs: opts.idleMs,
      stateNamesUs: includeStale ? state?.pid === ctx.pid : true,
      binaryChanged: includeStale ? fileFingerprint(opts.executable) !== binaryAtStart : false,
    });
    if (v.stop) running.stop(v.reason);
  };

  return {
    onRequest(_req, res) {
      inFlight++;
      lastActivityMs = now();
      res.once('close', () => {
        inFlight--;
        lastActivityMs = now();
      });
    },
    attach(running) {
      const staleMs = opts.staleCheckMs ?? STALE_CHECK_INTERVAL_MS;
      const stale = setInterval(() => check(running, true), staleMs);
      timers.push(stale);
      if (opts.idleMs > 0 && opts.idleMs < staleMs * 4) {
        timers.push(setInterval(() => check(running, false), Math.max(MIN_IDLE_CHECK_MS, Math.floor(opts.idleMs / 4))));
      }
      // The listening socket keeps the process alive; these timers must not.
      for (const t of timers) t.unref();
    },
    dispose() {
      for (const t of timers) clearInterval(t);
    },
  };
}
