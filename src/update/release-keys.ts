// The keys whose signature over SHA256SUMS an upgrade accepts (docs/security.md#key-rotation). Built into the
// binary: a feed or mirror cannot add one. The test key is trusted only for a loopback feed under the explicit
// test setting (update-url.ts), so tests can sign releases without the project's secret key.

import type { Env } from '../paths.ts';
import { parsePublicKey, type PublicKey } from './signature.ts';
import { isLoopbackUrl, loopbackTestFeedAllowed } from './update-url.ts';

/**
 * Release keys, newest first. Rotation: add the new key here and ship a release signed by the old key, then
 * sign with the new one; drop the old key once no supported version predates the new one.
 */
export const RELEASE_PUBLIC_KEYS: readonly string[] = [
  'RWRELHB44kF9xXrqJ6FDcLv88SZI+1yhkiTrzJSeDSBApXPDzZMBIB/j', // C57D41E278702C44, 2026-11-29
];

/** Its secret is in test/helpers/release-signing.ts; worthless outside a loopback test feed. */
export const TEST_PUBLIC_KEY = 'RWRQ5YVmp61+bXgei+v7R8YSYT9ms4T7m0Ib2dOSEeQfooczbkBX4xO7'; // 6D7EADA76685E550

/** The keys trusted for a release fetched from `feedUrl`. */
export function trustedReleaseKeys(feedUrl: string, env: Env): PublicKey[] {
  const keys = RELEASE_PUBLIC_KEYS.map(parsePublicKey);
  if (isLoopbackUrl(feedUrl) && loopbackTestFeedAllowed(env)) keys.push(parsePublicKey(TEST_PUBLIC_KEY));
  return keys;
}
