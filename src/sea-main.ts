// The compiled binary's entry point. It runs the real bundle (an asset) through vm.Script with a V8 code cache
// that build.ts made after exercising this command's start-up path (`mcp`, `server`, or `--version`), so the functions
// it runs start compiled. Node's own SEA code cache (useCodeCache) only covers the bundle's top level, not the module
// bodies and handlers esbuild wraps in functions: this roughly halves the bundle's start-up work.
// If V8 rejects the cache (another V8 or other flags) the bundle still runs, just compiled lazily as usual.

import sea from 'node:sea';
import path from 'node:path';
import vm from 'node:vm';

/** Asset names; build.ts and scripts/warm-code-cache.ts use the same. */
export const APP_ASSET = 'app/buckaroo-table.cjs';
/**
 * One cache per start-up path: each holds only what that path compiles, so it deserialises faster (the MCP
 * one is ~1 MB and takes ~5 ms). `cli` is warmed with `--version` and serves every other command.
 */
export const CACHE_ASSETS = { mcp: 'app/mcp.cache', server: 'app/server.cache', cli: 'app/cli.cache' } as const;
export type CacheMode = keyof typeof CACHE_ASSETS;
export const CACHE_MODES = Object.keys(CACHE_ASSETS) as CacheMode[];

/** Which cache a command line (process.argv) starts with. */
export function cacheModeFor(argv: readonly string[]): CacheMode {
  return argv[2] === 'server' ? 'server' : argv[2] === 'mcp' ? 'mcp' : 'cli';
}

/** The CommonJS wrapper the bundle runs in; the code cache is only valid for this exact source text. */
export function wrapBundle(source: string): string {
  return `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
}

type BundleFunction = (exports: object, require: NodeJS.Require, module: { exports: object }, filename: string, dirname: string) => void;

function runBundle(): void {
  const source = sea.getAsset(APP_ASSET, 'utf8');
  const cachedData = Buffer.from(sea.getAsset(CACHE_ASSETS[cacheModeFor(process.argv)]));
  const filename = process.execPath;
  const script = new vm.Script(wrapBundle(source), { filename, cachedData });
  // The build's smoke test asks, so a cache V8 no longer accepts fails the build instead of slowing start-up.
  if (process.env.BUCKAROO_CODE_CACHE_CHECK === '1') process.stderr.write(`code cache: ${script.cachedDataRejected ? 'rejected' : 'accepted'}\n`);
  const fn = script.runInThisContext() as BundleFunction;
  const mod = { exports: {} };
  fn(mod.exports, require, mod, filename, path.dirname(filename));
}

if (sea.isSea()) runBundle();
