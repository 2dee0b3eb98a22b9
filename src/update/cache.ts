// ~/.buckaroo/update_check.json: when we last asked the feed and what it said, so an MCP process asks at most
// once a day. A missing, corrupt or foreign-feed cache is simply stale; it is rewritten atomically.

import { z } from 'zod';
import { readJsonFile, writeFileAtomic } from '../contract/json-file.ts';
import { updateCachePath, type Env } from '../paths.ts';

/** Ask the feed at most once per this long. */
export const UPDATE_CHECK_INTERVAL_MS = 24 * 60 * 60 * 1000;

export const UpdateCacheSchema = z.object({
  checked_at: z.iso.datetime(),
  /** The newest version the feed named (not necessarily one we would offer). */
  latest: z.string(),
  /** The feed URL that answered, so pointing BUCKAROO_UPDATE_URL elsewhere invalidates the cache. */
  source: z.string(),
});
export type UpdateCache = z.infer<typeof UpdateCacheSchema>;

export function readUpdateCache(env: Env = process.env): UpdateCache | undefined {
  return readJsonFile(updateCachePath(env), UpdateCacheSchema);
}

export function writeUpdateCache(cache: UpdateCache, env: Env = process.env): void {
  writeFileAtomic(updateCachePath(env), JSON.stringify(cache, null, 2) + '\n', 0o644);
}

/** Pure: a cache answers for `source` if it came from that feed and is younger than the interval (clock skew → stale). */
export function isCacheFresh(cache: UpdateCache | undefined, source: string, now: Date, intervalMs = UPDATE_CHECK_INTERVAL_MS): cache is UpdateCache {
  if (!cache || cache.source !== source) return false;
  const age = now.getTime() - Date.parse(cache.checked_at);
  return age >= 0 && age < intervalMs;
}
