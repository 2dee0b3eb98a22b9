// Builds dist/buckaroo-table: bundle → web assets → native assets → SEA blob → inject → smoke test.
// Each step is a named, awaited function; tools run with argument arrays, never a shell string.
// Run with the pinned Node 24 (the Makefile puts it first on PATH): the blob must come from the same node
// that becomes the binary.

import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import * as esbuild from 'esbuild';
import { BINARY_PIECE_BYTES, writeExecutableSync } from './src/os/write-executable.ts';

const ROOT = path.dirname(new URL(import.meta.url).pathname);
/** BUCKAROO_DIST_DIR lets tests build a second version (or parallel work) without overwriting dist/. */
const DIST = path.resolve(ROOT, process.env.BUCKAROO_DIST_DIR || 'dist');
const CACHE = path.join(ROOT, 'dist', '.cache');
const BUNDLE = path.join(DIST, 'buckaroo-table.cjs');
const BINARY = path.join(DIST, 'buckaroo-table');
const WEB_OUT = path.join(DIST, 'web');
/** The binary's entry: runs BUNDLE (an asset) with the warmed code cache; see src/sea-main.ts. */
const SEA_MAIN = path.join(DIST, 'sea-main.cjs');
const SEA_CONFIG = path.join(DIST, 'sea-config.json');
const SEA_BLOB = path.join(DIST, 'sea-prep.blob');
/** The fuse Node's SEA loader looks for; fixed by Node, not by us. */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
/** zstd level for the DuckDB library: 19 keeps the binary near 130 MB; the result is cached by content hash. */
const NATIVE_ZSTD_LEVEL = 19;
const SMOKE_TIMEOUT_MS = 10_000;
/** V8's initial young-generation semi-space for the binary, in MB (see writeSeaBlob). */
const MIN_SEMI_SPACE_MB = 8;

const require = createRequire(import.meta.url);
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
const VERSION = process.env.BUCKAROO_VERSION || pkg.version;

async function action<T>(message: string, fn: () => T | Promise<T>): Promise<T> {
  const t0 = performance.now();
  process.stdout.write(`build: ${message}…`);
  try {
    const result = await fn();
    process.stdout.write(` ${Math.round(performance.now() - t0)} ms\n`);
    return result;
  } catch (err) {
    process.stdout.write(' FAILED\n');
    throw err;
  }
}

interface NativeFile {
  asset: string;
  source: string;
}

function nativeFiles(): NativeFile[] {
  const pkgDir = path.dirname(require.resolve(`@duckdb/node-bindings-${process.platform}-${process.arch}/package.json`));
  const lib = process.platform === 'darwin' ? 'libduckdb.dylib' : 'libduckdb.so';
  return [
    { asset: 'native/duckdb.node.zst', source: path.join(pkgDir, 'duckdb.node') },
    { asset: `native/${lib}.zst`.replace('libduckdb.dylib', 'libduckdb.so'), source: path.join(pkgDir, lib) },
  ];
}

function sha256(data: Buffer | string): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

/** One hash over both native files: the extraction directory's name, so versions never mix. */
function nativeHash(files: NativeFile[]): string {
  const h = crypto.createHash('sha256');
  for (const f of files) h.update(fs.readFileSync(f.source));
  return h.digest('hex').slice(0, 16);
}

/** Both Node bundles (the app and the binary's entry) are minified CommonJS for the pinned Node 24. */
const NODE_CJS = { bundle: true, platform: 'node', format: 'cjs', target: 'node24', minify: true } as const;

async function bundle(native: string): Promise<void> {
  await esbuild.build({
    entryPoints: [path.join(ROOT, 'src/main.ts')],
    outfile: BUNDLE,
    ...NODE_CJS,
    keepNames: false,
    legalComments: 'none',
    logLevel: 'warning',
    define: {
      __BUCKAROO_VERSION__: JSON.stringify(VERSION),
      __BUCKAROO_BUILT_AT__: JSON.stringify(new Date().toISOString()),
      __BUCKAROO_NATIVE_HASH__: JSON.stringify(native),
      __BUCKAROO_BUNDLED__: 'true',
    },
    // DuckDB's loader require()s a platform package by name; ours extracts the addon from the binary instead.
    alias: {
      '@duckdb/node-bindings': path.join(ROOT, 'src/engine/native-binding.ts'),
      // ofetch's "node" build pulls in node-fetch-native (~25 ms of start-up); Node 24's own fetch is enough.
      ofetch: path.join(ROOT, 'node_modules/ofetch/dist/index.mjs'),
      // jsonc-parser's `main` is a UMD wrapper whose require()s esbuild cannot follow (the binary failed with
      // "No such built-in module: ./impl/format"): bundle its ES module build.
      'jsonc-parser': path.join(ROOT, 'node_modules/jsonc-parser/lib/esm/main.js'),
    },
    // import.meta in dependencies that we never call in CJS (e.g. h3's deprecated re-exports).
    logOverride: { 'empty-import-meta': 'silent' },
  });
}

/** The binary's small entry point; the asset names come from the same module. */
async function bundleSeaMain(): Promise<{ app: string; caches: Record<'mcp' | 'server' | 'cli', string> }> {
  await esbuild.build({
    entryPoints: [path.join(ROOT, 'src/sea-main.ts')],
    outfile: SEA_MAIN,
    ...NODE_CJS,
    legalComments: 'none',
    logLevel: 'warning',
  });
  const { APP_ASSET, CACHE_ASSETS } = await import('./src/sea-main.ts');
  return { app: APP_ASSET, caches: CACHE_ASSETS };
}

/** Runs `mcp` (or `server`) start-up from the bundle in a child and saves V8's compiled code for it. */
function warmCodeCache(mode: 'mcp' | 'server' | 'cli'): string {
  const out = path.join(DIST, `${mode}.cache`);
  fs.rmSync(out, { force: true });
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/warm-code-cache.ts'), BUNDLE, out, mode], {
    stdio: ['ignore', 'ignore', 'inherit'],
    timeout: 60_000,
  });
  if (!fs.existsSync(out) || fs.statSync(out).size === 0) throw new Error(`the ${mode} code cache was not written`);
  return out;
}

interface WebAsset {
  name: string;
  file: string;
  bytes: number;
  hash: string;
}

/** Bundles the viewer page (src/web) into content-hashed files and a manifest the server reads. */
async function buildWeb(): Promise<WebAsset[]> {
  fs.rmSync(WEB_OUT, { recursive: true, force: true });
  fs.mkdirSync(WEB_OUT, { recursive: true });
  const entry = path.join(ROOT, 'src/web/main.ts');
  const result = await esbuild.build({
    entryPoints: { viewer: entry },
    outdir: WEB_OUT,
    entryNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
    loader: { '.css': 'css' },
    // Libraries check this to drop development-only checks and warnings from the page.
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const assets: WebAsset[] = [];
  for (const out of Object.keys(result.metafile.outputs)) {
    const file = path.resolve(ROOT, out);
    const data = fs.readFileSync(file);
    assets.push({ name: path.basename(file), file, bytes: data.length, hash: sha256(data).slice(0, 16) });
  }
  // A page without its script or styles is the blank page users reported upstream: never ship one.
  for (const ext of ['.js', '.css']) {
    if (!assets.some((a) => a.name.endsWith(ext) && a.bytes > 0)) throw new Error(`the viewer bundle has no non-empty ${ext} file`);
  }
  fs.writeFileSync(
    path.join(WEB_OUT, 'manifest.json'),
    JSON.stringify(assets.map(({ name, bytes, hash }) => ({ name, bytes, hash })), null, 2),
  );
  return assets;
}

/** Compresses each native file once per content hash; later builds reuse the result. */
function compressNative(files: NativeFile[]): Record<string, string> {
  fs.mkdirSync(CACHE, { recursive: true });
  const out: Record<string, string> = {};
  for (const f of files) {
    const data = fs.readFileSync(f.source);
    const cached = path.join(CACHE, `${sha256(data).slice(0, 16)}-${NATIVE_ZSTD_LEVEL}-${path.basename(f.source)}.zst`);
    if (!fs.existsSync(cached)) {
      const compressed = zlib.zstdCompressSync(data, { params: { [zlib.constants.ZSTD_c_compressionLevel]: NATIVE_ZSTD_LEVEL } });
      const tmp = `${cached}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, compressed);
      fs.renameSync(tmp, cached);
    }
    out[f.asset] = cached;
  }
  return out;
}

function writeSeaBlob(assets: Record<string, string>): void {
  const config = {
    main: SEA_MAIN,
    output: SEA_BLOB,
    disableExperimentalSEAWarning: true,
    useSnapshot: false,
    useCodeCache: true,
    // Start-up allocates ~10 MB (the SDK's zod schemas); V8's default 1 MB young generation collects several
    // times on the way to answering `initialize`. 8 MB saves ~4 ms there and costs ~1 MB of RSS.
    execArgv: [`--min-semi-space-size=${MIN_SEMI_SPACE_MB}`],
    assets,
  };
  fs.writeFileSync(SEA_CONFIG, JSON.stringify(config, null, 2));
  execFileSync(process.execPath, ['--experimental-sea-config', SEA_CONFIG], { stdio: 'inherit' });
}

async function injectBlob(): Promise<void> {
  const tmp = `${BINARY}.tmp`;
  fs.rmSync(tmp, { force: true });
  fs.copyFileSync(process.execPath, tmp);
  fs.chmodSync(tmp, 0o755);
  // Node's own symbols are of no use to our users: stripping saves ~17 MB. Must happen before injection.
  if (process.platform === 'linux') execFileSync('strip', [tmp]);
  const { inject } = require('postject') as {
    inject(file: string, name: string, data: Buffer, opts: { sentinelFuse: string; machoSegmentName?: string }): Promise<void>;
  };
  await inject(tmp, 'NODE_SEA_BLOB', fs.readFileSync(SEA_BLOB), {
    sentinelFuse: SEA_FUSE,
    ...(process.platform === 'darwin' ? { machoSegmentName: 'NODE_SEA' } : {}),
  });
  // Laid down again in small writes, as `upgrade` installs it: see src/os/write-executable.ts (this keeps the
  // binary the tests and benchmarks run the same, in memory, as the one our users run).
  const laid = `${BINARY}.laid`;
  writeExecutableSync(laid, fs.readFileSync(tmp), BINARY_PIECE_BYTES);
  fs.rmSync(tmp);
  fs.renameSync(laid, BINARY);
}

function smokeTest(): void {
  const out = execFileSync(BINARY, ['--version'], { encoding: 'utf8', timeout: SMOKE_TIMEOUT_MS, env: { PATH: '/bin:/usr/bin' } }).trim();
  if (out !== VERSION) throw new Error(`dist/buckaroo-table --version printed ${JSON.stringify(out)}, expected ${VERSION}`);
  const help = execFileSync(BINARY, ['--help'], { encoding: 'utf8', timeout: SMOKE_TIMEOUT_MS });
  if (!help.includes('buckaroo-table mcp')) throw new Error('dist/buckaroo-table --help does not list the mcp command');
  // V8 silently ignores a code cache it does not accept (other V8, other flags): start-up would just be slower.
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'buckaroo-smoke-'));
  try {
    const env = { PATH: '/bin:/usr/bin', BUCKAROO_HOME: home, BUCKAROO_NO_UPDATE_CHECK: '1', BUCKAROO_CODE_CACHE_CHECK: '1' };
    // `mcp` exits when stdin closes; `server --bogus` is a usage error: both load their cache first.
    for (const args of [['--version'], ['mcp'], ['server', '--bogus']]) {
      const r = spawnSync(BINARY, args, { encoding: 'utf8', input: '', timeout: SMOKE_TIMEOUT_MS, env });
      if (!r.stderr.includes('code cache: accepted')) throw new Error(`dist/buckaroo-table ${args.join(' ')}: V8 did not accept the code cache (${r.stderr.trim()})`);
    }
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (!process.version.startsWith('v24.')) {
    throw new Error(`build.ts must run on the pinned Node 24 (found ${process.version}); use 'make build'.`);
  }
  fs.mkdirSync(DIST, { recursive: true });
  const files = nativeFiles();
  const hash = await action('hash native DuckDB files', () => nativeHash(files));
  await action(`bundle src/main.ts (version ${VERSION})`, () => bundle(hash));
  const web = await action('bundle the viewer page', buildWeb);
  const native = await action('compress DuckDB (cached)', () => compressNative(files));
  const entry = await action('bundle the binary entry (src/sea-main.ts)', bundleSeaMain);
  const assets: Record<string, string> = { ...native, [entry.app]: BUNDLE };
  for (const mode of ['mcp', 'server', 'cli'] as const) {
    assets[entry.caches[mode]] = await action(`warm the code cache (${mode} start-up)`, () => warmCodeCache(mode));
  }
  for (const a of web) assets[`web/${a.name}`] = a.file;
  assets['web/manifest.json'] = path.join(WEB_OUT, 'manifest.json');
  await action('generate the SEA blob', () => writeSeaBlob(assets));
  await action('inject into a copy of node', injectBlob);
  await action('smoke-test the binary', smokeTest);
  const mb = (fs.statSync(BINARY).size / 1024 / 1024).toFixed(1);
  console.log(`build: dist/buckaroo-table ${VERSION}, ${mb} MiB`);
}

main().catch((err: unknown) => {
  console.error(`build failed: ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
});
