// The release feed's shape (a GitHub release object, of which we read only what we use) and the pure
// decisions made on it: which version it names, which asset fits this machine, where a given version lives.

import semver from 'semver';
import { z } from 'zod';
import { PRODUCT_NAME } from '../version.ts';
import { UpdateError } from './errors.ts';

/** The project's GitHub "latest release" API; tests and mirrors override it with BUCKAROO_UPDATE_URL. */
export const DEFAULT_FEED_URL = 'https://api.github.com/repos/buckaroo-data/buckaroo-table/releases/latest';
/** Where `make release` says the tarballs will be downloaded from, unless BUCKAROO_RELEASE_BASE_URL says otherwise. */
export const DEFAULT_DOWNLOAD_BASE = 'https://github.com/buckaroo-data/buckaroo-table/releases/download';
export const CHECKSUMS_ASSET = 'SHA256SUMS';

export const ReleaseAssetSchema = z.object({
  name: z.string().min(1),
  browser_download_url: z.url(),
});
export const ReleaseSchema = z.object({
  tag_name: z.string().min(1),
  prerelease: z.boolean().optional(),
  assets: z.array(ReleaseAssetSchema),
});
export type Release = z.infer<typeof ReleaseSchema>;
export type ReleaseAsset = z.infer<typeof ReleaseAssetSchema>;

/** Validates what the feed returned; the message says which field was wrong, for the log. */
export function parseRelease(raw: unknown): Release {
  const parsed = ReleaseSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const what = first ? `${first.path.join('.') || 'body'}: ${first.message}` : 'invalid';
    throw new UpdateError(`The release feed answered something that is not a release (${what}).`, 'E_RELEASE_FORMAT');
  }
  if (releaseVersion(parsed.data) === undefined) {
    throw new UpdateError(`The release feed's tag ${JSON.stringify(parsed.data.tag_name)} is not a version.`, 'E_RELEASE_FORMAT');
  }
  return parsed.data;
}

/** `v0.4.0` → `0.4.0`; undefined when the tag is not semver. */
export function releaseVersion(release: Pick<Release, 'tag_name'>): string | undefined {
  return semver.valid(semver.clean(release.tag_name, { loose: false }) ?? '') ?? undefined;
}

export type ReleaseOs = 'linux' | 'darwin' | 'windows';
export type ReleaseArch = 'x64' | 'arm64';

/** What `make release` publishes (scripts/target-packages.ts builds each): windows-arm64 is not among them. */
const PUBLISHED = new Set(['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'windows-x64']);

/** Our names for node's platform/arch, or undefined when we publish nothing for it. */
export function releasePlatform(platform: string = process.platform, arch: string = process.arch): { os: ReleaseOs; arch: ReleaseArch } | undefined {
  const os = platform === 'win32' ? 'windows' : platform === 'linux' || platform === 'darwin' ? platform : undefined;
  const a = arch === 'x64' || arch === 'arm64' ? arch : undefined;
  return os && a && PUBLISHED.has(`${os}-${a}`) ? { os, arch: a } : undefined;
}

export function tarballName(version: string, os: string, arch: string): string {
  return `${PRODUCT_NAME}-${version}-${os}-${arch}.tar.gz`;
}

/** The release archive for a platform: a .zip holding `buckaroo-table.exe` on Windows, a .tar.gz elsewhere. */
export function archiveName(version: string, os: string, arch: string): string {
  return os === 'windows' ? `${PRODUCT_NAME}-${version}-${os}-${arch}.zip` : tarballName(version, os, arch);
}

/** The executable's name inside the archive and once installed. */
export const executableName = (os: string): string => (os === 'windows' ? `${PRODUCT_NAME}.exe` : PRODUCT_NAME);

export function findAsset(release: Release, name: string): ReleaseAsset | undefined {
  return release.assets.find((a) => a.name === name);
}

/**
 * The feed URL for one tagged version, derived from the "latest" URL the way GitHub lays them out
 * (`…/releases/latest` → `…/releases/tags/v1.2.3`). A mirror must follow the same layout.
 */
export function taggedReleaseUrl(feedUrl: string, version: string): string {
  const u = new URL(feedUrl);
  if (!/\/releases\/latest\/?$/.test(u.pathname)) {
    throw new UpdateError(`Cannot derive the URL of version ${version} from the feed ${feedUrl} (it does not end in /releases/latest).`, 'E_RELEASE_FORMAT');
  }
  u.pathname = u.pathname.replace(/\/releases\/latest\/?$/, `/releases/tags/v${version}`);
  return u.toString();
}

/** Parses a `sha256sum` listing (`<hex>  <name>` or `<hex> *<name>`) into name → lowercase hex. */
export function parseChecksums(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^([0-9a-fA-F]{64}) [ *](.+)$/.exec(line.trim());
    if (m) out.set(m[2]!, m[1]!.toLowerCase());
  }
  return out;
}
