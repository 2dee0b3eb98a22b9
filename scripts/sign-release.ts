// `make release`, last step: signs <dist>/release/SHA256SUMS with the release key (an Ed25519 detached
// signature in minisign's format, SHA256SUMS.minisig) and lists the signature in release.json, so the
// binary's `upgrade` installs nothing the key holder did not sign (docs/security.md).
//
// BUCKAROO_RELEASE_SECRET_KEY: base64 of "Ed" + 8-byte key number + 32-byte Ed25519 seed (the tests use the
// fixed test key; the project's key lives only in the release environment). `--generate` prints a new pair.
// BUCKAROO_DIST_DIR picks the build, as for scripts/release.ts. Run with the pinned Node 24.

import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { CHECKSUMS_ASSET } from '../src/update/release.ts';
import { generateKeyPair, parsePublicKey, parseSecretKey, publicKeyLine, signData } from '../src/update/signature.ts';
import { RELEASE_PUBLIC_KEYS, TEST_PUBLIC_KEY } from '../src/update/release-keys.ts';
import { SIGNATURE_ASSET } from '../src/update/verify-release.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const OUT = path.join(path.resolve(ROOT, process.env.BUCKAROO_DIST_DIR || 'dist'), 'release');

const ReleaseJsonSchema = z.object({
  tag_name: z.string(),
  assets: z.array(z.object({ name: z.string(), size: z.number(), browser_download_url: z.string() })),
});

function main(): void {
  if (process.argv.includes('--generate')) {
    const pair = generateKeyPair();
    console.log(`public key (add to RELEASE_PUBLIC_KEYS in src/update/release-keys.ts): ${pair.publicKey}  # ${parsePublicKey(pair.publicKey).id}`);
    console.log(`secret key (BUCKAROO_RELEASE_SECRET_KEY in the release environment only): ${pair.secret}`);
    return;
  }
  const secretText = process.env.BUCKAROO_RELEASE_SECRET_KEY;
  if (!secretText) {
    throw new Error('BUCKAROO_RELEASE_SECRET_KEY is not set: releases are signed, and an unsigned one would be refused by every upgrade. See docs/security.md#release-keys.');
  }
  const secret = parseSecretKey(secretText);
  const publicKey = publicKeyLine(secret);
  const id = parsePublicKey(publicKey).id;
  if (!RELEASE_PUBLIC_KEYS.includes(publicKey) && publicKey !== TEST_PUBLIC_KEY) {
    throw new Error(`The key ${id} is not in RELEASE_PUBLIC_KEYS (src/update/release-keys.ts): binaries would refuse this release.`);
  }
  const releaseJson = path.join(OUT, 'release.json');
  const release = ReleaseJsonSchema.parse(JSON.parse(fs.readFileSync(releaseJson, 'utf8')));
  const sums = fs.readFileSync(path.join(OUT, CHECKSUMS_ASSET));
  const comment = `timestamp:${Math.floor(Date.now() / 1000)}\tfile:${CHECKSUMS_ASSET}\trelease:${release.tag_name}`;
  fs.writeFileSync(path.join(OUT, SIGNATURE_ASSET), signData(sums, secret, comment));
  const sumsAsset = release.assets.find((a) => a.name === CHECKSUMS_ASSET);
  if (!sumsAsset) throw new Error(`release.json lists no ${CHECKSUMS_ASSET}.`);
  const signature = { name: SIGNATURE_ASSET, size: fs.statSync(path.join(OUT, SIGNATURE_ASSET)).size, browser_download_url: sumsAsset.browser_download_url.replace(/[^/]+$/, SIGNATURE_ASSET) };
  const raw = JSON.parse(fs.readFileSync(releaseJson, 'utf8')) as { assets: unknown[] };
  raw.assets = [...release.assets.filter((a) => a.name !== SIGNATURE_ASSET), signature];
  fs.writeFileSync(releaseJson, JSON.stringify(raw, null, 2) + '\n');
  console.log(`sign-release: ${path.relative(ROOT, OUT) || OUT}/${SIGNATURE_ASSET} (key ${id}${publicKey === TEST_PUBLIC_KEY ? ', the TEST key' : ''})`);
}

try {
  main();
} catch (err) {
  console.error(`sign-release failed: ${(err as Error).message}`);
  process.exit(1);
}
