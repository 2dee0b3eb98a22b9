// `make release`: turns the built binary, and a cross-build for every other target, into release artifacts in
// <dist>/release/: an archive per platform (.tar.gz; .zip for Windows), SHA256SUMS, install.sh, a Homebrew formula, and release.json (a
// GitHub-style release object, so a plain static file server can act as the update feed). Run with the pinned
// Node 24.
//
// BUCKAROO_DIST_DIR picks the build (default dist/; other targets build into <dist>/<target>/);
// BUCKAROO_RELEASE_TARGETS=linux-x64,… limits the targets (default: all in scripts/target-packages.ts);
// BUCKAROO_RELEASE_BASE_URL is where the files will be downloaded from (default: the GitHub release download
// URL for the tag).

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { archiveName, CHECKSUMS_ASSET, DEFAULT_DOWNLOAD_BASE, executableName, releasePlatform } from '../src/update/release.ts';
import { writeTar } from '../src/update/tar.ts';
import { writeZip } from '../src/update/zip.ts';
import { homebrewFormula } from './homebrew-formula.ts';
import { hostTargetName, TARGETS, type Target } from './target-packages.ts';
import { sha256, timedStep } from './timed-step.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const DIST = path.resolve(ROOT, process.env.BUCKAROO_DIST_DIR || 'dist');
const BINARY = path.join(DIST, 'buckaroo-table');
const OUT = path.join(DIST, 'release');
/** gzip level 6: within a few percent of 9 on this binary (the DuckDB part is already zstd) and much faster. */
const GZIP_LEVEL = 6;
const VERSION_TIMEOUT_MS = 20_000;
/** A cross-build: bundle, compile, and a smoke test under qemu when it can run. */
const CROSS_BUILD_TIMEOUT_MS = 900_000;

const step = <T>(message: string, fn: () => T): Promise<T> => timedStep('release', message, fn);

/**
 * The version comes from one place, package.json's `version` (`npm version 1.2.3 --no-git-tag-version`);
 * BUCKAROO_VERSION overrides it for one build and one release (the tests' 0.0.1 and 0.0.2). `make release`
 * rebuilds first with the same environment, so a binary of another version means the two disagree: refuse.
 */
function intendedVersion(): { version: string; from: string } {
  const override = process.env.BUCKAROO_VERSION;
  if (override) return { version: override, from: 'BUCKAROO_VERSION' };
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  return { version: pkg.version, from: 'package.json' };
}

function binaryVersion(): string {
  if (!fs.existsSync(BINARY)) throw new Error(`${BINARY} does not exist; build it first (make build).`);
  const built = execFileSync(BINARY, ['--version'], { encoding: 'utf8', timeout: VERSION_TIMEOUT_MS }).trim();
  const intended = intendedVersion();
  if (built !== intended.version) {
    throw new Error(`${BINARY} is version ${built}, but ${intended.from} says ${intended.version}: rebuild (make release builds first) or set the version in package.json.`);
  }
  process.stdout.write(` ${built} (from ${intended.from})`);
  return built;
}

/** The binary for `target`: this machine's build, or a cross-build of the same version into <dist>/<target>/ (darwin ones re-signed ad hoc by build.ts). */
function targetBinary(target: Target, version: string): string {
  if (target.name === hostTargetName()) return BINARY;
  const dist = path.join(DIST, target.name);
  execFileSync(process.execPath, [path.join(ROOT, 'build.ts'), '--target', target.name], {
    cwd: ROOT,
    env: { ...process.env, BUCKAROO_DIST_DIR: dist, BUCKAROO_VERSION: version },
    stdio: ['ignore', 'ignore', 'inherit'],
    timeout: CROSS_BUILD_TIMEOUT_MS,
  });
  return path.join(dist, target.binaryName);
}

function releaseTargets(): Target[] {
  const names = process.env.BUCKAROO_RELEASE_TARGETS?.split(',').map((s) => s.trim()).filter(Boolean) ?? Object.keys(TARGETS);
  return names.map((n) => {
    const t = TARGETS[n];
    if (!t) throw new Error(`BUCKAROO_RELEASE_TARGETS names ${n}; known: ${Object.keys(TARGETS).join(', ')}`);
    return t;
  });
}

/** `<stem>/buckaroo-table` + README in a .tar.gz; on Windows `<stem>/buckaroo-table.exe` + README in a .zip. */
function writeArchive(binary: string, version: string, os: string, arch: string): string {
  const name = archiveName(version, os, arch);
  const stem = name.replace(/\.(tar\.gz|zip)$/, '');
  const mtime = Math.floor(fs.statSync(binary).mtimeMs / 1000);
  if (name.endsWith('.zip')) {
    const zip = writeZip(
      [
        { name: `${stem}/${executableName(os)}`, data: fs.readFileSync(binary) },
        { name: `${stem}/README.md`, data: fs.readFileSync(path.join(ROOT, 'README.md')) },
      ],
      mtime,
      GZIP_LEVEL,
    );
    fs.writeFileSync(path.join(OUT, name), zip);
    return name;
  }
  const tar = writeTar(
    [
      { name: `${stem}/${executableName(os)}`, mode: 0o755, data: fs.readFileSync(binary) },
      { name: `${stem}/README.md`, mode: 0o644, data: fs.readFileSync(path.join(ROOT, 'README.md')) },
    ],
    mtime,
  );
  fs.writeFileSync(path.join(OUT, name), zlib.gzipSync(tar, { level: GZIP_LEVEL }));
  return name;
}

/** install.sh (Linux, macOS) and install.ps1 (Windows), from their templates in scripts/. */
const INSTALLERS = ['install.sh', 'install.ps1'];

function writeInstallers(version: string, baseUrl: string): void {
  for (const name of INSTALLERS) {
    const template = fs.readFileSync(path.join(ROOT, 'scripts', `${name}.in`), 'utf8');
    fs.writeFileSync(path.join(OUT, name), template.replaceAll('@VERSION@', version).replaceAll('@BASE_URL@', baseUrl), { mode: 0o755 });
  }
}

async function main(): Promise<void> {
  if (!process.version.startsWith('v24.')) throw new Error(`scripts/release.ts must run on the pinned Node 24 (found ${process.version}).`);
  const version = await step('read the binary version', binaryVersion);
  const baseUrl = (process.env.BUCKAROO_RELEASE_BASE_URL || `${DEFAULT_DOWNLOAD_BASE}/v${version}`).replace(/\/+$/, '');
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(OUT, { recursive: true });
  const archives = [];
  for (const target of releaseTargets()) {
    const platform = releasePlatform(target.os === 'windows' ? 'win32' : target.os, target.arch); // node's names
    if (!platform) throw new Error(`No release platform name for ${target.name}.`);
    const binary = await step(`binary for ${target.name}`, () => targetBinary(target, version));
    const name = await step(`pack the ${target.name} archive`, () => writeArchive(binary, version, platform.os, platform.arch));
    archives.push({ name, ...platform, sha: sha256(fs.readFileSync(path.join(OUT, name))) });
  }

  writeInstallers(version, baseUrl);
  fs.writeFileSync(path.join(OUT, 'buckaroo-table.rb'), homebrewFormula(version, baseUrl, archives));
  const sums = [...INSTALLERS, 'buckaroo-table.rb'].map((f) => ({ name: f, sha: sha256(fs.readFileSync(path.join(OUT, f))) }));
  fs.writeFileSync(path.join(OUT, CHECKSUMS_ASSET), [...archives, ...sums].map((t) => `${t.sha}  ${t.name}\n`).join(''));

  const assets = [...archives.map((t) => t.name), CHECKSUMS_ASSET, ...INSTALLERS, 'buckaroo-table.rb'].map((f) => ({
    name: f,
    size: fs.statSync(path.join(OUT, f)).size,
    browser_download_url: `${baseUrl}/${f}`,
  }));
  const release = { tag_name: `v${version}`, name: `buckaroo-table ${version}`, prerelease: version.includes('-'), assets };
  fs.writeFileSync(path.join(OUT, 'release.json'), JSON.stringify(release, null, 2) + '\n');
  const packed = archives.map((t) => `${t.name} (${(fs.statSync(path.join(OUT, t.name)).size / 1024 / 1024).toFixed(1)} MiB)`).join(', ');
  console.log(`release: ${path.relative(ROOT, OUT) || OUT}/ ${packed}, SHA256SUMS, install.sh, install.ps1, buckaroo-table.rb, release.json; base URL ${baseUrl}`);
}

main().catch((err: unknown) => {
  console.error(`release failed: ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
});
