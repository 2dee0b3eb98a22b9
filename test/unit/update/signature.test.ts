// update/signature.ts: minisign-format Ed25519 signatures over SHA256SUMS, made with the test key.

import { describe, expect, it } from 'vitest';
import { TEST_PUBLIC_KEY, RELEASE_PUBLIC_KEYS, trustedReleaseKeys } from '../../../src/update/release-keys.ts';
import { generateKeyPair, parsePublicKey, parseSecretKey, publicKeyLine, signData, verifySignature } from '../../../src/update/signature.ts';
import { TEST_RELEASE_SECRET_KEY } from '../../helpers/release-signing.ts';

const SUMS = Buffer.from('0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef  buckaroo-table-9.9.9-linux-x64.tar.gz\n');
const secret = parseSecretKey(TEST_RELEASE_SECRET_KEY);
const testKey = parsePublicKey(TEST_PUBLIC_KEY);

describe('release signatures', () => {
  it('verifies a signature by a trusted key', () => {
    expect(publicKeyLine(secret)).toBe(TEST_PUBLIC_KEY);
    const sig = signData(SUMS, secret, 'timestamp:1 file:SHA256SUMS');
    expect(sig).toMatch(/^untrusted comment: .*\nRUR.*\ntrusted comment: timestamp:1 file:SHA256SUMS\n.+\n$/);
    expect(verifySignature(SUMS, sig, [testKey], 'SHA256SUMS')).toBe(testKey.id);
  });

  it('refuses altered sums a changed trusted comment and garbage', () => {
    const sig = signData(SUMS, secret, 'timestamp:1 file:SHA256SUMS');
    const altered = Buffer.from(SUMS.toString().replace('0123', '9123'));
    expect(() => verifySignature(altered, sig, [testKey], 'SHA256SUMS')).toThrow(/does not match it/);
    expect(() => verifySignature(SUMS, sig.replace('timestamp:1', 'timestamp:2'), [testKey], 'SHA256SUMS')).toThrow(/does not match it/);
    expect(() => verifySignature(SUMS, 'echo hi\n', [testKey], 'SHA256SUMS')).toThrow(/not a minisign Ed25519 signature/);
  });

  it('refuses a signature by a key this build does not trust', () => {
    const other = generateKeyPair();
    const sig = signData(SUMS, parseSecretKey(other.secret), 'x');
    const production = RELEASE_PUBLIC_KEYS.map(parsePublicKey);
    expect(() => verifySignature(SUMS, sig, production, 'SHA256SUMS')).toThrow(/which this build does not trust/);
    expect(verifySignature(SUMS, sig, [parsePublicKey(other.publicKey)], 'SHA256SUMS')).toBe(parsePublicKey(other.publicKey).id);
  });

  it('trusts the test key only for a loopback feed under the test setting', () => {
    const ids = (url: string, env: Record<string, string>): string[] => trustedReleaseKeys(url, env).map((k) => k.id);
    expect(ids('http://127.0.0.1:9/releases/latest', { BUCKAROO_UPDATE_ALLOW_LOOPBACK: '1' })).toContain(testKey.id);
    expect(ids('http://127.0.0.1:9/releases/latest', {})).not.toContain(testKey.id);
    expect(ids('https://mirror.example/releases/latest', { BUCKAROO_UPDATE_ALLOW_LOOPBACK: '1' })).not.toContain(testKey.id);
  });
});
