// Every wait in the lifecycle, named, with its unit, and the two a person may override from the
// environment (BUCKAROO_SHUTDOWN_TIMEOUT, BUCKAROO_STARTUP_TIMEOUT: milliseconds, or seconds with an `s`).

import { parseDurationMs } from '../config.ts';
import type { Env } from '../paths.ts';

/** How long a politely asked server (POST /shutdown) gets to leave before we verify and signal it. */
export const SHUTDOWN_TIMEOUT_MS = 3_000;
/** How long a freshly spawned server gets to answer /health. */
export const STARTUP_TIMEOUT_MS = 5_000;
/** The /shutdown request itself: a live server answers at once; a hung one must not stall us. */
export const SHUTDOWN_REQUEST_TIMEOUT_MS = 1_000;
/** Between SIGTERM and SIGKILL. */
export const SIGTERM_GRACE_MS = 1_000;
/** After SIGKILL, until the pid is gone and the port is free (the kernel needs a moment). */
export const SIGKILL_WAIT_MS = 1_000;
/** How often we look again while waiting for a process to leave or a server to come up. */
export const POLL_INTERVAL_MS = 20;
/** Slack on top of the worst case of one whole replacement, for the start lock's waiters. */
export const LOCK_WAIT_MARGIN_MS = 2_000;

export interface LifecycleTimeouts {
  shutdownMs: number;
  startupMs: number;
  sigtermGraceMs: number;
  sigkillWaitMs: number;
  /** A waiter for the start lock gives up after this: one full replace + start, plus a margin. */
  lockWaitMs: number;
}

function envDurationMs(env: Env, name: string, fallbackMs: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallbackMs;
  try {
    const ms = parseDurationMs(raw, name);
    return ms > 0 ? ms : fallbackMs;
  } catch {
    return fallbackMs; // a typo in an override must not break every tool call; the default is safe
  }
}

export function lifecycleTimeouts(env: Env = process.env): LifecycleTimeouts {
  const shutdownMs = envDurationMs(env, 'BUCKAROO_SHUTDOWN_TIMEOUT', SHUTDOWN_TIMEOUT_MS);
  const startupMs = envDurationMs(env, 'BUCKAROO_STARTUP_TIMEOUT', STARTUP_TIMEOUT_MS);
  return {
    shutdownMs,
    startupMs,
    sigtermGraceMs: SIGTERM_GRACE_MS,
    sigkillWaitMs: SIGKILL_WAIT_MS,
    lockWaitMs: SHUTDOWN_REQUEST_TIMEOUT_MS + shutdownMs + SIGTERM_GRACE_MS + SIGKILL_WAIT_MS + startupMs + LOCK_WAIT_MARGIN_MS,
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
