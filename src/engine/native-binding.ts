// Loads DuckDB's native addon. build.ts aliases `@duckdb/node-bindings` to this module. Inside the compiled
// binary the addon and libduckdb come from the checked cache native-assets.ts unpacks them into (synchronously
// here if nobody has yet) and are loaded with process.dlopen. Run as a plain bundle, the npm platform package is
// used.

import { createRequire } from 'node:module';
import path from 'node:path';
import { isCompiledBinary } from '../os/embedded.ts';
import { nativeCacheDir } from '../paths.ts';
import { loadableNativeDir, NativeLoadError } from './native-assets.ts';
import { NativeVerifyError } from './native-verify.ts';

export { extractNativeAssets, NATIVE_ASSETS, NativeLoadError } from './native-assets.ts';

function loadNativeBinding(): unknown {
  if (isCompiledBinary()) {
    let dir: string;
    try {
      dir = loadableNativeDir();
    } catch (err) {
      if (err instanceof NativeVerifyError || err instanceof NativeLoadError) throw err;
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
