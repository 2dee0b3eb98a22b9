// Issue 14, items 4 and 5, through the compiled binary: `upgrade` against a release feed on 127.0.0.1 that an
// attacker controls. Every hostile release is refused with a named error and the installed binary is left as
// it was: unsigned, signed by an unknown key, signature not matching, plain-http or non-loopback URLs, a shell
// script or a foreign binary as the executable, a gzip bomb, a download larger than the cap.

import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BINARY, freePort, tempHome } from '../helpers/binary.ts';
import { LOOPBACK_FEED_ENV, TEST_RELEASE_SECRET_KEY } from '../helpers/release-signing.ts';
import { writeTar } from '../../src/update/tar.ts';
import { generateKeyPair, parseSecretKey, signData } from '../../src/update/signature.ts';

const VERSION = '9.9.9';
const ASSET = `buckaroo-table-${VERSION}-linux-x64.tar.gz`;
const UPGRADE_TIMEOUT_MS = 60_000;

interface HostileRelease {
  /** The tarball's bytes (what SHA256SUMS lists unless `sums` says otherwise). */
  tarball: Buffer;
  /** Sign with this secret key; undefined = no signature file at all. */
  signWith?: string;
  /** Replace SHA256SUMS after signing (a feed that swapped it). */
  sumsAfterSigning?: string;
  /** Content-Length the feed claims for the tarball. */
  declaredLength?: number;
  /** Where release.json says the files are (default: this feed). */
  baseUrl?: string;
}

let feedPort: number;
let current: HostileRelease;
let feed: http.Server;
let prefix: string;
let installed: string;

const sha256 = (b: Buffer | string): string => crypto.createHash('sha256').update(b).digest('hex');
const tarGz = (name: string, data: Buffer): Buffer => zlib.gzipSync(writeTar([{ name: `buckaroo-table-${VERSION}/${name}`, mode: 0o755, data }]));

function files(): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const sums = `${sha256(current.tarball)}  ${ASSET}\n`;
  out.set(ASSET, current.tarball);
  out.set('SHA256SUMS', Buffer.from(current.sumsAfterSigning ?? sums));
  if (current.signWith) out.set('SHA256SUMS.minisig', Buffer.from(signData(Buffer.from(sums), parseSecretKey(current.signWith), 'timestamp:1')));
  return out;
}

beforeAll(async () => {
  feed = http.createServer((req, res) => {
    const all = files();
    if (req.url === '/releases/latest') {
      const base = current.baseUrl ?? `http://127.0.0.1:${feedPort}/download`;
      const body = JSON.stringify({ tag_name: `v${VERSION}`, assets: [...all.keys()].map((name) => ({ name, browser_download_url: `${base}/${name}` })) });
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(body);
    }
    const data = all.get(path.basename(req.url ?? ''));
    if (!data) {
      res.writeHead(404);
      return res.end();
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(req.url?.endsWith('.tar.gz') && current.declaredLength ? current.declaredLength : data.length) });
    res.end(current.declaredLength && req.url?.endsWith('.tar.gz') ? data.subarray(0, 1024) : data);
  });
  await new Promise<void>((resolve) => feed.listen(0, '127.0.0.1', resolve));
  feedPort = (feed.address() as AddressInfo).port;
  prefix = tempHome('bt-upgrade-sec-');
  installed = path.join(prefix, 'bin', 'buckaroo-table');
  fs.mkdirSync(path.dirname(installed), { recursive: true });
  fs.copyFileSync(BINARY, installed);
  fs.chmodSync(installed, 0o755);
});
afterAll(() => new Promise<void>((resolve) => feed.close(() => resolve())));

/** `upgrade` of the installed binary against the feed; returns its exit code and output. */
async function upgrade(extraEnv: Record<string, string> = LOOPBACK_FEED_ENV): Promise<{ code: number | null; out: string }> {
  const home = tempHome('bt-upgrade-sec-home-');
  const env = { PATH: '/usr/bin:/bin', HOME: home, BUCKAROO_HOME: home, BUCKAROO_PORT: String(await freePort()), BUCKAROO_UPDATE_URL: `http://127.0.0.1:${feedPort}/releases/latest`, ...extraEnv };
  return new Promise((resolve) => {
    const child = spawn(installed, ['upgrade'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('close', (code) => resolve({ code, out }));
  });
}

/** The installed file is the one we put there: same inode, size and mtime. */
function unchanged(): string {
  const st = fs.statSync(installed);
  return `${st.ino}:${st.size}:${st.mtimeMs}`;
}

describe('upgrade refuses a hostile release', () => {
  // What the attacker installed: a two-line shell script with a correct SHA256SUMS.
  const script = (): Buffer => tarGz('buckaroo-table', Buffer.from(`#!/bin/sh\necho ${VERSION}\n# ${'padding past the size check, so the magic is what refuses it '.repeat(2)}\n`));
  let before: string;
  beforeAll(() => {
    before = unchanged();
  });

  it('refuses an unsigned release', async () => {
    current = { tarball: script() };
    const r = await upgrade();
    expect(r.code, r.out).not.toBe(0);
    expect(r.out).toContain(`Release v${VERSION} is not signed (no SHA256SUMS.minisig); refusing to install it.`);
    expect(unchanged()).toBe(before);
  }, UPGRADE_TIMEOUT_MS);

  it('refuses a release signed by a key the binary does not trust', async () => {
    current = { tarball: script(), signWith: generateKeyPair().secret };
    const r = await upgrade();
    expect(r.code, r.out).not.toBe(0);
    expect(r.out).toMatch(/is signed with key [0-9A-F]{16}, which this build does not trust/);
    expect(unchanged()).toBe(before);
  }, UPGRADE_TIMEOUT_MS);

  it('refuses the test key unless the loopback test setting is on', async () => {
    current = { tarball: script(), signWith: TEST_RELEASE_SECRET_KEY };
    const r = await upgrade({});
    expect(r.code, r.out).not.toBe(0);
    expect(r.out).toContain('is not https:// (updates are fetched over https only; a loopback feed needs BUCKAROO_UPDATE_ALLOW_LOOPBACK=1, for tests)');
    expect(unchanged()).toBe(before);
  }, UPGRADE_TIMEOUT_MS);

  it('refuses sums swapped after signing', async () => {
    current = { tarball: script(), signWith: TEST_RELEASE_SECRET_KEY, sumsAfterSigning: `${'0'.repeat(64)}  ${ASSET}\n` };
    const r = await upgrade();
    expect(r.code, r.out).not.toBe(0);
    expect(r.out).toContain('does not match it');
    expect(unchanged()).toBe(before);
  }, UPGRADE_TIMEOUT_MS);

  it('refuses files served over plain http from another host', async () => {
    current = { tarball: script(), signWith: TEST_RELEASE_SECRET_KEY, baseUrl: 'http://downloads.invalid/v9.9.9' };
    const r = await upgrade();
    expect(r.code, r.out).not.toBe(0);
    expect(r.out).toContain('Refusing to fetch an update: http://downloads.invalid/v9.9.9/SHA256SUMS is not https://');
    expect(unchanged()).toBe(before);
  }, UPGRADE_TIMEOUT_MS);

  it('refuses a signed shell script as the executable', async () => {
    current = { tarball: script(), signWith: TEST_RELEASE_SECRET_KEY };
    const r = await upgrade();
    expect(r.code, r.out).not.toBe(0);
    expect(r.out).toContain('Signature of SHA256SUMS verified');
    expect(r.out).toContain('is not an executable for linux-x64: it is not an ELF executable. Nothing was installed.');
    expect(unchanged()).toBe(before);
  }, UPGRADE_TIMEOUT_MS);

  it('runs the new executable before it replaces the old one', async () => {
    // A real x64 ELF that is not buckaroo-table: its --version names coreutils, not 9.9.9.
    current = { tarball: tarGz('buckaroo-table', fs.readFileSync('/usr/bin/true')), signWith: TEST_RELEASE_SECRET_KEY };
    const r = await upgrade();
    expect(r.code, r.out).not.toBe(0);
    expect(r.out).toMatch(new RegExp(`--version printed "true \\(GNU coreutils\\)[^]*", expected ${VERSION.replaceAll('.', '\\.')}\\); ${installed} was not touched`));
    expect(unchanged()).toBe(before);
    expect(fs.readdirSync(path.dirname(installed))).toEqual(['buckaroo-table']);
  }, UPGRADE_TIMEOUT_MS);

  it('refuses a tarball that unpacks past the cap', async () => {
    // 700 MiB of zeros gzip to under 1 MiB: the 3 MB tarball took 6.4 GB of memory.
    const gz = zlib.createGzip({ level: 1 });
    const chunks: Buffer[] = [];
    gz.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise((resolve) => gz.on('end', resolve));
    const zero = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < 700; i++) gz.write(zero);
    gz.end();
    await done;
    current = { tarball: Buffer.concat(chunks), signWith: TEST_RELEASE_SECRET_KEY };
    const r = await upgrade();
    expect(r.code, r.out).not.toBe(0);
    expect(r.out).toContain(`${ASSET} unpacks to more than 671088640 bytes; refusing it.`);
    expect(unchanged()).toBe(before);
  }, UPGRADE_TIMEOUT_MS);

  it('refuses a download larger than the cap', async () => {
    current = { tarball: script(), signWith: TEST_RELEASE_SECRET_KEY, declaredLength: 300 * 1024 * 1024 };
    const r = await upgrade();
    expect(r.code, r.out).not.toBe(0);
    expect(r.out).toContain(`is larger than 268435456 bytes; refusing to download it.`);
    expect(unchanged()).toBe(before);
  }, UPGRADE_TIMEOUT_MS);
});
