// The npm packages a build for one platform is made of: Bun's runtime (`@oven/bun-<os>-<arch>`) and DuckDB's
// native files (`@duckdb/node-bindings-<os>-<arch>`). Versions and integrity come from package-lock.json, which
// records every platform's optional package; npm installs only this machine's, the others are fetched with
// `npm pack` into dist/.cache/npm and checked against the lock's SHA-512 before use.

import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface Target {
  /** Release platform name, as in archive names: `linux-x64`. */
  name: string;
  os: 'linux' | 'darwin' | 'windows';
  arch: 'x64' | 'arm64';
  /** `bun build --target` value. */
  bunTarget: string;
  bunPackage: string;
  /** The Bun runtime inside bunPackage (Windows: `bin/bun.exe`). */
  bunFile: string;
  duckdbPackage: string;
  /** DuckDB's library beside duckdb.node, named as the addon links it (src/engine/native-assets.ts). */
  duckdbLibrary: string;
  /** The executable's name: `buckaroo-table`, or `buckaroo-table.exe` on Windows. */
  binaryName: string;
}

const unix = (os: 'linux' | 'darwin', arch: 'x64' | 'arm64', bunArch: string, duckdbLibrary: string): Target => ({
  name: `${os}-${arch}`, os, arch,
  bunTarget: `bun-${os}-${arch}`, bunPackage: `@oven/bun-${os}-${bunArch}`, bunFile: 'bin/bun',
  duckdbPackage: `@duckdb/node-bindings-${os}-${arch}`, duckdbLibrary, binaryName: 'buckaroo-table',
});

/** Every platform we release: Bun publishes a runtime for each, DuckDB 1.5.6-r.1 its native files. */
export const TARGETS: Record<string, Target> = {
  'linux-x64': unix('linux', 'x64', 'x64', 'libduckdb.so'),
  'linux-arm64': unix('linux', 'arm64', 'aarch64', 'libduckdb.so'),
  'darwin-arm64': unix('darwin', 'arm64', 'aarch64', 'libduckdb.dylib'),
  'darwin-x64': unix('darwin', 'x64', 'x64', 'libduckdb.dylib'),
  'windows-x64': {
    name: 'windows-x64', os: 'windows', arch: 'x64',
    bunTarget: 'bun-windows-x64', bunPackage: '@oven/bun-windows-x64', bunFile: 'bin/bun.exe',
    duckdbPackage: '@duckdb/node-bindings-win32-x64', duckdbLibrary: 'duckdb.dll', binaryName: 'buckaroo-table.exe',
  },
};

export const hostTargetName = (): string => `${process.platform}-${process.arch}`;

/** npm pack can take a while on a slow registry mirror; it is cached after the first time. */
const NPM_PACK_TIMEOUT_MS = 300_000;

interface LockEntry {
  version: string;
  integrity: string;
}

function lockEntry(root: string, name: string): LockEntry {
  const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, Partial<LockEntry>> };
  const entry = lock.packages[`node_modules/${name}`];
  if (!entry?.version || !entry.integrity) throw new Error(`${name} is not in package-lock.json: add it to package.json (optionalDependencies) and run npm install`);
  return { version: entry.version, integrity: entry.integrity };
}

function installedVersion(dir: string): string | undefined {
  try {
    return (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return undefined;
  }
}

/** `sha512-<base64>` of a file, the form package-lock.json records. */
function integrityOf(file: string): string {
  return `sha512-${crypto.createHash('sha512').update(fs.readFileSync(file)).digest('base64')}`;
}

/** The package's directory at the locked version: node_modules when npm installed it, else a checked `npm pack`. */
export function packageDir(root: string, cache: string, name: string): string {
  const { version, integrity } = lockEntry(root, name);
  const installed = path.join(root, 'node_modules', name);
  if (installedVersion(installed) === version) return installed;
  const dir = path.join(cache, 'npm', `${name.replace('/', '+')}@${version}`);
  if (installedVersion(dir) === version) return dir;
  const work = fs.mkdtempSync(path.join(cache, 'npm-pack-'));
  try {
    const out = execFileSync('npm', ['pack', '--silent', '--pack-destination', work, `${name}@${version}`], { encoding: 'utf8', timeout: NPM_PACK_TIMEOUT_MS }).trim();
    const tgz = path.join(work, out.split('\n').pop()!);
    const got = integrityOf(tgz);
    if (got !== integrity) throw new Error(`${name}@${version} from the registry does not match package-lock.json (${got.slice(0, 24)}… vs ${integrity.slice(0, 24)}…)`);
    const unpacked = path.join(work, 'package');
    fs.mkdirSync(unpacked);
    execFileSync('tar', ['-xzf', tgz, '-C', unpacked, '--strip-components=1']);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    fs.renameSync(unpacked, dir);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return dir;
}
