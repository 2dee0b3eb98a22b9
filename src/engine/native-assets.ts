// DuckDB's native files inside the compiled binary: zstd-compressed SEA assets, extracted once per user into
// a cache directory keyed by their content hash (temp dir + atomic rename, so concurrent first starts are
// safe). No side effects on import: the server unpacks them off the event loop before loading DuckDB.

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Worker } from 'node:worker_threads';
import zlib from 'node:zlib';
import { LIBRARY_PIECE_BYTES, writeExecutableSync } from '../os/write-executable.ts';
import { nativeCacheDir } from '../paths.ts';

declare const __BUCKAROO_NATIVE_HASH__: string | undefined;

export function nativeHash(): string {
  return typeof __BUCKAROO_NATIVE_HASH__ === 'string' ? __BUCKAROO_NATIVE_HASH__ : 'unknown';
}

/** Asset names as build.ts embeds them; the addon's RUNPATH ($ORIGIN) finds the library beside it. */
export const NATIVE_ASSETS = [
  { asset: 'native/duckdb.node.zst', file: 'duckdb.node' },
  { asset: 'native/libduckdb.so.zst', file: process.platform === 'darwin' ? 'libduckdb.dylib' : 'libduckdb.so' },
] as const;

export class NativeLoadError extends Error {
  readonly code = 'E_DUCKDB_NATIVE';
}

export interface SeaModule {
  isSea(): boolean;
  getAsset(key: string): ArrayBuffer;
  /** The asset in place, read-only (Node ≥ 20.12): getAsset copies it, ~20 MB of DuckDB into our heap. */
  getRawAsset?(key: string): ArrayBuffer;
}

/** An embedded asset's bytes without a copy where Node can, for reading only. */
export function assetBytes(sea: SeaModule, key: string): Buffer {
  return Buffer.from(sea.getRawAsset ? sea.getRawAsset(key) : sea.getAsset(key));
}

export function seaModule(): SeaModule | undefined {
  try {
    // node:sea exists only on Node ≥ 20; require keeps this module loadable everywhere.
    return createRequire(__filename)('node:sea') as SeaModule;
  } catch {
    return undefined;
  }
}

/** Extracts the embedded native files if needed and returns the directory holding them. */
export function extractNativeAssets(sea: SeaModule, hash: string, cacheRoot = nativeCacheDir()): string {
  const finalDir = path.join(cacheRoot, hash);
  if (fs.existsSync(path.join(finalDir, '.complete'))) return finalDir;
  fs.mkdirSync(cacheRoot, { recursive: true, mode: 0o700 });
  const tmpDir = fs.mkdtempSync(path.join(cacheRoot, `.tmp-${hash.slice(0, 8)}-`));
  try {
    for (const { asset, file } of NATIVE_ASSETS) {
      const compressed = assetBytes(sea, asset);
      writeExecutableSync(path.join(tmpDir, file), zlib.zstdDecompressSync(compressed), LIBRARY_PIECE_BYTES);
    }
    publishUnpacked(tmpDir, finalDir, hash);
  } finally {
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }
  return finalDir;
}

/** Marks an unpacked temp dir complete and moves it into place (the rename makes concurrent starts safe). */
function publishUnpacked(tmpDir: string, finalDir: string, hash: string): void {
  fs.writeFileSync(path.join(tmpDir, '.complete'), hash);
  try {
    fs.renameSync(tmpDir, finalDir);
  } catch (err) {
    // Another process won the race: its directory is complete, ours is redundant.
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'EPERM') throw err;
    if (!fs.existsSync(path.join(finalDir, '.complete'))) throw err;
  }
}

/** Unpacking ~60 MB takes ~0.3 s alone; a busy machine gets room before the server unpacks it itself. */
const UNPACK_CHILD_TIMEOUT_MS = 30_000;

/**
 * Unpacks in a short-lived copy of this binary (`buckaroo-table unpack-native <dir>`). Done in the server, it
 * would keep ~45 MB in its RSS for hours: the embedded archive's pages of the binary (~18 MB) and the malloc
 * heap the decompression grew (~28 MB), which glibc does not give back. Resolves whether the child finished.
 */
function unpackInChild(cacheRoot: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['unpack-native', cacheRoot], { timeout: UNPACK_CHILD_TIMEOUT_MS, windowsHide: true }, (err) => resolve(!err));
  });
}

/** How the server came by DuckDB's files, for /diagnostics: a slow first load after an upgrade shows here. */
export interface NativeUnpack {
  /** `package`: run from source, the npm platform package has them; `cached`: unpacked by an earlier start. */
  how: 'package' | 'cached' | 'child' | 'in-process';
  ms: number;
  /** Where duckdb.node and libduckdb are (absent for `package`). */
  dir?: string;
}

/**
 * Called by the server before it loads DuckDB, off the event loop: after it, loading the addon only finds the
 * `.complete` marker.
 */
export async function prepareNativeAssets(cacheRoot = nativeCacheDir()): Promise<NativeUnpack> {
  const t0 = performance.now();
  const sea = seaModule();
  const hash = nativeHash();
  const done = (how: NativeUnpack['how']): NativeUnpack => ({ how, ms: Math.round(performance.now() - t0), ...(how === 'package' ? {} : { dir: path.join(cacheRoot, hash) }) });
  if (!sea?.isSea()) return done('package');
  const complete = (): boolean => fs.existsSync(path.join(cacheRoot, hash, '.complete'));
  if (complete()) return done('cached');
  if ((await unpackInChild(cacheRoot)) && complete()) return done('child');
  await unpackInProcess(sea, hash, cacheRoot);
  return done('in-process');
}

/** DuckDB's files in place and its addon loaded once off the event loop (see preloadAddonOffThread). */
export async function readyNative(cacheRoot = nativeCacheDir()): Promise<NativeUnpack> {
  const unpack = await prepareNativeAssets(cacheRoot);
  if (unpack.dir) await preloadAddonOffThread(unpack.dir);
  return unpack;
}

/** Loading the addon in a worker takes ~40 ms there; a stuck one must not hold the first load for long. */
const PRELOAD_TIMEOUT_MS = 5_000;

/**
 * Loads the addon once in a worker thread, which then exits. Mapping and relocating ~60 MB of libduckdb takes
 * 12-15 ms and happens once per process: done here, the server's own load of the addon (on the event loop)
 * finds the library in place and takes ~1 ms, so /health stays quick during the first load too. Any failure is
 * ignored: the main thread's load then reports it properly.
 */
export function preloadAddonOffThread(dir: string): Promise<void> {
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(`process.dlopen({ exports: {} }, ${JSON.stringify(path.join(dir, 'duckdb.node'))});`, { eval: true, stdout: true, stderr: true });
    } catch {
      return resolve();
    }
    const timer = setTimeout(() => {
      void worker.terminate();
      resolve();
    }, PRELOAD_TIMEOUT_MS);
    worker.once('error', () => {});
    worker.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** The fallback when the child could not run: streamed, so no 60 MB buffer is held at once. */
async function unpackInProcess(sea: SeaModule, hash: string, cacheRoot: string): Promise<void> {
  const finalDir = path.join(cacheRoot, hash);
  await fs.promises.mkdir(cacheRoot, { recursive: true, mode: 0o700 });
  const tmpDir = await fs.promises.mkdtemp(path.join(cacheRoot, `.tmp-${hash.slice(0, 8)}-`));
  try {
    for (const { asset, file } of NATIVE_ASSETS) {
      const compressed = assetBytes(sea, asset);
      await pipeline(Readable.from([compressed]), zlib.createZstdDecompress(), fs.createWriteStream(path.join(tmpDir, file), { mode: 0o755 }));
    }
    publishUnpacked(tmpDir, finalDir, hash); // a small write and a rename: quick enough on the event loop
  } finally {
    await fs.promises.rm(tmpDir, { recursive: true, force: true });
  }
}
