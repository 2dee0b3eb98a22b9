// What the OS opener is given: a file:// URL of a 0600 HTML file in our 0700 run directory that forwards the
// browser to a single-use link (what Jupyter does for its token). The opener's and the browser's command lines
// are visible to every local user; a link there could be opened by someone else before the browser starts,
// the path of a file only we can read cannot. BUCKAROO_OPEN_LINK=direct hands over the link itself instead,
// for browsers that may not read hidden directories (Snap-confined Firefox on Ubuntu).

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Env } from '../../paths.ts';
import { escapeHtml } from '../html.ts';

const OPENER_FILE_PREFIX = 'open-';

export function openerWantsDirectLink(env: Env): boolean {
  return env.BUCKAROO_OPEN_LINK === 'direct';
}

/** Writes the forwarding file and returns its file:// URL; the file is removed after `ttlMs`. */
export function writeOpenerFile(runDir: string, link: string, ttlMs: number): string {
  const file = path.join(runDir, `${OPENER_FILE_PREFIX}${crypto.randomBytes(12).toString('hex')}.html`);
  const html = `<!doctype html><html><head><meta charset="utf-8"><meta name="referrer" content="no-referrer"><meta http-equiv="refresh" content="0; url=${escapeHtml(link)}"><title>buckaroo-table</title></head><body><p><a href="${escapeHtml(link)}">Open the table</a></p></body></html>\n`;
  fs.writeFileSync(file, html, { mode: 0o600, flag: 'wx' });
  setTimeout(() => fs.rmSync(file, { force: true }), ttlMs).unref();
  return pathToFileURL(file).href;
}
