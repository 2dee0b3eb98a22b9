// Release signatures: an Ed25519 detached signature over SHA256SUMS in minisign's format (`minisign -Vm
// SHA256SUMS -P <key>` verifies ours), checked against public keys built into the binary. Whoever controls the
// feed or a mirror can serve any file, but only the holder of a release key can make SHA256SUMS verify.

import crypto from 'node:crypto';
import { UpdateError } from './errors.ts';

export const SIGNATURE_ASSET_SUFFIX = '.minisig';
/** minisign's algorithm tags: Ed25519 over the file itself, or over its BLAKE2b-512 ("prehashed", the default). */
const ALG_PURE = 'Ed';
const ALG_PREHASHED = 'ED';
const KEY_ID_BYTES = 8;
const PUBLIC_KEY_BYTES = 32;
const SIGNATURE_BYTES = 64;
/** The DER prefix of a PKCS#8 Ed25519 private key; the 32-byte seed follows. */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface PublicKey {
  /** minisign's key number, as it prints it (16 hex digits, most significant first). */
  id: string;
  key: crypto.KeyObject;
}

const keyIdHex = (raw: Buffer): string => Buffer.from(raw).reverse().toString('hex').toUpperCase();

/** A minisign public key: its base64 line (`RW…`), with or without the "untrusted comment" line above it. */
export function parsePublicKey(text: string): PublicKey {
  const line = text.trim().split(/\r?\n/).filter((l) => !l.startsWith('untrusted comment:')).pop() ?? '';
  const raw = Buffer.from(line.trim(), 'base64');
  if (raw.length !== 2 + KEY_ID_BYTES + PUBLIC_KEY_BYTES || raw.subarray(0, 2).toString('latin1') !== ALG_PURE) {
    throw new Error(`Not a minisign Ed25519 public key: ${JSON.stringify(line.slice(0, 20))}…`);
  }
  const x = raw.subarray(2 + KEY_ID_BYTES).toString('base64url');
  return { id: keyIdHex(raw.subarray(2, 2 + KEY_ID_BYTES)), key: crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' }) };
}

interface ParsedSignature {
  alg: string;
  keyId: string;
  signature: Buffer;
  trustedComment: string;
  globalSignature: Buffer;
}

function parseSignature(text: string): ParsedSignature | undefined {
  const lines = text.split(/\r?\n/);
  if (lines.length < 4 || !lines[0]!.startsWith('untrusted comment:') || !lines[2]!.startsWith('trusted comment: ')) return undefined;
  const raw = Buffer.from(lines[1]!.trim(), 'base64');
  const global = Buffer.from(lines[3]!.trim(), 'base64');
  if (raw.length !== 2 + KEY_ID_BYTES + SIGNATURE_BYTES || global.length !== SIGNATURE_BYTES) return undefined;
  return {
    alg: raw.subarray(0, 2).toString('latin1'),
    keyId: keyIdHex(raw.subarray(2, 2 + KEY_ID_BYTES)),
    signature: raw.subarray(2 + KEY_ID_BYTES),
    trustedComment: lines[2]!.slice('trusted comment: '.length),
    globalSignature: global,
  };
}

/**
 * Throws E_SIGNATURE unless `signatureText` is a signature of `data` by one of `trusted` (and its trusted
 * comment is signed too, as minisign requires). Returns the key id that signed.
 */
export function verifySignature(data: Buffer, signatureText: string, trusted: readonly PublicKey[], what: string): string {
  const sig = parseSignature(signatureText);
  if (!sig || (sig.alg !== ALG_PURE && sig.alg !== ALG_PREHASHED)) {
    throw new UpdateError(`The signature of ${what} is not a minisign Ed25519 signature; refusing to install.`, 'E_SIGNATURE');
  }
  const key = trusted.find((k) => k.id === sig.keyId);
  if (!key) {
    throw new UpdateError(
      `${what} is signed with key ${sig.keyId}, which this build does not trust (trusted: ${trusted.map((k) => k.id).join(', ')}); refusing to install.`,
      'E_SIGNATURE',
    );
  }
  const message = sig.alg === ALG_PREHASHED ? crypto.createHash('blake2b512').update(data).digest() : data;
  const good =
    crypto.verify(null, message, key.key, sig.signature) &&
    crypto.verify(null, Buffer.concat([sig.signature, Buffer.from(sig.trustedComment, 'utf8')]), key.key, sig.globalSignature);
  if (!good) throw new UpdateError(`The signature of ${what} does not match it (key ${key.id}); the release was altered or signed wrongly. Refusing to install.`, 'E_SIGNATURE');
  return key.id;
}

/** A secret key as `make release` reads it: base64 of "Ed" + key number (8 bytes) + Ed25519 seed (32 bytes). */
export interface SecretKey {
  keyIdRaw: Buffer;
  key: crypto.KeyObject;
}

export function parseSecretKey(text: string): SecretKey {
  const raw = Buffer.from(text.trim(), 'base64');
  if (raw.length !== 2 + KEY_ID_BYTES + 32 || raw.subarray(0, 2).toString('latin1') !== ALG_PURE) {
    throw new Error('Not a release secret key (base64 of "Ed" + 8-byte key number + 32-byte Ed25519 seed).');
  }
  const seed = raw.subarray(2 + KEY_ID_BYTES);
  return { keyIdRaw: raw.subarray(2, 2 + KEY_ID_BYTES), key: crypto.createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' }) };
}

/** The public key line (`RW…`) that belongs to a secret key: what goes into release-keys.ts. */
export function publicKeyLine(secret: SecretKey): string {
  const x = Buffer.from(crypto.createPublicKey(secret.key).export({ format: 'jwk' }).x!, 'base64url');
  return Buffer.concat([Buffer.from(ALG_PURE, 'latin1'), secret.keyIdRaw, x]).toString('base64');
}

/** A new key pair: the secret (for the release environment) and the public key line (for the source). */
export function generateKeyPair(): { secret: string; publicKey: string } {
  const { privateKey } = crypto.generateKeyPairSync('ed25519');
  const seed = privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(PKCS8_ED25519_PREFIX.length);
  const secret = Buffer.concat([Buffer.from(ALG_PURE, 'latin1'), crypto.randomBytes(KEY_ID_BYTES), seed]).toString('base64');
  return { secret, publicKey: publicKeyLine(parseSecretKey(secret)) };
}

/** Signs `data` the way `minisign -S` does by default (prehashed), with `trustedComment` signed too. */
export function signData(data: Buffer, secret: SecretKey, trustedComment: string): string {
  const signature = crypto.sign(null, crypto.createHash('blake2b512').update(data).digest(), secret.key);
  const global = crypto.sign(null, Buffer.concat([signature, Buffer.from(trustedComment, 'utf8')]), secret.key);
  const sigLine = Buffer.concat([Buffer.from(ALG_PREHASHED, 'latin1'), secret.keyIdRaw, signature]).toString('base64');
  return `untrusted comment: signature from buckaroo-table release key ${keyIdHex(secret.keyIdRaw)}\n${sigLine}\ntrusted comment: ${trustedComment}\n${global.toString('base64')}\n`;
}
