// The Windows ACL check of the directory DuckDB's native files are loaded from, on SDDL strings in the format
// `icacls /save` and `Get-Acl .Sddl` write (wine's icacls is a stub, so the parsers are what can run here).
import { describe, expect, it } from 'vitest';
import { grantsWrite, otherWriters, parseDacl, parseIcaclsSave, parseWhoamiSid } from '../../../src/os/windows-acl.ts';

const ME = 'S-1-5-21-3623811015-3361044348-30300820-1013';

/** A folder under the user's profile as Windows creates it: SYSTEM, Administrators and the user, inherited. */
const PROFILE_DIR = `O:${ME}G:${ME}D:AI(A;OICIID;FA;;;SY)(A;OICIID;FA;;;BA)(A;OICIID;FA;;;${ME})`;
/** A folder made under C:\\ by hand: Authenticated Users may modify (0x1301bf), Users read and execute. */
const SHARED_DIR = 'D:AI(A;OICIID;FA;;;BA)(A;OICIID;FA;;;SY)(A;OICIID;0x1301bf;;;AU)(A;OICIID;0x1200a9;;;BU)';

describe('the Windows ACL check', () => {
  it('reads every entry of the DACL, not the owner or group', () => {
    const aces = parseDacl(PROFILE_DIR);
    expect(aces.map((a) => a.sid)).toEqual(['SY', 'BA', ME]);
    expect(aces[0]).toEqual({ type: 'A', flags: 'OICIID', rights: 'FA', sid: 'SY' });
  });

  it('finds nobody else able to change a folder in the user profile', () => {
    expect(otherWriters(parseDacl(PROFILE_DIR), ME)).toEqual([]);
  });

  it('names Authenticated Users on a hand-made shared folder, but not Users who can only read', () => {
    expect(otherWriters(parseDacl(SHARED_DIR), ME)).toEqual(['AU']);
  });

  it('counts full control, write, delete, re-permission and re-own as writing, and read or execute as not', () => {
    for (const rights of ['FA', 'GA', 'FW', 'GW', 'WD', 'WO', 'SD', 'DC', 'CC', 'FRFW', '0x1301bf', '0x10000', '0x40000000']) expect(grantsWrite(rights), rights).toBe(true);
    for (const rights of ['FR', 'FX', 'GR', 'GX', 'RC', '0x1200a9', '0x120089']) expect(grantsWrite(rights), rights).toBe(false);
  });

  it('ignores deny entries and inherit-only entries, which do not let anyone change the folder itself', () => {
    const sddl = `D:(D;;FA;;;WD)(A;OICIIO;FA;;;CO)(A;OICIIO;GA;;;AU)(A;;FA;;;${ME})`;
    expect(otherWriters(parseDacl(sddl), ME)).toEqual([]);
  });

  it('names another user of the machine by SID', () => {
    const other = 'S-1-5-21-3623811015-3361044348-30300820-1014';
    expect(otherWriters(parseDacl(`D:(A;;FA;;;${ME})(A;;0x1301bf;;;${other})`), ME)).toEqual([other]);
  });

  it('reads the SDDL line of an icacls /save file in UTF-16LE, with or without a byte-order mark', () => {
    const body = `native\r\n${SHARED_DIR}\r\n`;
    expect(parseIcaclsSave(Buffer.from(body, 'utf16le'))).toBe(SHARED_DIR);
    expect(parseIcaclsSave(Buffer.from(`\uFEFF${body}`, 'utf16le'))).toBe(SHARED_DIR);
    expect(parseIcaclsSave(Buffer.alloc(0))).toBeUndefined();
  });

  it("reads the user's SID from whoami's CSV line, and nothing from wine's stub output", () => {
    expect(parseWhoamiSid(`"desktop-7\\ana","${ME}"\r\n`)).toBe(ME);
    expect(parseWhoamiSid('VM\\root\n')).toBeUndefined();
  });
});
