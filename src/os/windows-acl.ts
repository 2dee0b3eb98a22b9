// Windows has no POSIX owners or mode bits: who may change a directory is in its ACL. Before DuckDB's native
// files are loaded from a directory (issue 14's rule: nobody else may write on the way), we read the DACL of
// that directory and the one above it as SDDL (`icacls <dir> /save`: SIDs, not the localised account names of
// icacls's plain output) and refuse when an allow entry gives anyone but us, SYSTEM, Administrators or
// TrustedInstaller a right to write, delete, re-own or re-permission it. The parsers are pure and unit-tested
// with SDDL in the documented format (test/unit/os/windows-acl.test.ts); wine's icacls and whoami are stubs
// that print nothing, so under wine the check reports "unknown" and the caller decides.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** icacls and whoami answer in tens of milliseconds; a stuck one must not hold the first load for long. */
export const WINDOWS_ACL_TIMEOUT_MS = 5_000;

/** Principals that may write anywhere on a Windows machine anyway (they own the OS). */
const TRUSTED_SIDS = new Set([
  'SY', 'S-1-5-18', // LocalSystem
  'BA', 'S-1-5-32-544', // Administrators
  'OW', 'S-1-3-4', // OWNER RIGHTS: the owner, checked separately
  'S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464', // TrustedInstaller
]);

/** Rights (SDDL two-letter codes) that let a principal change what we load or who may change it. */
const WRITE_CODES = new Set(['GA', 'GW', 'FA', 'FW', 'WD', 'WO', 'SD', 'DC', 'CC', 'WP']);
/**
 * The same as an access mask: FILE_WRITE_DATA/ADD_FILE, FILE_APPEND_DATA/ADD_SUBDIRECTORY, FILE_WRITE_EA,
 * FILE_DELETE_CHILD, FILE_WRITE_ATTRIBUTES, DELETE, WRITE_DAC, WRITE_OWNER, GENERIC_ALL, GENERIC_WRITE.
 */
const WRITE_MASK = 0x2 | 0x4 | 0x10 | 0x40 | 0x100 | 0x10000 | 0x40000 | 0x80000 | 0x10000000 | 0x40000000;

export interface Ace {
  type: string;
  flags: string;
  rights: string;
  sid: string;
}

/** Pure: the entries of the `D:` part of an SDDL string (`D:PAI(A;OICI;FA;;;SY)(A;ID;0x1301bf;;;AU)`). */
export function parseDacl(sddl: string): Ace[] {
  const dacl = /D:[A-Z]*((?:\([^)]*\))*)/.exec(sddl)?.[1] ?? '';
  return [...dacl.matchAll(/\(([^)]*)\)/g)].map(([, body]) => {
    const [type = '', flags = '', rights = '', , , sid = ''] = body!.split(';');
    return { type, flags, rights, sid };
  });
}

/** Pure: whether an entry's rights include one that changes the object or its permissions. */
export function grantsWrite(rights: string): boolean {
  if (/^0x[0-9a-f]+$/i.test(rights)) return (Number.parseInt(rights, 16) & WRITE_MASK) !== 0;
  for (let i = 0; i + 2 <= rights.length; i += 2) if (WRITE_CODES.has(rights.slice(i, i + 2))) return true;
  return false;
}

/**
 * Pure: the SIDs other than ours and the OS's own that an allow entry lets change the object. Inherit-only
 * entries (`IO`) do not apply to the object itself, only to what is created inside it later.
 */
export function otherWriters(aces: Ace[], selfSid: string): string[] {
  const out = new Set<string>();
  for (const ace of aces) {
    if (ace.type !== 'A' || ace.flags.includes('IO')) continue;
    if (ace.sid === selfSid || TRUSTED_SIDS.has(ace.sid)) continue;
    if (grantsWrite(ace.rights)) out.add(ace.sid);
  }
  return [...out];
}

/** Pure: the SID in `whoami /user /fo csv /nh` (`"host\user","S-1-5-21-…-1001"`). */
export function parseWhoamiSid(out: string): string | undefined {
  return /S-1-5-[0-9-]+/.exec(out)?.[0];
}

/** Pure: the SDDL line of an `icacls /save` file (UTF-16LE, a name line then the SDDL line). */
export function parseIcaclsSave(data: Buffer): string | undefined {
  const utf16 = data.length >= 2 && ((data[0] === 0xff && data[1] === 0xfe) || data[1] === 0);
  const text = data.toString(utf16 ? 'utf16le' : 'utf8').replace(/^\uFEFF/, '');
  return text.split(/\r?\n/).find((line) => line.startsWith('D:') || /^O:|^G:/.test(line));
}

const system32 = (): string => path.join(process.env.SystemRoot ?? 'C:\\Windows', 'System32');

let selfSid: string | undefined | null = null;

function currentUserSid(): string | undefined {
  if (selfSid !== null) return selfSid;
  try {
    const out = execFileSync(path.join(system32(), 'whoami.exe'), ['/user', '/fo', 'csv', '/nh'], { encoding: 'utf8', timeout: WINDOWS_ACL_TIMEOUT_MS, windowsHide: true, stdio: ['ignore', 'pipe', 'ignore'] });
    selfSid = parseWhoamiSid(out);
  } catch {
    selfSid = undefined;
  }
  return selfSid;
}

function readSddl(target: string): string | undefined {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'buckaroo-acl-'));
  try {
    const file = path.join(tmp, 'acl');
    execFileSync(path.join(system32(), 'icacls.exe'), [target, '/save', file], { timeout: WINDOWS_ACL_TIMEOUT_MS, windowsHide: true, stdio: 'ignore' });
    return fs.existsSync(file) ? parseIcaclsSave(fs.readFileSync(file)) : undefined;
  } catch {
    return undefined;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

export type AclVerdict = { kind: 'safe' } | { kind: 'unsafe'; reason: string } | { kind: 'unknown'; reason: string };

/** Directories already judged by this process: icacls costs a process start each time. */
const judged = new Map<string, AclVerdict>();

/** Whether anyone else may change `dir` or the directory holding it (Windows only). */
export function windowsDirVerdict(dir: string): AclVerdict {
  const cached = judged.get(dir);
  if (cached) return cached;
  const verdict = judge(dir);
  if (verdict.kind !== 'unknown') judged.set(dir, verdict);
  return verdict;
}

function judge(dir: string): AclVerdict {
  const sid = currentUserSid();
  if (!sid) return { kind: 'unknown', reason: 'whoami did not name the current user' };
  for (const target of [dir, path.dirname(dir)]) {
    const sddl = readSddl(target);
    if (!sddl) return { kind: 'unknown', reason: `icacls did not report the permissions of ${target}` };
    const writers = otherWriters(parseDacl(sddl), sid);
    if (writers.length > 0) return { kind: 'unsafe', reason: `${target} can be changed by ${writers.join(', ')} (not only this user)` };
  }
  return { kind: 'safe' };
}
