// Loads DuckDB's native addon. build.ts aliases `@duckdb/node-bindings` to this module. Inside the compiled
// binary the addon and libduckdb ship as zstd-compressed SEA assets: they are extracted once per user into a
// cache directory keyed by their content hash (temp dir + atomic rename, so concurrent first starts are safe)
// and loaded with process.dlopen. Run as `node dist/buckaroo-table.cjs`, the npm platform package is used.

import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import zlib from 'node:zlib';
import { nativeCacheDir } from '../paths.ts';

declare const __BUCKAROO_NATIVE_HASH__: string | undefined;

/** Asset names as build.ts embeds them; the addon's RUNPATH ($ORIGIN) finds the library beside it. */
export const NATIVE_ASSETS = [
  { asset: 'native/duckdb.node.zst', file: 'duckdb.node' },
  { asset: 'native/libduckdb.so.zst', file: process.platform === 'darwin' ? 'libduckdb.dylib' : 'libduckdb.so' },
] as const;

export class NativeLoadError extends Error {
  readonly code = 'E_DUCKDB_NATIVE';
}

interface SeaModule {
  isSea(): boolean;
  getAsset(key: string): ArrayBuffer;
}

function seaModule(): SeaModule | undefined {
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
      const compressed = Buffer.from(sea.getAsset(asset));
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

function loadNativeBinding(): unknown {
  const sea = seaModule();
  if (sea?.isSea()) {
    const hash = typeof __BUCKAROO_NATIVE_HASH__ === 'string' ? __BUCKAROO_NATIVE_HASH__ : 'unknown';
    let dir: string;
    try {
      dir = extractNativeAssets(sea, hash);
    } catch (err) {
      throw new NativeLoadError(
        `Could not unpack DuckDB into ${nativeCacheDir()}: ${(err as Error).message}. Check that the directory is writable and the disk is not full.`,
      );
    }
    const mod = { exports: {} as unknown };
    process.dlopen(mod, path.join(dir, 'duckdb.node'));
    return mod.exports;
  }
  const req = createRequire(__filename);
  return req(`@duckdb/node-bindings-${process.platform}-${process.arch}/duckdb.node`);
}

const binding: unknown = loadNativeBinding();
export default binding;
