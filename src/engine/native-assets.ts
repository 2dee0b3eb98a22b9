// DuckDB's native files inside the compiled binary: zstd-compressed SEA assets, extracted once per user into
// a cache directory keyed by their content hash (temp dir + atomic rename, so concurrent first starts are
// safe). No side effects on import: the server unpacks them off the event loop before loading DuckDB.

import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
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
      fs.writeFileSync(path.join(tmpDir, file), zlib.zstdDecompressSync(compressed), { mode: 0o755 });
    }
    fs.writeFileSync(path.join(tmpDir, '.complete'), hash);
    try {
      fs.renameSync(tmpDir, finalDir);
    } catch (err) {
      // Another process won the race: its directory is complete, ours is redundant.
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'EPERM') throw err;
      if (!fs.existsSync(path.join(finalDir, '.complete'))) throw err;
    }
  } finally {
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }
  return finalDir;
}

/**
 * The async twin of extractNativeAssets, for the server: decompressing ~60 MB takes a few hundred ms, which
 * must not stall /health. After it, loading the addon only finds the `.complete` marker. Outside the binary
 * (npm platform package) there is nothing to do.
 */
export async function prepareNativeAssets(cacheRoot = nativeCacheDir()): Promise<void> {
  const sea = seaModule();
  if (!sea?.isSea()) return;
  const hash = nativeHash();
  const finalDir = path.join(cacheRoot, hash);
  if (fs.existsSync(path.join(finalDir, '.complete'))) return;
  await fs.promises.mkdir(cacheRoot, { recursive: true, mode: 0o700 });
  const tmpDir = await fs.promises.mkdtemp(path.join(cacheRoot, `.tmp-${hash.slice(0, 8)}-`));
  try {
    for (const { asset, file } of NATIVE_ASSETS) {
      // Streamed in small chunks: a whole 60 MB buffer would stay in the server's RSS long after.
      const compressed = assetBytes(sea, asset);
      await pipeline(Readable.from([compressed]), zlib.createZstdDecompress(), fs.createWriteStream(path.join(tmpDir, file), { mode: 0o755 }));
    }
    await fs.promises.writeFile(path.join(tmpDir, '.complete'), hash);
    try {
      await fs.promises.rename(tmpDir, finalDir);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'EPERM') throw err;
      if (!fs.existsSync(path.join(finalDir, '.complete'))) throw err;
    }
  } finally {
    await fs.promises.rm(tmpDir, { recursive: true, force: true });
  }
}
