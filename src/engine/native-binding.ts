// Loads DuckDB's native addon. build.ts aliases `@duckdb/node-bindings` to this module. Inside the compiled
// binary the addon and libduckdb come from the cache native-assets.ts unpacks them into (synchronously here if
// nobody has yet) and are loaded with process.dlopen. Run as `node dist/buckaroo-table.cjs`, the npm platform
// package is used.

import { createRequire } from 'node:module';
import path from 'node:path';
import { nativeCacheDir } from '../paths.ts';
import { extractNativeAssets, nativeHash, NativeLoadError, seaModule } from './native-assets.ts';

export { extractNativeAssets, NATIVE_ASSETS, NativeLoadError } from './native-assets.ts';

function loadNativeBinding(): unknown {
  const sea = seaModule();
  if (sea?.isSea()) {
    const hash = nativeHash();
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
