// The chat app's page: one self-contained HTML file (script and styles inline, no network) that build.ts
// writes beside the viewer's assets. Inside the compiled binary it is the embedded file `web/app.html`; run as
// `node dist/buckaroo-table.cjs`, it is read from `web/` beside the bundle.

import fs from 'node:fs';
import path from 'node:path';
import { isCompiledBinary, readEmbedded } from '../os/embedded.ts';

export const APP_HTML_NAME = 'app.html';

export class AppPageMissingError extends Error {
  readonly code = 'E_APP_PAGE_MISSING';
  constructor(where: string, cause: unknown) {
    super(`The chat app page (${APP_HTML_NAME}) is missing from this build (${where}): ${(cause as Error)?.message ?? String(cause)}. Rebuild or reinstall buckaroo-table.`);
    this.name = 'AppPageMissingError';
  }
}

function besideBundle(): string {
  const bundle = typeof __filename === 'string' ? __filename : (process.argv[1] ?? process.cwd());
  return path.join(path.dirname(bundle), 'web', APP_HTML_NAME);
}

let cached: string | undefined;

/** The page's HTML, read once per process (~1.5 MB; it never changes while the binary runs). */
export function readAppHtml(opts: { file?: string } = {}): string {
  if (cached !== undefined && opts.file === undefined) return cached;
  const embedded = opts.file === undefined && isCompiledBinary();
  const where = embedded ? 'embedded in the binary' : (opts.file ?? besideBundle());
  try {
    const html = (embedded ? readEmbedded(`web/${APP_HTML_NAME}`) : fs.readFileSync(where)).toString('utf8');
    if (opts.file === undefined) cached = html;
    return html;
  } catch (err) {
    throw new AppPageMissingError(where, err);
  }
}
