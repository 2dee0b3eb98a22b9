// Pure decisions of the update notice: which version to offer, what the notice says, how it was installed.

import { describe, expect, it } from 'vitest';
import { isCacheFresh } from '../../../src/update/cache.ts';
import { updateCheckDisabledReason } from '../../../src/update/feed.ts';
import { installMethodOf, stableBinaryPath } from '../../../src/update/install-method.ts';
import { updateNoticeLines, upgradeCommand } from '../../../src/update/notice.ts';
import { offeredUpdate } from '../../../src/update/policy.ts';
import { replaceRefusal } from '../../../src/update/replace-binary.ts';

describe('offeredUpdate', () => {
  it('offers a newer stable release to a stable user', () => {
    expect(offeredUpdate('0.3.0', '0.4.0')).toBe('0.4.0');
    expect(offeredUpdate('0.3.0', '0.3.1')).toBe('0.3.1');
  });
  it('offers nothing when the release is the same or older', () => {
    expect(offeredUpdate('0.4.0', '0.4.0')).toBeUndefined();
    expect(offeredUpdate('0.4.0', '0.3.9')).toBeUndefined();
  });
  it('refuses to offer a prerelease to a stable user', () => {
    expect(offeredUpdate('0.3.0', '0.4.0-beta.1')).toBeUndefined();
  });
  it('offers a newer prerelease or stable release to a prerelease user', () => {
    expect(offeredUpdate('0.4.0-beta.1', '0.4.0-beta.2')).toBe('0.4.0-beta.2');
    expect(offeredUpdate('0.4.0-beta.2', '0.4.0')).toBe('0.4.0');
    expect(offeredUpdate('0.4.0', '0.4.0-beta.3')).toBeUndefined();
  });
  it('handles garbage versions by offering nothing', () => {
    expect(offeredUpdate('0.3.0', 'latest')).toBeUndefined();
    expect(offeredUpdate('dev', '0.4.0')).toBeUndefined();
    expect(offeredUpdate('0.3.0', undefined)).toBeUndefined();
  });
});

describe('notice text and install method', () => {
  it('says what is available and the command for a standalone binary', () => {
    expect(updateNoticeLines('0.3.0', '0.4.0', 'standalone')).toEqual(['Update available: buckaroo-table 0.3.0 → 0.4.0', 'Run: buckaroo-table upgrade']);
  });
  it('says brew upgrade for a Homebrew install', () => {
    expect(updateNoticeLines('0.3.0', '0.4.0', 'homebrew')[1]).toBe('Run: brew upgrade buckaroo-table');
    expect(upgradeCommand('homebrew')).toBe('brew upgrade buckaroo-table');
  });
  it('recognises binaries in a Homebrew Cellar (macOS, Intel, Linuxbrew)', () => {
    expect(installMethodOf('/opt/homebrew/Cellar/buckaroo-table/0.4.0/bin/buckaroo-table')).toBe('homebrew');
    expect(installMethodOf('/usr/local/Cellar/buckaroo-table/0.4.0_1/bin/buckaroo-table')).toBe('homebrew');
    expect(installMethodOf('/home/linuxbrew/.linuxbrew/Cellar/buckaroo-table/0.4.0/bin/buckaroo-table')).toBe('homebrew');
  });
  it('treats everything else as standalone', () => {
    expect(installMethodOf('/home/me/.local/bin/buckaroo-table')).toBe('standalone');
    expect(installMethodOf('/usr/local/bin/buckaroo-table')).toBe('standalone');
    expect(installMethodOf('/opt/Cellar/other-tool/1.0/bin/buckaroo-table')).toBe('standalone');
  });
  it('registers the stable Homebrew link, not the versioned Cellar path', () => {
    expect(stableBinaryPath('/opt/homebrew/Cellar/buckaroo-table/0.4.0/bin/buckaroo-table')).toBe('/opt/homebrew/bin/buckaroo-table');
    expect(stableBinaryPath('/home/me/.local/bin/buckaroo-table')).toBe('/home/me/.local/bin/buckaroo-table');
  });
  it('refuses to replace a Homebrew-managed or unwritable binary, with advice', () => {
    expect(replaceRefusal('/opt/homebrew/Cellar/buckaroo-table/1/bin/buckaroo-table', 'homebrew', true)?.message).toContain('brew upgrade buckaroo-table');
    const e = replaceRefusal('/usr/local/bin/buckaroo-table', 'standalone', false);
    expect(e?.code).toBe('E_NOT_WRITABLE');
    expect(e?.message).toContain('/usr/local/bin');
    expect(replaceRefusal('/home/me/.local/bin/buckaroo-table', 'standalone', true)).toBeUndefined();
  });
});

describe('when to ask the feed', () => {
  const now = new Date('2026-11-25T12:00:00Z');
  const src = 'http://127.0.0.1:1/releases/latest';
  it('uses a cache younger than a day from the same feed', () => {
    expect(isCacheFresh({ checked_at: '2026-11-25T01:00:00Z', latest: '1.0.0', source: src }, src, now)).toBe(true);
  });
  it('asks again when the cache is old, from another feed, from the future, or missing', () => {
    expect(isCacheFresh({ checked_at: '2026-11-24T11:59:00Z', latest: '1.0.0', source: src }, src, now)).toBe(false);
    expect(isCacheFresh({ checked_at: '2026-11-25T11:00:00Z', latest: '1.0.0', source: 'http://other' }, src, now)).toBe(false);
    expect(isCacheFresh({ checked_at: '2026-11-26T11:00:00Z', latest: '1.0.0', source: src }, src, now)).toBe(false);
    expect(isCacheFresh(undefined, src, now)).toBe(false);
  });
  it('is off with BUCKAROO_NO_UPDATE_CHECK=1 or under CI', () => {
    expect(updateCheckDisabledReason({})).toBeUndefined();
    expect(updateCheckDisabledReason({ BUCKAROO_NO_UPDATE_CHECK: '1' })).toContain('BUCKAROO_NO_UPDATE_CHECK');
    expect(updateCheckDisabledReason({ BUCKAROO_NO_UPDATE_CHECK: '0' })).toBeUndefined();
    expect(updateCheckDisabledReason({ CI: 'true' })).toContain('CI');
  });
});
