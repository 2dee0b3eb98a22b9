// A release's SHA256SUMS, fetched with its detached signature and accepted only when a key built into this
// binary signed it. Everything else an upgrade installs is checked against these sums.

import type { Env } from '../paths.ts';
import { downloadAsset } from './download.ts';
import { UpdateError } from './errors.ts';
import { CHECKSUMS_ASSET, findAsset, parseChecksums, type Release } from './release.ts';
import { trustedReleaseKeys } from './release-keys.ts';
import { SIGNATURE_ASSET_SUFFIX, verifySignature } from './signature.ts';
import { MAX_SMALL_ASSET_BYTES } from './unpack-limits.ts';

export const SIGNATURE_ASSET = `${CHECKSUMS_ASSET}${SIGNATURE_ASSET_SUFFIX}`;

export interface VerifiedChecksums {
  sums: Map<string, string>;
  keyId: string;
}

/** Throws UpdateError (E_SIGNATURE for an unsigned or wrongly signed release) unless the sums verify. */
export async function verifiedChecksums(release: Release, feedUrl: string, env: Env): Promise<VerifiedChecksums> {
  const sums = findAsset(release, CHECKSUMS_ASSET);
  if (!sums) throw new UpdateError(`Release ${release.tag_name} has no ${CHECKSUMS_ASSET}; refusing to install an unverifiable download.`, 'E_SIGNATURE');
  const sig = findAsset(release, SIGNATURE_ASSET);
  if (!sig) throw new UpdateError(`Release ${release.tag_name} is not signed (no ${SIGNATURE_ASSET}); refusing to install it.`, 'E_SIGNATURE');
  const limits = { maxBytes: MAX_SMALL_ASSET_BYTES, env };
  const [sumsFile, sigFile] = await Promise.all([downloadAsset(sums.browser_download_url, limits), downloadAsset(sig.browser_download_url, limits)]);
  const keyId = verifySignature(sumsFile.data, sigFile.data.toString('utf8'), trustedReleaseKeys(feedUrl, env), `${CHECKSUMS_ASSET} of release ${release.tag_name}`);
  return { sums: parseChecksums(sumsFile.data.toString('utf8')), keyId };
}
