// Builds dist/buckaroo-table: bundle → viewer page → DuckDB's native files → `bun build --compile` → smoke test.
// Each step is a named, awaited function; tools run with argument arrays, never a shell string.
// `node build.ts` builds for this machine; `node build.ts --target darwin-arm64` cross-builds (scripts/release.ts
// does that for every target; darwin outputs are re-signed ad hoc by scripts/macho-signature.ts). Bun and DuckDB come from pinned npm packages (scripts/target-packages.ts).

import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';
import * as esbuild from 'esbuild';
import { buildAppPage } from './scripts/app-page.ts';
import { checkCodeSignature, signAdHoc } from './scripts/macho-signature.ts';
import { hostTargetName, packageDir, TARGETS, type Target } from './scripts/target-packages.ts';
import { sha256, timedStep } from './scripts/timed-step.ts';
import { BINARY_PIECE_BYTES, writeExecutableSync } from './src/os/write-executable.ts';

const ROOT = path.dirname(new URL(import.meta.url).pathname);
/** BUCKAROO_DIST_DIR lets tests build a second version (or parallel work) without overwriting dist/. */
const DIST = path.resolve(ROOT, process.env.BUCKAROO_DIST_DIR || 'dist');
const CACHE = path.join(ROOT, 'dist', '.cache');
/** The JavaScript bundle; also runs on its own (`node dist/buckaroo-table.cjs`, DuckDB from node_modules). */
const BUNDLE = path.join(DIST, 'buckaroo-table.cjs');
/** main.ts and everything it runs, required by BUNDLE (src/entry.ts) for every command but --version and --help. */
const MAIN_BUNDLE = path.join(DIST, 'buckaroo-table-main.cjs');
/** The executable: `buckaroo-table`, `buckaroo-table.exe` for Windows. */
const binaryPath = (target: Target): string => path.join(DIST, target.binaryName);
/** The identifier in a darwin binary's ad-hoc signature (ld64 uses the output file's name). */
const MACOS_SIGNING_IDENTIFIER = 'buckaroo-table';
const WEB_OUT = path.join(DIST, 'web');
/** What the binary embeds, laid out as src/os/embedded.ts reads it: `native/…` and `web/…`. */
const EMBED = path.join(DIST, 'embed');
/** zstd level for the DuckDB library: 19 keeps the binary small; the result is cached by content hash. */
const NATIVE_ZSTD_LEVEL = 19;
const SMOKE_TIMEOUT_MS = 30_000;
/** A cross-target binary runs under qemu in the smoke test: far slower than natively. */
const EMULATED_SMOKE_TIMEOUT_MS = 120_000;
const COMPILE_TIMEOUT_MS = 300_000;

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
const VERSION = process.env.BUCKAROO_VERSION || pkg.version;

const action = <T>(message: string, fn: () => T | Promise<T>): Promise<T> => timedStep('build', message, fn);

interface NativeFile {
  /** Embedded name (native/…), as src/engine/native-assets.ts reads it. */
  asset: string;
  /** Name once unpacked, the key of its expected SHA-256. */
  file: string;
  source: string;
  sha256: string;
}

interface Tools {
  /** Bun for this machine: it does the compiling. */
  hostBun: string;
  /** Bun for the target: the runtime copied into the binary. */
  targetBun: string;
  duckdbDir: string;
}

function resolveTools(target: Target): Tools {
  const host = TARGETS[hostTargetName()];
  if (!host) throw new Error(`Bun has no package for this machine (${hostTargetName()})`);
  return {
    hostBun: path.join(packageDir(ROOT, CACHE, host.bunPackage), host.bunFile),
    targetBun: path.join(packageDir(ROOT, CACHE, target.bunPackage), target.bunFile),
    duckdbDir: packageDir(ROOT, CACHE, target.duckdbPackage),
  };
}

function nativeFiles(duckdbDir: string, target: Target): NativeFile[] {
  return [
    { asset: 'native/duckdb.node.zst', file: 'duckdb.node' },
    { asset: 'native/libduckdb.zst', file: target.duckdbLibrary },
  ].map((f) => {
    const source = path.join(duckdbDir, f.file);
    return { ...f, source, sha256: sha256(fs.readFileSync(source)) };
  });
}

/** One hash over both native files: the extraction directory's name, so versions never mix. */
const nativeDirHash = (files: NativeFile[]): string => sha256(files.map((f) => f.sha256).join('')).slice(0, 16);

async function bundle(files: NativeFile[]): Promise<void> {
  await esbuild.build({
    // Two files: Bun loads all of the one it starts from before running it (see src/entry.ts).
    entryPoints: [
      { in: path.join(ROOT, 'src/entry.ts'), out: path.basename(BUNDLE, '.cjs') },
      { in: path.join(ROOT, 'src/main.ts'), out: path.basename(MAIN_BUNDLE, '.cjs') },
    ],
    outdir: DIST,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node24',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    define: {
      __BUCKAROO_VERSION__: JSON.stringify(VERSION),
      __BUCKAROO_BUILT_AT__: JSON.stringify(new Date().toISOString()),
      __BUCKAROO_NATIVE_HASH__: JSON.stringify(nativeDirHash(files)),
      __BUCKAROO_NATIVE_SHA256__: JSON.stringify(Object.fromEntries(files.map((f) => [f.file, f.sha256]))),
      __BUCKAROO_BUNDLED__: 'true',
    },
    // DuckDB's loader require()s a platform package by name; ours unpacks the addon from the binary instead.
    alias: {
      '@duckdb/node-bindings': path.join(ROOT, 'src/engine/native-binding.ts'),
      // The SDK's Node shim evaluates all of Ajv at import; ours loads it on first use (src/mcp/lazy-validator.ts).
      '@modelcontextprotocol/server/_shims': path.join(ROOT, 'src/mcp/sdk-shims.ts'),
      // ofetch's "node" build pulls in node-fetch-native (~25 ms of start-up); the runtime's own fetch is enough.
      ofetch: path.join(ROOT, 'node_modules/ofetch/dist/index.mjs'),
      // jsonc-parser's `main` is a UMD wrapper whose require()s esbuild cannot follow (the binary failed with
      // "No such built-in module: ./impl/format"): bundle its ES module build.
      'jsonc-parser': path.join(ROOT, 'node_modules/jsonc-parser/lib/esm/main.js'),
    },
    // import.meta in dependencies that we never call in CJS (e.g. h3's deprecated re-exports).
    logOverride: { 'empty-import-meta': 'silent' },
  });
}

interface WebAsset {
  name: string;
  bytes: number;
  hash: string;
}

/** Bundles the viewer page (src/web) into content-hashed files and a manifest the server reads. */
async function buildWeb(): Promise<void> {
  fs.rmSync(WEB_OUT, { recursive: true, force: true });
  fs.mkdirSync(WEB_OUT, { recursive: true });
  const result = await esbuild.build({
    entryPoints: { viewer: path.join(ROOT, 'src/web/main.ts') },
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
  const assets: WebAsset[] = Object.keys(result.metafile.outputs).map((out) => {
    const data = fs.readFileSync(path.resolve(ROOT, out));
    return { name: path.basename(out), bytes: data.length, hash: sha256(data).slice(0, 16) };
  });
  // A page without its script or styles is the blank page users reported upstream: never ship one.
  for (const ext of ['.js', '.css']) {
    if (!assets.some((a) => a.name.endsWith(ext) && a.bytes > 0)) throw new Error(`the viewer bundle has no non-empty ${ext} file`);
  }
  fs.writeFileSync(path.join(WEB_OUT, 'manifest.json'), JSON.stringify(assets, null, 2));
}

/** Compresses each native file once per content hash into dist/.cache; later builds reuse the result. */
function compressNative(files: NativeFile[]): Map<string, string> {
  fs.mkdirSync(CACHE, { recursive: true });
  const out = new Map<string, string>();
  for (const f of files) {
    const cached = path.join(CACHE, `${f.sha256.slice(0, 16)}-${NATIVE_ZSTD_LEVEL}-${f.file}.zst`);
    if (!fs.existsSync(cached)) {
      const data = zlib.zstdCompressSync(fs.readFileSync(f.source), {
        params: { [zlib.constants.ZSTD_c_compressionLevel]: NATIVE_ZSTD_LEVEL },
      });
      fs.writeFileSync(`${cached}.${process.pid}.tmp`, data);
      fs.renameSync(`${cached}.${process.pid}.tmp`, cached);
    }
    out.set(f.asset, cached);
  }
  return out;
}

/** Lays out dist/embed/{native,web}/ for `bun build --asset`. */
function stageEmbedded(native: Map<string, string>): void {
  fs.rmSync(EMBED, { recursive: true, force: true });
  fs.mkdirSync(path.join(EMBED, 'native'), { recursive: true });
  for (const [asset, file] of native) fs.copyFileSync(file, path.join(EMBED, asset));
  fs.cpSync(WEB_OUT, path.join(EMBED, 'web'), { recursive: true });
}

const inputsStamp = (target: Target): string => `${binaryPath(target)}.inputs`;

/**
 * Everything `compile` and the signing turn into the binary: both bundles, the staged pages and DuckDB files,
 * the Bun runtimes and this build's own code. Equal hashes give an equal binary, so `make release` does not
 * cross-build four targets again when nothing changed (~2 min), nor `make build` compile again.
 */
function compileInputsHash(target: Target, tools: Tools): string {
  const hash = crypto.createHash('sha256').update(`${target.name}\0${VERSION}\0${tools.hostBun}\0${tools.targetBun}\0`);
  const files = [BUNDLE, MAIN_BUNDLE, path.join(ROOT, 'build.ts'), path.join(ROOT, 'scripts', 'macho-signature.ts')];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else files.push(full);
    }
  };
  walk(EMBED);
  for (const f of files) hash.update(`${path.relative(ROOT, f)}\0`).update(fs.readFileSync(f));
  return hash.digest('hex');
}

function binaryIdentity(target: Target): string {
  const st = fs.statSync(binaryPath(target));
  return `${st.size}:${st.mtimeMs}`;
}

function isUpToDate(target: Target, inputs: string): boolean {
  if (process.env.BUCKAROO_FORCE_COMPILE === '1' || !fs.existsSync(binaryPath(target))) return false;
  try {
    // The binary's size and mtime too: one changed since (a test, a person) is built again.
    return fs.readFileSync(inputsStamp(target), 'utf8') === `${inputs} ${binaryIdentity(target)}`;
  } catch {
    return false;
  }
}

/** `bun build --compile`: the bundle as bytecode plus the embedded files, on the target's Bun runtime. */
function compile(target: Target, tools: Tools): void {
  // Compiled under its final name: Bun calls the program `/$bunfs/root/<outfile name>` in stack traces.
  const outDir = path.join(DIST, '.compile');
  const binary = binaryPath(target);
  const tmp = path.join(outDir, target.binaryName);
  fs.rmSync(inputsStamp(target), { force: true });
  fs.rmSync(outDir, { recursive: true, force: true });
  const args = [
    'build', '--compile', '--bytecode', '--format=cjs',
    `--target=${target.bunTarget}`, `--compile-executable-path=${tools.targetBun}`,
    // A .env or bunfig.toml in the user's working directory must not change what the binary does.
    '--no-compile-autoload-dotenv', '--no-compile-autoload-bunfig',
    '--asset=native', '--asset=web',
    BUNDLE, MAIN_BUNDLE, '--outfile', tmp,
  ];
  execFileSync(tools.hostBun, args, { cwd: EMBED, stdio: ['ignore', 'ignore', 'inherit'], timeout: COMPILE_TIMEOUT_MS });
  const compiled = target.os === 'darwin' ? signForMacOS(fs.readFileSync(tmp)) : fs.readFileSync(tmp);
  // Laid down again in small writes, as `upgrade` installs it: see src/os/write-executable.ts (this keeps the
  // binary the tests and benchmarks run the same, in memory, as the one our users run).
  const laid = `${binary}.laid`;
  writeExecutableSync(laid, compiled, BINARY_PIECE_BYTES);
  fs.rmSync(outDir, { recursive: true });
  fs.renameSync(laid, binary);
}

/**
 * A fresh ad-hoc signature: macOS kills a binary whose page hashes do not match (Bun 1.4.5's darwin-x64 output
 * has 2 wrong, under its own Developer ID signature), then checked page by page as the kernel would.
 */
function signForMacOS(compiled: Buffer): Buffer {
  const before = checkCodeSignature(compiled);
  const signed = signAdHoc(compiled, MACOS_SIGNING_IDENTIFIER);
  const after = checkCodeSignature(signed);
  if (after.problems.length > 0) throw new Error(`the re-signed darwin binary is still wrong: ${after.problems.slice(0, 5).join('; ')}`);
  const other = before.problems.filter((p) => !/ hash does not match$/.test(p));
  process.stdout.write(` (Bun's signature: ${before.badPages} of ${before.pages} hashes wrong${other.length ? `, ${other.join('; ')}` : ''}; re-signed ad hoc, all ${after.pages} page hashes checked)`);
  return signed;
}

/** How to run the target's binary here: directly, or under qemu (scripts/ensure-qemu-arm64.sh), or not at all. */
function runnable(target: Target): { env: Record<string, string>; timeoutMs: number } | undefined {
  if (target.os !== 'linux') return undefined;
  if (target.name === hostTargetName()) return { env: {}, timeoutMs: SMOKE_TIMEOUT_MS };
  if (target.arch === 'arm64' && fs.existsSync('/proc/sys/fs/binfmt_misc/qemu-aarch64')) {
    return { env: { QEMU_LD_PREFIX: '/usr/aarch64-linux-gnu' }, timeoutMs: EMULATED_SMOKE_TIMEOUT_MS };
  }
  return undefined;
}

/** `--version`, `--help`, and the embedded DuckDB files unpacked and compared with what was embedded. */
function smokeTest(target: Target, files: NativeFile[]): string {
  const how = runnable(target);
  if (!how && target.os === 'windows') return 'not run here: test/e2e/windows.test.ts runs it under wine';
  if (!how && target.os === 'darwin') return 'not run here (no macOS): its signature was checked page by page';
  if (!how) return `not run: no way to run ${target.name} here (scripts/ensure-qemu-arm64.sh sets up qemu)`;
  const binary = binaryPath(target);
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'buckaroo-smoke-'));
  try {
    const env = { PATH: '/bin:/usr/bin', BUCKAROO_HOME: home, BUCKAROO_NO_UPDATE_CHECK: '1', ...how.env };
    const run = (args: string[]): string => {
      const r = spawnSync(binary, args, { encoding: 'utf8', timeout: how.timeoutMs, env, cwd: home });
      if (r.status !== 0) throw new Error(`${binary} ${args.join(' ')} exited ${r.status ?? r.signal}: ${r.stderr.trim()}`);
      return r.stdout;
    };
    const version = run(['--version']).trim();
    if (version !== VERSION) throw new Error(`${binary} --version printed ${JSON.stringify(version)}, expected ${VERSION}`);
    if (!run(['--help']).includes('buckaroo-table mcp')) throw new Error(`${binary} --help does not list the mcp command`);
    run(['unpack-native', home]);
    for (const f of files) {
      const unpacked = path.join(home, nativeDirHash(files), f.file);
      if (sha256(fs.readFileSync(unpacked)) !== f.sha256) throw new Error(`${f.file} unpacked from the binary differs from ${f.source}`);
    }
    return 'ok';
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

function targetFromArgs(): Target {
  const { values } = parseArgs({ options: { target: { type: 'string', default: hostTargetName() } } });
  const target = TARGETS[values.target];
  if (!target) throw new Error(`unknown target ${values.target}; known: ${Object.keys(TARGETS).join(', ')}`);
  return target;
}

async function main(): Promise<void> {
  const target = targetFromArgs();
  fs.mkdirSync(DIST, { recursive: true });
  const tools = await action(`find Bun and DuckDB for ${target.name} (npm, pinned by package-lock.json)`, () => resolveTools(target));
  const files = await action('hash the native DuckDB files', () => nativeFiles(tools.duckdbDir, target));
  await action(`bundle src/main.ts (version ${VERSION})`, () => bundle(files));
  await action('bundle the viewer page', buildWeb);
  const appBytes = await action('bundle the chat app page (one HTML file)', () => buildAppPage(ROOT, WEB_OUT));
  const native = await action('compress DuckDB (cached)', () => compressNative(files));
  await action('stage the embedded files', () => stageEmbedded(native));
  const inputs = compileInputsHash(target, tools);
  let smoke = 'done when it was built';
  if (isUpToDate(target, inputs)) {
    console.log(`build: ${path.relative(ROOT, binaryPath(target))} is up to date (same bundle, pages, DuckDB and Bun as when it was built and smoke-tested)`);
  } else {
    await action(`bun build --compile (${target.bunTarget})`, () => compile(target, tools));
    smoke = await action('smoke-test the binary', () => smokeTest(target, files));
    fs.writeFileSync(inputsStamp(target), `${inputs} ${binaryIdentity(target)}`);
  }
  const mb = (fs.statSync(binaryPath(target)).size / 1024 / 1024).toFixed(1);
  console.log(`build: ${path.relative(ROOT, binaryPath(target))} ${VERSION} for ${target.name}, ${mb} MiB (chat app page ${(appBytes / 1024).toFixed(0)} KiB); smoke test ${smoke}`);
}

main().catch((err: unknown) => {
  console.error(`build failed: ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
});
