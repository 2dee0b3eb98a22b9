// DuckDB's native files inside the compiled binary: zstd-compressed embedded files, unpacked once per user into
// a cache directory keyed by their content hash (temp dir + atomic rename, so concurrent first starts are safe),
// and checked (native-verify.ts) before anything is loaded from there. No side effects on import: the server
// unpacks and checks them off the event loop before loading DuckDB.

import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Worker } from 'node:worker_threads';
import zlib from 'node:zlib';
import { isCompiledBinary, readEmbedded } from '../os/embedded.ts';
import { LIBRARY_PIECE_BYTES, writeExecutableSync } from '../os/write-executable.ts';
import { nativeCacheDir } from '../paths.ts';
import { checkNativePlace, NativeVerifyError, unsafeChainReason, verifyNativeDirSync, type ExpectedHashes } from './native-verify.ts';

declare const __BUCKAROO_NATIVE_HASH__: string | undefined;
declare const __BUCKAROO_NATIVE_SHA256__: ExpectedHashes | undefined;

export function nativeHash(): string {
  return typeof __BUCKAROO_NATIVE_HASH__ === 'string' ? __BUCKAROO_NATIVE_HASH__ : 'unknown';
}

/** SHA-256 of each unpacked file, computed by build.ts from the files it embedded. */
export function expectedHashes(): ExpectedHashes {
  return typeof __BUCKAROO_NATIVE_SHA256__ === 'object' ? __BUCKAROO_NATIVE_SHA256__ : {};
}

/** DuckDB's library as duckdb.node links it (scripts/target-packages.ts `duckdbLibrary` for each platform). */
export function duckdbLibraryName(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return 'libduckdb.dylib';
  if (platform === 'win32') return 'duckdb.dll';
  return 'libduckdb.so';
}

/**
 * Embedded names as build.ts writes them. The addon finds the library beside it: RUNPATH $ORIGIN on Linux,
 * @loader_path on macOS, and on Windows the loading DLL's own directory (LOAD_WITH_ALTERED_SEARCH_PATH).
 */
export const NATIVE_ASSETS = [
  { asset: 'native/duckdb.node.zst', file: 'duckdb.node' },
  { asset: 'native/libduckdb.zst', file: duckdbLibraryName() },
] as const;

export class NativeLoadError extends Error {
  readonly code = 'E_DUCKDB_NATIVE';
}

let privateRoot: string | undefined;

/**
 * `cacheRoot` when it and every directory above it are safe for native code; otherwise a private directory of
 * this process under the system temp dir (removed at exit), so a shared or loose cache never blocks DuckDB.
 */
export function trustedCacheRoot(cacheRoot: string): { root: string; fallback?: string } {
  fs.mkdirSync(cacheRoot, { recursive: true, mode: 0o700 });
  const reason = unsafeChainReason(cacheRoot);
  if (!reason) return { root: cacheRoot };
  if (!privateRoot) {
    privateRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'buckaroo-native-'));
    const dir = privateRoot;
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    const own = unsafeChainReason(privateRoot);
    if (own) throw new NativeLoadError(`No safe place to unpack DuckDB: ${reason}, and ${own}.`);
  }
  return { root: privateRoot, fallback: reason };
}

/**
 * Extracts the embedded native files if needed and returns the directory holding them. Synchronous, for the
 * loader's rare fallback when the server did not prepare them (slower: see unpackInProcess).
 */
export function extractNativeAssets(hash: string, cacheRoot: string): string {
  const finalDir = path.join(cacheRoot, hash);
  if (fs.existsSync(path.join(finalDir, '.complete'))) return finalDir;
  fs.mkdirSync(cacheRoot, { recursive: true, mode: 0o700 });
  const tmpDir = fs.mkdtempSync(path.join(cacheRoot, `.tmp-${hash.slice(0, 8)}-`));
  try {
    for (const { asset, file } of NATIVE_ASSETS) {
      writeExecutableSync(path.join(tmpDir, file), zlib.zstdDecompressSync(readEmbedded(asset)), LIBRARY_PIECE_BYTES);
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

/** Directories this process hashed, with what their files looked like then: a second check would only repeat it. */
const verified = new Map<string, string>();

function fileIdentity(dir: string): string {
  return NATIVE_ASSETS.map(({ file }) => {
    const st = fs.lstatSync(path.join(dir, file));
    return `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
  }).join('|');
}

/** A directory this process verified and what its files looked like then, for a child to trust (json-load). */
export interface VerifiedNative {
  dir: string;
  identity: string;
}

export function verifiedNative(): VerifiedNative | undefined {
  const [first] = verified;
  return first ? { dir: first[0], identity: first[1] } : undefined;
}

/**
 * In a child of the server: trusts `v.dir` without hashing ~70 MB again when its place passes the same checks
 * (owned by us, nobody else can write on the way) and its files are the very ones the server hashed (same
 * device, inode, size and times). Answers whether it did; otherwise the loader hashes them as usual.
 */
export function trustParentVerified(v: VerifiedNative): boolean {
  try {
    checkNativePlace(v.dir, expectedHashes());
    if (fileIdentity(v.dir) !== v.identity) return false;
  } catch {
    return false;
  }
  verified.set(v.dir, v.identity);
  return true;
}

/**
 * The directory to dlopen DuckDB from, for the loader on the event loop: unpacked and checked here unless
 * prepareNativeAssets already did both.
 */
export function loadableNativeDir(cacheRoot = nativeCacheDir()): string {
  const { root, fallback } = trustedCacheRoot(cacheRoot);
  const hash = nativeHash();
  let dir = extractNativeAssets(hash, root);
  if (verified.get(dir) === fileIdentity(dir)) return dir;
  try {
    verifyNativeDirSync(dir, expectedHashes());
  } catch (err) {
    // A damaged copy in our own, safe cache (a full disk, a crash mid-write): unpack it once more.
    if (!(err instanceof NativeVerifyError) || fallback !== undefined || unsafeChainReason(dir) !== undefined) throw err;
    fs.rmSync(dir, { recursive: true, force: true });
    dir = extractNativeAssets(hash, root);
    verifyNativeDirSync(dir, expectedHashes());
  }
  verified.set(dir, fileIdentity(dir));
  return dir;
}

/** Unpacking ~70 MB takes ~1 s under Bun alone; a busy machine gets room before the server unpacks it itself. */
const UNPACK_CHILD_TIMEOUT_MS = 30_000;

/**
 * Unpacks in a short-lived copy of this binary (`buckaroo-table unpack-native <dir>`). Done in the server, the
 * embedded archive's pages and the heap the decompression grew would stay in its RSS for hours.
 * Resolves whether the child finished.
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
  /** Hashing the files and loading the addon off the event loop. */
  verify_ms?: number;
  /** Why the shared cache was not used (a private temp directory was). */
  untrusted_cache?: string;
}

/**
 * Called by the server before it loads DuckDB, off the event loop: after it, the loader finds the files in
 * place and already checked.
 */
export async function prepareNativeAssets(cacheRoot = nativeCacheDir()): Promise<NativeUnpack> {
  const t0 = performance.now();
  if (!isCompiledBinary()) return { how: 'package', ms: Math.round(performance.now() - t0) };
  const hash = nativeHash();
  const { root, fallback } = trustedCacheRoot(cacheRoot);
  const dir = path.join(root, hash);
  const complete = (): boolean => fs.existsSync(path.join(dir, '.complete'));
  let how: NativeUnpack['how'] = 'cached';
  if (!complete()) how = (await unpackInChild(root)) && complete() ? 'child' : 'in-process';
  if (how === 'in-process') await unpackInProcess(hash, root);
  return { how, ms: Math.round(performance.now() - t0), dir, ...(fallback ? { untrusted_cache: fallback } : {}) };
}

/** The one readyNative run of this process (per cache root): started early by the server, awaited by the engine. */
let readying: { root: string; done: Promise<NativeUnpack> } | undefined;

/**
 * DuckDB's files in place, and checked and loaded once off the event loop (see verifyAndPreloadOffThread).
 * Called by `server` as soon as it listens (unpacking after an install takes seconds under Bun, and nobody
 * waits yet) and by the engine before its first load, which then finds it done or in progress.
 */
export function readyNative(cacheRoot = nativeCacheDir()): Promise<NativeUnpack> {
  if (readying?.root !== cacheRoot) readying = { root: cacheRoot, done: readyNativeOnce(cacheRoot) };
  return readying.done;
}

async function readyNativeOnce(cacheRoot: string): Promise<NativeUnpack> {
  const unpack = await prepareNativeAssets(cacheRoot);
  if (!unpack.dir) return unpack;
  const t0 = performance.now();
  checkNativePlace(unpack.dir, expectedHashes());
  const identity = fileIdentity(unpack.dir);
  // Files this start unpacked were hashed while written (unpackInProcess); only cached ones are read back.
  const toHash = unpack.how === 'cached' ? expectedHashes() : {};
  if (await verifyAndPreloadOffThread(unpack.dir, toHash)) verified.set(unpack.dir, identity);
  return { ...unpack, verify_ms: Math.round(performance.now() - t0) };
}

/** Read size while hashing: 70 MB read whole would stay in the server's heap after the worker is gone. */
const HASH_READ_BYTES = 1024 * 1024;
/** Hashing ~70 MB and loading the addon in a worker takes ~0.1 s; a stuck one must not hold the first load. */
const PRELOAD_TIMEOUT_MS = 10_000;

/**
 * In a worker thread: hashes DuckDB's files against the build's SHA-256 and, if they match, loads the addon once.
 * Hashing and mapping and relocating ~70 MB of libduckdb (12-15 ms) happen once per process: done here, the
 * server's own load of the addon (on the event loop) finds the files checked and the library in place and takes
 * ~1 ms, so /health stays quick during the first load too. Resolves whether the files matched; on any failure
 * the main thread's loader checks them itself and reports properly.
 */
export function verifyAndPreloadOffThread(dir: string, expected: ExpectedHashes): Promise<boolean> {
  const code = `const { parentPort, workerData } = require('node:worker_threads');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const buf = Buffer.allocUnsafe(${HASH_READ_BYTES});
for (const [file, want] of Object.entries(workerData.expected)) {
  const hash = crypto.createHash('sha256');
  const fd = fs.openSync(path.join(workerData.dir, file), 'r');
  for (let n; (n = fs.readSync(fd, buf, 0, buf.length, null)) > 0; ) hash.update(buf.subarray(0, n));
  fs.closeSync(fd);
  if (hash.digest('hex') !== want) {
    parentPort.postMessage(false);
    process.exit(0);
  }
}
process.dlopen({ exports: {} }, path.join(workerData.dir, 'duckdb.node'));
parentPort.postMessage(true);`;
  return new Promise((resolve) => {
    let matched = false;
    let worker: Worker;
    try {
      worker = new Worker(code, { eval: true, workerData: { dir, expected }, stdout: true, stderr: true });
    } catch {
      return resolve(false);
    }
    const timer = setTimeout(() => {
      void worker.terminate();
      resolve(false);
    }, PRELOAD_TIMEOUT_MS);
    worker.once('message', (ok: unknown) => {
      matched = ok === true;
    });
    worker.once('error', () => {});
    worker.once('exit', () => {
      clearTimeout(timer);
      resolve(matched);
    });
  });
}

/**
 * Streamed: no 70 MB buffer is held at once, and under Bun 1.4 it is ~3x faster than zstdDecompressSync
 * (measured 2.1 s vs 5.8 s on a busy machine where the zstd CLI took 0.7 s). `unpack-native` runs this.
 */
export async function unpackInProcess(hash: string, cacheRoot: string): Promise<void> {
  const finalDir = path.join(cacheRoot, hash);
  if (fs.existsSync(path.join(finalDir, '.complete'))) return;
  await fs.promises.mkdir(cacheRoot, { recursive: true, mode: 0o700 });
  const tmpDir = await fs.promises.mkdtemp(path.join(cacheRoot, `.tmp-${hash.slice(0, 8)}-`));
  try {
    for (const { asset, file } of NATIVE_ASSETS) {
      // Read whole (17 MB at most), not with fs.createReadStream: Bun 1.4.5 answers ENOENT for a stream of an
      // embedded file that fs.readFileSync reads fine. Hashed on the way to disk: what we wrote is what the build
      // embedded, without reading 70 MB back.
      const digest = crypto.createHash('sha256');
      const hashing = new Transform({ transform: (chunk: Buffer, _enc, done) => done(null, digest.update(chunk) && chunk) });
      const out = fs.createWriteStream(path.join(tmpDir, file), { mode: 0o755 });
      await pipeline(Readable.from([readEmbedded(asset)]), zlib.createZstdDecompress(), hashing, out);
      const got = digest.digest('hex');
      if (got !== expectedHashes()[file]) throw new NativeVerifyError(`${file} unpacked from this binary has SHA-256 ${got.slice(0, 16)}…, not the build's: the binary is damaged.`);
    }
    publishUnpacked(tmpDir, finalDir, hash); // a small write and a rename: quick enough on the event loop
  } finally {
    await fs.promises.rm(tmpDir, { recursive: true, force: true });
  }
}
