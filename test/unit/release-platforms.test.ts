// Every platform `make release` builds is one `upgrade` can find again: the archive release.ts writes for a
// target (archiveName of its releasePlatform) is the asset the binary running on that platform asks for.

import { describe, expect, it } from 'vitest';
import { TARGETS } from '../../scripts/target-packages.ts';
import { archiveName, executableName, releasePlatform } from '../../src/update/release.ts';

/** Node's process.platform on each target's OS: what the running binary sees. */
const NODE_PLATFORM = { linux: 'linux', darwin: 'darwin', windows: 'win32' } as const;

describe('release platforms', () => {
  it('builds the five platforms we publish', () => {
    expect(Object.keys(TARGETS).sort()).toEqual(['darwin-arm64', 'darwin-x64', 'linux-arm64', 'linux-x64', 'windows-x64']);
  });
  it.each(Object.values(TARGETS))('$name: the binary there picks the archive release.ts writes for it', (target) => {
    const seen = releasePlatform(NODE_PLATFORM[target.os], target.arch);
    expect(seen).toEqual({ os: target.os, arch: target.arch });
    const name = archiveName('1.2.3', seen!.os, seen!.arch);
    expect(name).toBe(`buckaroo-table-1.2.3-${target.name}.${target.os === 'windows' ? 'zip' : 'tar.gz'}`);
    expect(executableName(seen!.os)).toBe(target.binaryName);
  });
});
