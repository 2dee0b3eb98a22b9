// The release feed parser, asset naming, SHA256SUMS parsing, progress text and the tar reader/writer.

import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { formatProgress } from '../../../src/update/download.ts';
import { archiveName, executableName, findAsset, parseChecksums, parseRelease, releasePlatform, releaseVersion, taggedReleaseUrl, tarballName } from '../../../src/update/release.ts';
import { readTar, writeTar } from '../../../src/update/tar.ts';

const release = {
  tag_name: 'v0.4.0',
  name: 'buckaroo-table 0.4.0',
  draft: false,
  assets: [
    { name: 'buckaroo-table-0.4.0-linux-x64.tar.gz', browser_download_url: 'https://example.invalid/a.tar.gz', size: 10 },
    { name: 'SHA256SUMS', browser_download_url: 'https://example.invalid/SHA256SUMS' },
  ],
};

describe('release feed parsing', () => {
  it('accepts a GitHub release object and reads its version', () => {
    const r = parseRelease(release);
    expect(releaseVersion(r)).toBe('0.4.0');
    expect(findAsset(r, tarballName('0.4.0', 'linux', 'x64'))?.browser_download_url).toBe('https://example.invalid/a.tar.gz');
  });
  it('refuses garbage: HTML text, an object without assets, a tag that is not a version', () => {
    expect(() => parseRelease('<html>rate limited</html>')).toThrow(/not a release/);
    expect(() => parseRelease({ tag_name: 'v1.0.0' })).toThrow(/assets/);
    expect(() => parseRelease({ ...release, tag_name: 'nightly' })).toThrow(/not a version/);
    expect(() => parseRelease({ ...release, assets: [{ name: 'x', browser_download_url: 'not a url' }] })).toThrow();
  });
  it('derives a tagged release URL from the latest-release URL', () => {
    expect(taggedReleaseUrl('https://api.github.com/repos/o/r/releases/latest', '1.2.3')).toBe('https://api.github.com/repos/o/r/releases/tags/v1.2.3');
    expect(() => taggedReleaseUrl('http://127.0.0.1:9/feed.json', '1.2.3')).toThrow(/releases\/latest/);
  });
  it('names platforms the way release archives do, and only the ones we publish', () => {
    expect(releasePlatform('linux', 'x64')).toEqual({ os: 'linux', arch: 'x64' });
    expect(releasePlatform('linux', 'arm64')).toEqual({ os: 'linux', arch: 'arm64' });
    expect(releasePlatform('darwin', 'arm64')).toEqual({ os: 'darwin', arch: 'arm64' });
    expect(releasePlatform('darwin', 'x64')).toEqual({ os: 'darwin', arch: 'x64' });
    expect(releasePlatform('win32', 'x64')).toEqual({ os: 'windows', arch: 'x64' });
    expect(releasePlatform('win32', 'arm64')).toBeUndefined();
    expect(releasePlatform('freebsd', 'x64')).toBeUndefined();
  });
  it('packs Windows in a .zip holding buckaroo-table.exe, everything else in a .tar.gz', () => {
    expect(archiveName('1.2.3', 'windows', 'x64')).toBe('buckaroo-table-1.2.3-windows-x64.zip');
    expect(archiveName('1.2.3', 'darwin', 'arm64')).toBe('buckaroo-table-1.2.3-darwin-arm64.tar.gz');
    expect(executableName('windows')).toBe('buckaroo-table.exe');
    expect(executableName('darwin')).toBe('buckaroo-table');
  });
  it('parses sha256sum output in text and binary mode', () => {
    const a = 'a'.repeat(64);
    const b = 'B'.repeat(64);
    const sums = parseChecksums(`${a}  one.tar.gz\n${b} *two.tar.gz\ngarbage line\n`);
    expect(sums.get('one.tar.gz')).toBe(a);
    expect(sums.get('two.tar.gz')).toBe('b'.repeat(64));
    expect(sums.size).toBe(2);
  });
});

describe('tar', () => {
  it('reads back what it writes, through gzip', () => {
    const data = Buffer.alloc(1500, 7);
    const tgz = zlib.gzipSync(writeTar([{ name: 'dir/buckaroo-table', mode: 0o755, data }, { name: 'dir/README.md', mode: 0o644, data: Buffer.from('hi') }]));
    const entries = readTar(zlib.gunzipSync(tgz));
    expect(entries.map((e) => [e.name, e.mode, e.data.length])).toEqual([
      ['dir/buckaroo-table', 0o755, 1500],
      ['dir/README.md', 0o644, 2],
    ]);
    expect(entries[0]!.data.equals(data)).toBe(true);
  });
  it('refuses a corrupt header and a truncated entry', () => {
    const tar = writeTar([{ name: 'x', mode: 0o644, data: Buffer.alloc(2000, 1) }]);
    const bad = Buffer.from(tar);
    bad[10] = 65;
    expect(() => readTar(bad)).toThrow(/checksum/);
    expect(() => readTar(tar.subarray(0, 1024))).toThrow(/Truncated/);
  });
});

describe('progress', () => {
  it('draws a bar with percent and MiB when the size is known', () => {
    expect(formatProgress(5 * 1024 * 1024, 10 * 1024 * 1024, 10)).toBe('[#####.....]  50%  5.0/10.0 MiB');
    expect(formatProgress(3 * 1024 * 1024, undefined)).toBe('3.0 MiB');
  });
});
