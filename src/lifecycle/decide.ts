// Pure decisions of the lifecycle: each probe outcome (plus what the state file says about it) maps straight to
// one named action, the way Turborepo's daemon connector does. Never downgrade: a newer server is reused or refused.

import semver from 'semver';
import type { ProbeResult } from './probe.ts';

/** What ensureServer does about whoever answered on the port. */
export type Action =
  | { kind: 'start' }
  | { kind: 'reuse' }
  /** A newer server that speaks our protocol: reuse it, and tell the person to update the tool. */
  | { kind: 'reuse-newer'; notice: string }
  | { kind: 'refuse-newer'; message: string }
  /** It answers /health: ask it to leave over POST /shutdown first, then the verified kill path. */
  | { kind: 'retire-live'; reason: string }
  /** It accepts connections but does not answer (hung, SIGSTOPped): straight to the verified kill path. */
  | { kind: 'retire-hung'; reason: string }
  /** Not ours: never touch it; move to a free port (or refuse when the port was chosen). */
  | { kind: 'move-aside' };

/** What `stop` does about whoever answered on the port. */
export type StopAction =
  | { kind: 'not-running' }
  | { kind: 'refuse-foreign' }
  | { kind: 'retire-live' }
  | { kind: 'retire-hung' };

export interface EnsureFacts {
  found: ProbeResult;
  /** The port's state file names the pid /health reported, so we hold the server's token. */
  stateNamesServer: boolean;
  ourVersion: string;
  ourProtocol: number;
  /** `buckaroo-table restart`: replace even a server of our own version. */
  restart: boolean;
}

export type VersionOrder = 'older' | 'same' | 'newer' | 'unknown';

/** How the running server's version compares to ours; anything that is not semver is 'unknown'. */
export function compareVersions(running: string, ours: string): VersionOrder {
  const a = semver.valid(running);
  const b = semver.valid(ours);
  if (running === ours) return 'same';
  if (!a || !b) return 'unknown';
  const c = semver.compare(a, b);
  return c < 0 ? 'older' : c > 0 ? 'newer' : 'same';
}

export function newerServerNotice(running: string, ours: string): string {
  return `server ${running} is newer than this tool ${ours}; restart your agent session to update the tool`;
}

export function decideAction(f: EnsureFacts): Action {
  const { found, ourVersion, ourProtocol } = f;
  switch (found.kind) {
    case 'nothing':
      return { kind: 'start' };
    case 'foreign':
      return { kind: 'move-aside' };
    case 'hung':
      // Could be ours (stopped, wedged) or anyone's: the kill path verifies before it signals.
      return { kind: 'retire-hung', reason: 'it accepts connections but does not answer /health' };
    case 'old-style':
      return {
        kind: 'retire-live',
        reason: found.version ? `it is Buckaroo ${found.version}, which reports no protocol` : 'it is an older server without version or protocol information',
      };
    case 'ours': {
      const h = found.health;
      const order = compareVersions(h.version, ourVersion);
      if (order === 'newer') {
        // Even a restart does not replace a newer server with an older one.
        if (h.protocol !== ourProtocol) {
          return {
            kind: 'refuse-newer',
            message:
              `The running data server ${h.version} (protocol ${h.protocol}) is newer than this tool ${ourVersion} ` +
              `(protocol ${ourProtocol}) and speaks another protocol. Restart your agent session to update the tool; ` +
              `buckaroo-table never replaces a newer server with an older one.`,
          };
        }
        return f.stateNamesServer ? { kind: 'reuse-newer', notice: newerServerNotice(h.version, ourVersion) } : tokenUnknown();
      }
      if (order === 'same' && h.protocol === ourProtocol) {
        if (f.restart) return { kind: 'retire-live', reason: 'restart requested' };
        return f.stateNamesServer ? { kind: 'reuse' } : tokenUnknown();
      }
      if (order === 'same') return { kind: 'retire-live', reason: `it speaks protocol ${h.protocol}, not ${ourProtocol}` };
      if (order === 'older') return { kind: 'retire-live', reason: `it is version ${h.version}, older than ${ourVersion}` };
      return { kind: 'retire-live', reason: `its version ${JSON.stringify(h.version)} is not a release version` };
    }
  }
}

/** A server we would reuse, but its state file (and so its token) is missing or names another pid. */
function tokenUnknown(): Action {
  return { kind: 'retire-live', reason: 'its state file is missing, so its token is unknown' };
}

export function decideStopAction(found: ProbeResult): StopAction {
  switch (found.kind) {
    case 'nothing':
      return { kind: 'not-running' };
    case 'foreign':
      return { kind: 'refuse-foreign' };
    case 'hung':
      return { kind: 'retire-hung' };
    case 'ours':
    case 'old-style':
      return { kind: 'retire-live' };
  }
}

/** The server a call was using, and what ensureServer found after the call lost its connection. */
export interface LostServer {
  lost: { pid: number; version: string };
  now: { status: 'reused' | 'started' | 'replaced'; pid: number; version: string };
}

export type AfterLostServer = { kind: 'retry'; notice: string } | { kind: 'fail'; hint: string };

/**
 * Pure: retry a call once when the server it was talking to went away because another session replaced it
 * (another server of ours answers now); a crash (we had to start a new one) or a server that is still there is
 * a real failure, told to the agent with a hint. Retrying a crash would only crash again on the same input.
 */
export function decideAfterLostServer({ lost, now }: LostServer): AfterLostServer {
  if (now.pid === lost.pid) {
    return { kind: 'fail', hint: `The data server (pid ${lost.pid}) is still running but dropped the connection; its log (server.log under BUCKAROO_HOME) says why.` };
  }
  if (now.status === 'started') {
    return {
      kind: 'fail',
      hint:
        `The data server ${lost.version} (pid ${lost.pid}) went away during the call (it crashed or was stopped); ` +
        `a new one (pid ${now.pid}) runs now, so calling again should work. If it fails the same way, server.log under BUCKAROO_HOME says why.`,
    };
  }
  return {
    kind: 'retry',
    notice: `the data server ${lost.version} (pid ${lost.pid}) was replaced by ${now.version} (pid ${now.pid}) during this call, which was retried there`,
  };
}
