// Where updates may come from: https only. Plain http is accepted for a feed on this machine's loopback only
// under the explicit test setting BUCKAROO_UPDATE_ALLOW_LOOPBACK=1, which also makes the fixed test key
// trusted there — never for any other host.

import type { Env } from '../paths.ts';
import { UpdateError } from './errors.ts';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function loopbackTestFeedAllowed(env: Env): boolean {
  return env.BUCKAROO_UPDATE_ALLOW_LOOPBACK === '1';
}

export function isLoopbackUrl(url: string): boolean {
  try {
    return LOOPBACK_HOSTS.has(new URL(url).hostname);
  } catch {
    return false;
  }
}

/** Pure: why `url` may not be fetched for an update, or undefined when it may. */
export function updateUrlProblem(url: string, env: Env): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `${JSON.stringify(url)} is not a URL`;
  }
  if (u.protocol === 'https:') return undefined;
  if (u.protocol === 'http:' && isLoopbackUrl(url) && loopbackTestFeedAllowed(env)) return undefined;
  return `${url} is not https:// (updates are fetched over https only${u.protocol === 'http:' && isLoopbackUrl(url) ? '; a loopback feed needs BUCKAROO_UPDATE_ALLOW_LOOPBACK=1, for tests' : ''})`;
}

export function assertUpdateUrl(url: string, env: Env): void {
  const problem = updateUrlProblem(url, env);
  if (problem) throw new UpdateError(`Refusing to fetch an update: ${problem}.`, 'E_INSECURE_URL');
}
