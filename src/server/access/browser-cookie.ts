// The browser's credential: an HttpOnly, SameSite=Strict cookie whose value is derived from a per-user secret
// kept in BUCKAROO_HOME/run (0600 in a 0700 directory), so every server of this user — a replacement after an
// upgrade or a crash included — accepts the cookie an open tab already holds, and no other user can compute it.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { tokensEqual } from '../../contract/state-file.ts';
import { assertOwnPrivateFile } from '../../os/private-files.ts';

const KEY_FILE = 'browser-key';
const KEY_BYTES = 32;
/** Bumping it invalidates every cookie handed out before (a new derivation, same key file). */
const COOKIE_CONTEXT = 'buckaroo-table browser cookie v1';

export interface BrowserCookie {
  /** Per port: cookies ignore ports, and two servers on one host must not overwrite each other's. */
  readonly name: string;
  readonly value: string;
  /** The Set-Cookie header that hands it to the browser (session lifetime; never sent by other sites). */
  readonly header: string;
  /** Whether a Cookie request header carries it. */
  presentIn(cookieHeader: string | null | undefined): boolean;
}

/** Reads the per-user key (creating it once, atomically) from `runDir`, which the caller has checked. */
export function loadBrowserKey(runDir: string): Buffer {
  const file = path.join(runDir, KEY_FILE);
  try {
    const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o600);
    try {
      fs.writeSync(fd, crypto.randomBytes(KEY_BYTES).toString('hex'));
    } finally {
      fs.closeSync(fd);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const text = assertOwnPrivateFile(file).toString('utf8').trim();
  if (!/^[0-9a-f]{64}$/.test(text)) {
    // Half-written by a process that died between create and write: start over with a fresh key.
    fs.rmSync(file, { force: true });
    return loadBrowserKey(runDir);
  }
  return Buffer.from(text, 'hex');
}

export function browserCookie(key: Buffer, port: number): BrowserCookie {
  const name = `buckaroo_table_${port}`;
  const value = crypto.createHmac('sha256', key).update(COOKIE_CONTEXT).digest('base64url');
  return {
    name,
    value,
    header: `${name}=${value}; Path=/; HttpOnly; SameSite=Strict`,
    presentIn(cookieHeader) {
      if (!cookieHeader) return false;
      for (const part of cookieHeader.split(';')) {
        const eq = part.indexOf('=');
        if (eq > 0 && part.slice(0, eq).trim() === name && tokensEqual(part.slice(eq + 1).trim(), value)) return true;
      }
      return false;
    },
  };
}
