// ensureServer(port): the one door every caller (MCP tools, CLI commands) goes through to get a data server
// of our version. probe → decide (decide.ts) → reuse | retire (shutdown → verified kill) + start | move aside,
// under the start lock.

import { ensureRunDir, readStateFile, type StateFile } from '../contract/state-file.ts';
import type { Logger } from '../log.ts';
import { isCompiledBinary } from '../os/compiled-binary.ts';
import type { Env } from '../paths.ts';
import { PROTOCOL, VERSION } from '../version.ts';
import { compareVersions, decideAction, newerServerNotice, type Action } from './decide.ts';
import { EnsureServerError } from './errors.ts';
import { acquireStartLock } from './lock.ts';
import { describePortHolder, pickFreePort } from './port-holder.ts';
import { fallbackPortFor, readPortPointer, writePortPointer } from './port-pointer.ts';
import { probe, PROBE_TIMEOUT_MS, type ProbeResult } from './probe.ts';
import { forgetDeadServer, retireServer, type Previous } from './retire.ts';
import { spawnServer, waitForReady } from './spawn.ts';
import { processState } from './verify-pid.ts';
import { newerInstalledBinary, recordStartedBinary } from './newest-binary.ts';
import { lifecycleTimeouts, type LifecycleTimeouts } from './timeouts.ts';

export { EnsureServerError } from './errors.ts';

/** A child that lost a bind race makes us probe again; more than this many losses in a row is an error. */
const MAX_START_ATTEMPTS = 3;

export interface EnsureResult {
  status: 'reused' | 'started' | 'replaced';
  pid: number;
  version: string;
  port: number;
  /** The bearer token for mutating endpoints, from the server's state file. */
  token: string;
  previous?: Previous;
  /** Set when a newer server was reused (restart your session) or the server fell back to another port. */
  notice?: string;
  ms: number;
}

export interface EnsureOptions {
  port: number;
  explicitPort: boolean;
  env?: Env;
  log: Logger;
  /** Replace the server even when its version matches (`buckaroo-table restart`). */
  replace?: boolean;
}

interface Request {
  port: number;
  explicit: boolean;
  env: Env;
  log: Logger;
  replace: boolean;
  timeouts: LifecycleTimeouts;
  t0: number;
}

export async function ensureServer(opts: EnsureOptions): Promise<EnsureResult> {
  const req: Request = {
    port: opts.port,
    explicit: opts.explicitPort,
    env: opts.env ?? process.env,
    log: opts.log.child('lifecycle'),
    replace: opts.replace === true,
    timeouts: lifecycleTimeouts(opts.env ?? process.env),
    t0: performance.now(),
  };
  // Tokens are read from run/: refuse one that another user could have planted files in.
  try {
    ensureRunDir(req.env);
  } catch (err) {
    throw new EnsureServerError((err as Error).message, 'E_RUN_DIR_UNSAFE');
  }
  // Fast path, no lock: the common case is a healthy server of our version.
  const port = targetPort(req);
  const before = snapshot(port, req.env);
  const first = await look(port, req);
  const quick = reuse(first, req);
  if (quick) return quick;

  const lock = await acquireStartLock(req.env, req.timeouts.lockWaitMs);
  try {
    // A hung server costs a whole probe timeout to ask again. Every start or replacement rewrites the state
    // file (or the pointer), so if neither changed while we waited for the lock, the first answer still holds.
    const unchanged = first.found.kind === 'hung' && targetPort(req) === port && snapshot(port, req.env) === before;
    return await ensureLocked(req, unchanged ? first.found : undefined);
  } finally {
    await lock.release();
  }
}

/**
 * The configured port, or the fallback port a live server of ours moved to (never for an explicit port,
 * except 0 = "any free port", which is found again through the same pointer).
 */
function targetPort(req: Request): number {
  return req.explicit && req.port !== 0 ? req.port : (fallbackPortFor(req.port, req.env) ?? req.port);
}

/** What one look at the port found: the probe, the port's state file, and the action they lead to. */
interface Look {
  found: ProbeResult;
  state: StateFile | undefined;
  action: Action;
}

async function look(port: number, req: Request, answer?: ProbeResult): Promise<Look> {
  const state = readStateFile(port, req.env);
  const found = await notHungWhileStarting(answer ?? (await probe(port)), state, req);
  const stateNamesServer = found.kind === 'ours' && state?.pid === found.health.pid;
  return { found, state, action: decideAction({ found, stateNamesServer, ourVersion: VERSION, ourProtocol: PROTOCOL, restart: req.replace }) };
}

/**
 * A server another client started moments ago may still be busy starting (evaluating its data routes, on a
 * loaded machine for over a probe's 500 ms): it is not hung until its own start-up time is over. Without this,
 * of ten clients after an upgrade, one killed the server another had just started and started a second one.
 */
async function notHungWhileStarting(found: ProbeResult, state: StateFile | undefined, req: Request): Promise<ProbeResult> {
  if (found.kind !== 'hung' || !state) return found;
  const startedAgoMs = Date.now() - Date.parse(state.started);
  const leftMs = req.timeouts.startupMs - startedAgoMs;
  if (!(leftMs > 0)) return found;
  // Stopped (SIGSTOP, a debugger) or gone: no amount of waiting helps.
  const running = processState(state.pid);
  if (running === '' || running === 'T' || running === 't' || running === 'Z') return found;
  req.log.info('the server started moments ago and has not answered yet; waiting for it', { port: found.port, pid: state.pid, started_ms_ago: Math.round(startedAgoMs) });
  return probe(found.port, Math.max(PROBE_TIMEOUT_MS, leftMs));
}

/** The result of a reuse action (decideAction only reuses a server whose state file, with its token, we read). */
function reuse({ found, state, action }: Look, req: Request): EnsureResult | undefined {
  if (found.kind !== 'ours' || !state || (action.kind !== 'reuse' && action.kind !== 'reuse-newer')) return undefined;
  const h = found.health;
  return {
    status: 'reused',
    pid: h.pid,
    version: h.version,
    port: found.port,
    token: state.token,
    ...(action.kind === 'reuse-newer' ? { notice: action.notice } : {}),
    ms: elapsed(req),
  };
}

/** What another client's start or replacement would have changed: the port's state file and the pointer. */
function snapshot(port: number, env: Env): string {
  return JSON.stringify([readStateFile(port, env) ?? null, readPortPointer(env) ?? null]);
}

async function ensureLocked(req: Request, firstAnswer?: ProbeResult): Promise<EnsureResult> {
  let previous: Previous | undefined;
  for (let attempt = 1; ; attempt++) {
    const port = targetPort(req);
    // Port 0 and no live server found through the pointer: start one on a free port and point there.
    if (port === 0) return startOnFallback(req, port, undefined);
    forgetDeadServer(port, req.env);
    const seen = await look(port, req, attempt === 1 ? firstAnswer : undefined);
    const { found, action } = seen;
    req.log.info('probed', { port, kind: found.kind, action: action.kind, attempt });
    switch (action.kind) {
      case 'reuse':
      case 'reuse-newer': {
        const reused = reuse(seen, req)!; // a reuse action always has the state file it was decided on
        // (After we retired the old server, another process's start won the port: still a replacement.)
        return previous ? { ...reused, status: 'replaced', previous } : reused;
      }
      case 'refuse-newer':
        throw new EnsureServerError(action.message, 'E_NEWER_SERVER');
      case 'move-aside':
        return startOnFallback(req, port, describePortHolder(port));
      case 'retire-live':
      case 'retire-hung':
        req.log.info('replacing the server', { port, reason: action.reason });
        try {
          previous = await retireServer(found, action.kind === 'retire-live' ? 'ask-first' : 'kill-path', req.env, req.timeouts, req.log);
        } catch (err) {
          if (!(err instanceof EnsureServerError && err.code === 'E_NOT_OURS')) throw err;
          req.log.warn('will not touch the process on the port', { port, reason: err.message });
          return startOnFallback(req, port, `${describePortHolder(port)} (${err.message.replace(/\.$/, '')})`);
        }
        break;
      case 'start':
        break;
    }

    const started = await startAndWait(req, port);
    if (started) return { ...started, ...(previous ? { status: 'replaced' as const, previous } : {}) };
    if (attempt >= MAX_START_ATTEMPTS) {
      throw new EnsureServerError(`The data server lost the race for port ${port} ${attempt} times in a row; try again.`, 'E_STARTUP_FAILED');
    }
    req.log.info('lost a bind race; probing again', { port });
  }
}

/** Starts a server on `port`; undefined when another process bound the port first (probe again). */
async function startAndWait(req: Request, port: number): Promise<EnsureResult | undefined> {
  // Never start an older server than the newest installed: a newer binary that once ran here starts instead.
  const newer = isCompiledBinary() ? await newerInstalledBinary(VERSION, req.env) : undefined;
  const child = spawnServer(port, req.env, [], newer);
  req.log.info('started a server', { port, pid: child.pid, ...(newer ? { executable: newer } : {}) });
  const outcome = await waitForReady(port, child, req.env, req.timeouts.startupMs);
  if (outcome.kind === 'lost-race') return undefined;
  const s = outcome.state;
  recordStartedBinary(s, req.env);
  // A newer binary started: the recorded one, or ours replaced on disk since this session began.
  const newerNotice = compareVersions(s.version, VERSION) === 'newer' ? { notice: newerServerNotice(s.version, VERSION) } : {};
  return { status: 'started', pid: s.pid, version: s.version, port: s.port, token: s.token, ...newerNotice, ms: elapsed(req) };
}

/**
 * The port is held by something that is not ours (`holder`): never touch it; move to a free port unless one
 * was chosen. Also how port 0 ("any free port", no holder) starts a server that later clients can find.
 */
async function startOnFallback(req: Request, port: number, holder: string | undefined): Promise<EnsureResult> {
  if (holder !== undefined && req.explicit) {
    throw new EnsureServerError(
      `Port ${port} is held by ${holder}. buckaroo-table will not touch it. Choose another port with ` +
        `BUCKAROO_PORT=<port> (or --port), or unset BUCKAROO_PORT to let buckaroo-table pick a free one.`,
      'E_PORT_HELD',
    );
  }
  for (let attempt = 1; attempt <= MAX_START_ATTEMPTS; attempt++) {
    const fallback = await pickFreePort();
    const started = await startAndWait(req, fallback);
    if (!started) continue;
    // Called with an earlier fallback port that is now taken too: keep pointing from the original default.
    const earlier = readPortPointer(req.env);
    const defaultPort = earlier && earlier.port === req.port ? earlier.default_port : req.port;
    writePortPointer(fallback, defaultPort, holder, req.env);
    if (holder === undefined) return started;
    req.log.warn('started on a fallback port', { port: req.port, fallback, holder });
    const moved = `port ${req.port} is held by ${holder}; the data server runs on port ${fallback} instead`;
    return { ...started, notice: started.notice ? `${moved}; ${started.notice}` : moved };
  }
  throw new EnsureServerError(`Could not bind a fallback port after ${MAX_START_ATTEMPTS} tries.`, 'E_STARTUP_FAILED');
}

function elapsed(req: Request): number {
  return Math.round(performance.now() - req.t0);
}
