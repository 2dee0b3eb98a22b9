// `buckaroo-table upgrade [--check] [--to VERSION] [--keep-server]`: feed → asset for this OS/arch →
// download (progress on a TTY) → SHA-256 against SHA256SUMS → atomic replace → retire the stale server.

import fs from 'node:fs';
import zlib from 'node:zlib';
import path from 'node:path';
import { parseArgs } from 'node:util';
import semver from 'semver';
import { fileLogger } from '../log.ts';
import { mcpLogPath, type Env } from '../paths.ts';
import { resolveServerPort } from '../lifecycle/port-pointer.ts';
import { isCompiledBinary } from '../os/compiled-binary.ts';
import { downloadAsset, formatProgress } from '../update/download.ts';
import { UpdateError } from '../update/errors.ts';
import { feedUrl, fetchRelease } from '../update/feed.ts';
import { detectInstallMethod } from '../update/install-method.ts';
import { upgradeCommand } from '../update/notice.ts';
import { offeredUpdate } from '../update/policy.ts';
import { CHECKSUMS_ASSET, archiveName, executableName, findAsset, releasePlatform, releaseVersion, taggedReleaseUrl, type Release } from '../update/release.ts';
import { assertExecutable, MAX_ENTRY_BYTES, MAX_TARBALL_BYTES, MAX_UNPACKED_BYTES } from '../update/unpack-limits.ts';
import { verifiedChecksums } from '../update/verify-release.ts';
import { isDirWritable, replaceBinary, replaceRefusal } from '../update/replace-binary.ts';
import { stopStaleServer, type StaleServerOutcome } from '../update/stale-server.ts';
import { describeHow } from '../lifecycle/describe.ts';
import { readTar } from '../update/tar.ts';
import { readZip } from '../update/zip.ts';
import { PRODUCT_NAME, VERSION } from '../version.ts';
import { CliError, EXIT_OK, EXIT_USAGE } from './errors.ts';

/** `upgrade` is run by a person who waits for it: give the feed longer than the background check gets. */
export const UPGRADE_FEED_TIMEOUT_MS = 10_000;
/** Redraw the progress bar at most this often. */
const PROGRESS_REDRAW_MS = 100;

export interface UpgradeIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: Env;
  execPath: string;
  compiled: boolean;
}

const defaultIO = (): UpgradeIO => ({ stdout: process.stdout, stderr: process.stderr, env: process.env, execPath: process.execPath, compiled: isCompiledBinary() });

export async function runUpgrade(args: string[], io: UpgradeIO = defaultIO()): Promise<number> {
  let values: { check?: boolean; to?: string; 'keep-server'?: boolean };
  try {
    ({ values } = parseArgs({ args, options: { check: { type: 'boolean' }, to: { type: 'string' }, 'keep-server': { type: 'boolean' } }, strict: true }));
  } catch (err) {
    throw new CliError((err as Error).message, 'E_USAGE', EXIT_USAGE);
  }
  const to = values.to === undefined ? undefined : (semver.valid(semver.clean(values.to) ?? '') ?? undefined);
  if (values.to !== undefined && to === undefined) throw new CliError(`--to needs a version like 1.2.3, got ${JSON.stringify(values.to)}.`, 'E_USAGE', EXIT_USAGE);
  const log = fileLogger(mcpLogPath(io.env), 'upgrade');
  const say = (line: string): void => void io.stdout.write(`${line}\n`);

  const platform = releasePlatform();
  if (!platform) throw new CliError(`No ${PRODUCT_NAME} builds are published for ${process.platform}-${process.arch}.`, 'E_PLATFORM');
  const latestUrl = feedUrl(io.env);
  let release: Release;
  let url = latestUrl;
  try {
    url = to ? taggedReleaseUrl(latestUrl, to) : latestUrl;
    release = await fetchRelease(url, UPGRADE_FEED_TIMEOUT_MS, io.env);
  } catch (err) {
    if (err instanceof UpdateError) throw new CliError(err.message, err.code);
    throw err;
  }
  const version = releaseVersion(release)!; // fetchRelease only returns releases whose tag is a version
  log.info('feed answered', { url, version, current: VERSION });

  const wanted = to ?? offeredUpdate(VERSION, version);
  if (!wanted || wanted === VERSION) {
    say(to ? `${PRODUCT_NAME} is already at ${VERSION}.` : `${PRODUCT_NAME} ${VERSION} is up to date (latest release: ${version}).`);
    return EXIT_OK;
  }
  const assetName = archiveName(wanted, platform.os, platform.arch);
  const asset = findAsset(release, assetName);
  if (!asset) throw new CliError(`Release ${release.tag_name} has no build for ${platform.os}-${platform.arch} (no ${assetName}).`, 'E_NO_ASSET');
  if (!findAsset(release, CHECKSUMS_ASSET)) throw new CliError(`Release ${release.tag_name} has no ${CHECKSUMS_ASSET}; refusing to install an unverifiable download.`, 'E_NO_CHECKSUMS');

  const target = fs.realpathSync(io.execPath);
  const method = detectInstallMethod(target);
  if (values.check) {
    say(`Update available: ${PRODUCT_NAME} ${VERSION} → ${wanted}`);
    say(`Run: ${upgradeCommand(method)}`);
    return EXIT_OK;
  }
  if (!io.compiled) {
    throw new CliError(`upgrade replaces an installed ${PRODUCT_NAME} binary; this one runs as a script under ${io.execPath}. Rebuild instead.`, 'E_NOT_A_BINARY');
  }
  const refusal = replaceRefusal(target, method, isDirWritable(path.dirname(target)));
  if (refusal) throw new CliError(refusal.message, refusal.code);

  const verb = semver.valid(VERSION) && semver.lt(wanted, VERSION) ? 'Downgrading' : 'Upgrading';
  say(`${verb} ${PRODUCT_NAME} ${VERSION} → ${wanted} (${target})`);
  const verified = await verifiedChecksums(release, url, io.env).catch(rethrowAsCli);
  log.info('signature verified', { release: release.tag_name, key: verified.keyId });
  say(`Signature of ${CHECKSUMS_ASSET} verified (key ${verified.keyId}).`);
  const expected = verified.sums.get(assetName);
  if (!expected) throw new CliError(`${CHECKSUMS_ASSET} of release ${release.tag_name} lists no checksum for ${assetName}; refusing to install it.`, 'E_NO_CHECKSUM');

  say(`Downloading ${asset.browser_download_url}`);
  const tarball = await downloadAsset(asset.browser_download_url, { maxBytes: MAX_TARBALL_BYTES, env: io.env }, progressPrinter(io.stderr)).catch(rethrowAsCli);
  if (tarball.sha256 !== expected) {
    log.warn('checksum mismatch', { asset: assetName, expected, got: tarball.sha256 });
    throw new CliError(`Checksum mismatch for ${assetName}: expected ${expected}, got ${tarball.sha256}. The download was discarded; ${target} is unchanged.`, 'E_CHECKSUM');
  }
  say(`Checksum verified (SHA-256 ${expected.slice(0, 16)}…).`);
  const binary = extractBinary(tarball.data, assetName);
  try {
    assertExecutable(binary, platform.os === 'windows' ? 'win32' : platform.os, platform.arch, `${PRODUCT_NAME} in ${assetName}`);
  } catch (err) {
    if (err instanceof UpdateError) throw new CliError(err.message, err.code);
    throw err;
  }

  // The port clients use: BUCKAROO_PORT, else the fallback port a server of ours moved to, else the default.
  const port = resolveServerPort(undefined, io.env).port;
  const retireStale = (): Promise<StaleServerOutcome> =>
    values['keep-server'] ? Promise.resolve({ kind: 'left', port, reason: '--keep-server' }) : stopStaleServer(port, wanted, io.env, log);
  const order = staleServerOrder(platform.os);
  const stoppedFirst = order === 'before-replace' ? await retireStale() : undefined;
  try {
    replaceBinary(target, binary, wanted);
  } catch (err) {
    if (stoppedFirst?.kind === 'stopped') say(`The old data server was stopped first; the next view_data starts it again from ${target}.`);
    if (err instanceof UpdateError) throw new CliError(err.message, err.code);
    throw err;
  }
  log.info('upgraded', { from: VERSION, to: wanted, target });
  say(`Installed ${PRODUCT_NAME} ${wanted} at ${target}.`);

  const stale = stoppedFirst ?? (await retireStale());
  switch (stale.kind) {
    case 'stopped':
      say(`Stopped the old data server ${stale.version} (pid ${stale.pid}), ${describeHow(stale.how)}; the next view_data starts ${wanted}.`);
      break;
    case 'left':
      say(`Left the data server on port ${stale.port} as it is: ${stale.reason}. The next view_data replaces it if it is stale.`);
      break;
    case 'none':
    case 'current':
      break;
  }
  say('Agent sessions already running keep the old MCP process until they restart; new sessions use the new version.');
  return EXIT_OK;
}

/**
 * When the running data server is stopped. Windows: before the binary is replaced, because its running .exe
 * can only be renamed away, and a server still running from the renamed file would keep it (and the old
 * version) alive. Elsewhere: after, so a failed download or replace leaves the old server serving.
 */
export function staleServerOrder(os: string): 'before-replace' | 'after-replace' {
  return os === 'windows' ? 'before-replace' : 'after-replace';
}

function rethrowAsCli(err: unknown): never {
  throw new CliError((err as Error).message, (err as { code?: string }).code ?? 'E_DOWNLOAD');
}

/** The executable is the archive's one `…/buckaroo-table` file (`…/buckaroo-table.exe` in the Windows .zip). */
export function extractBinary(archive: Buffer, assetName: string): Buffer {
  const zip = assetName.endsWith('.zip');
  let entries;
  try {
    // Bounded: a small archive may inflate to gigabytes (a gzip bomb); zlib stops at the cap with a RangeError.
    entries = zip ? readZip(archive, MAX_ENTRY_BYTES) : readTar(zlib.gunzipSync(archive, { maxOutputLength: MAX_UNPACKED_BYTES }), MAX_ENTRY_BYTES);
  } catch (err) {
    if (err instanceof RangeError) throw new CliError(`${assetName} unpacks to more than ${MAX_UNPACKED_BYTES} bytes; refusing it.`, 'E_TOO_LARGE');
    throw new CliError(`${assetName} is not a valid ${zip ? '.zip' : '.tar.gz'} (${(err as Error).message}).`, 'E_TAR_FORMAT');
  }
  const name = executableName(zip ? 'windows' : 'posix');
  const bin = entries.find((e) => path.posix.basename(e.name) === name);
  if (!bin) throw new CliError(`${assetName} does not contain a ${PRODUCT_NAME} executable.`, 'E_TAR_FORMAT');
  return bin.data;
}

function progressPrinter(stream: UpgradeIO['stderr']): (done: number, total: number | undefined) => void {
  if (!stream.isTTY) return () => {};
  let last = 0;
  return (done, total) => {
    const now = Date.now();
    const finished = total !== undefined && done >= total;
    if (!finished && now - last < PROGRESS_REDRAW_MS) return;
    last = now;
    stream.write(`\r${formatProgress(done, total)}${finished ? '\n' : ''}`);
  };
}
