// install.sh as a user runs it, on each platform it supports: `uname` is a fake that answers what that platform
// would, `curl` a fake that serves a local release directory, so the test sees which archive the script picked,
// that it verified it and installed the binary inside.

import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeTar } from '../../src/update/tar.ts';
import { ROOT, tempHome } from '../helpers/binary.ts';

const run = promisify(execFile);
const VERSION = '1.2.3';
const BASE_URL = 'https://dl.example.invalid/v1.2.3';
const PLATFORMS = [
  { uname: ['Linux', 'x86_64'], name: 'linux-x64' },
  { uname: ['Linux', 'aarch64'], name: 'linux-arm64' },
  { uname: ['Darwin', 'arm64'], name: 'darwin-arm64' },
  { uname: ['Darwin', 'x86_64'], name: 'darwin-x64' },
] as const;

let dir: string;

/** A release directory with a stand-in binary per platform (a script that prints the version and its platform). */
function makeRelease(): void {
  const sums: string[] = [];
  for (const { name } of PLATFORMS) {
    const stem = `buckaroo-table-${VERSION}-${name}`;
    const binary = Buffer.from(`#!/bin/sh\n# ${name}\necho ${VERSION}\n`);
    const tgz = zlib.gzipSync(writeTar([{ name: `${stem}/buckaroo-table`, mode: 0o755, data: binary }], 0));
    fs.writeFileSync(path.join(dir, 'release', `${stem}.tar.gz`), tgz);
    sums.push(`${crypto.createHash('sha256').update(tgz).digest('hex')}  ${stem}.tar.gz\n`);
  }
  fs.writeFileSync(path.join(dir, 'release', 'SHA256SUMS'), sums.join(''));
  const template = fs.readFileSync(path.join(ROOT, 'scripts/install.sh.in'), 'utf8');
  fs.writeFileSync(path.join(dir, 'install.sh'), template.replaceAll('@VERSION@', VERSION).replaceAll('@BASE_URL@', BASE_URL));
}

function makeFakes(): void {
  const bin = path.join(dir, 'fakebin');
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, 'uname'), '#!/bin/sh\ncase "$1" in -s) echo "$FAKE_UNAME_S" ;; -m) echo "$FAKE_UNAME_M" ;; esac\n', { mode: 0o755 });
  // `curl -fsSL -o FILE URL`: served from the release directory, every URL logged.
  fs.writeFileSync(
    path.join(bin, 'curl'),
    `#!/bin/sh\nout="$3"; url="$4"\necho "$url" >> "${dir}/curl.log"\ncp "${dir}/release/$(basename "$url")" "$out"\n`,
    { mode: 0o755 },
  );
}

async function install(uname: readonly string[], prefix: string): Promise<{ code: number; stdout: string; stderr: string }> {
  fs.rmSync(path.join(dir, 'curl.log'), { force: true });
  const env = { PATH: `${path.join(dir, 'fakebin')}:/usr/bin:/bin`, HOME: dir, PREFIX: prefix, FAKE_UNAME_S: uname[0]!, FAKE_UNAME_M: uname[1]! };
  try {
    const r = await run('sh', [path.join(dir, 'install.sh')], { env });
    return { code: 0, ...r };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('install.sh', () => {
  beforeAll(() => {
    dir = tempHome('bt-install-sh-');
    fs.mkdirSync(path.join(dir, 'release'));
    makeRelease();
    makeFakes();
  });

  it.each(PLATFORMS)('picks, verifies and installs the $name archive when uname says $uname', async ({ uname, name }) => {
    const prefix = path.join(dir, `prefix-${name}`);
    const r = await install(uname, prefix);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'curl.log'), 'utf8').split('\n').filter(Boolean)).toEqual([
      `${BASE_URL}/buckaroo-table-${VERSION}-${name}.tar.gz`,
      `${BASE_URL}/SHA256SUMS`,
    ]);
    expect(r.stdout).toContain('Checksum verified.');
    expect(r.stdout).toContain(`Installed buckaroo-table ${VERSION} at ${prefix}/bin/buckaroo-table`);
    expect(fs.readFileSync(path.join(prefix, 'bin', 'buckaroo-table'), 'utf8')).toContain(`# ${name}\n`);
  });

  it('refuses Windows shells and points to install.ps1', async () => {
    const r = await install(['MINGW64_NT-10.0-22631', 'x86_64'], path.join(dir, 'prefix-win'));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`irm ${BASE_URL}/install.ps1 | iex`);
    expect(fs.existsSync(path.join(dir, 'prefix-win'))).toBe(false);
  });

  it('refuses an OS or CPU without a build, saying which', async () => {
    expect((await install(['FreeBSD', 'amd64'], path.join(dir, 'p1'))).stderr).toContain('no buckaroo-table build for FreeBSD');
    expect((await install(['Linux', 'i686'], path.join(dir, 'p2'))).stderr).toContain('no buckaroo-table build for i686');
  });

  it('refuses a tampered archive: nothing is installed', async () => {
    const file = path.join(dir, 'release', `buckaroo-table-${VERSION}-linux-x64.tar.gz`);
    const good = fs.readFileSync(file);
    fs.writeFileSync(file, Buffer.concat([good, Buffer.from('x')]));
    try {
      const r = await install(['Linux', 'x86_64'], path.join(dir, 'prefix-tampered'));
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('checksum mismatch');
      expect(fs.existsSync(path.join(dir, 'prefix-tampered', 'bin', 'buckaroo-table'))).toBe(false);
    } finally {
      fs.writeFileSync(file, good);
    }
  });
});
