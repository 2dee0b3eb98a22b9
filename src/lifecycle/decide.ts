// Pure decisions of ensureServer: what to do about whoever answered on the port, given our own version.
// Never downgrade: a newer server that speaks our protocol is reused, one that does not is an error.

import semver from 'semver';
import type { ProbeResult } from './probe.ts';

export type Action =
  | { kind: 'reuse' }
  /** A newer server that speaks our protocol: reuse it, and tell the person to update the tool. */
  | { kind: 'reuse-newer'; notice: string }
  | { kind: 'refuse-newer'; message: string }
  | { kind: 'replace'; reason: string; responsive: boolean }
  | { kind: 'start' }
  /** Not ours: never touch it. */
  | { kind: 'foreign' };

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

export function decideAction(found: ProbeResult, ourVersion: string, ourProtocol: number, forceReplace = false): Action {
  switch (found.kind) {
    case 'nothing':
      return { kind: 'start' };
    case 'foreign':
      return { kind: 'foreign' };
    case 'hung':
      // Could be ours (stopped, wedged) or anyone's: the kill path verifies before it signals.
      return { kind: 'replace', reason: 'it accepts connections but does not answer /health', responsive: false };
    case 'old-style':
      return { kind: 'replace', reason: 'it is an older server without version or protocol information', responsive: true };
    case 'ours': {
      const h = found.health;
      const order = compareVersions(h.version, ourVersion);
      if (order === 'newer') {
        // Even a restart does not replace a newer server with an older one.
        if (h.protocol === ourProtocol) return { kind: 'reuse-newer', notice: newerServerNotice(h.version, ourVersion) };
        return {
          kind: 'refuse-newer',
          message:
            `The running data server ${h.version} (protocol ${h.protocol}) is newer than this tool ${ourVersion} ` +
            `(protocol ${ourProtocol}) and speaks another protocol. Restart your agent session to update the tool; ` +
            `buckaroo-table never replaces a newer server with an older one.`,
        };
      }
      if (order === 'same' && h.protocol === ourProtocol) {
        return forceReplace ? { kind: 'replace', reason: 'restart requested', responsive: true } : { kind: 'reuse' };
      }
      if (order === 'same') return { kind: 'replace', reason: `it speaks protocol ${h.protocol}, not ${ourProtocol}`, responsive: true };
      if (order === 'older') return { kind: 'replace', reason: `it is version ${h.version}, older than ${ourVersion}`, responsive: true };
      return { kind: 'replace', reason: `its version ${JSON.stringify(h.version)} is not a release version`, responsive: true };
    }
  }
}
