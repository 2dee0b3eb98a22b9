// Whether the background update check is off. Kept apart from feed.ts so `mcp` can decide this at start-up
// without evaluating the feed, release and semver modules (they load when the check runs, after the handshake).

import { envFlag } from '../config.ts';
import type { Env } from '../paths.ts';

/** Pure: why the background check is off, or undefined when it is on. */
export function updateCheckDisabledReason(env: Env): string | undefined {
  if (envFlag(env, 'BUCKAROO_NO_UPDATE_CHECK')) return 'BUCKAROO_NO_UPDATE_CHECK is set';
  if (env.CI !== undefined && env.CI !== '') return 'CI is set';
  return undefined;
}
