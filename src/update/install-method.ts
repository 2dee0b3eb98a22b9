// How this binary was installed, from where it lives: Homebrew keeps formulae in `<prefix>/Cellar/<name>/<ver>/`
// and links them into `<prefix>/bin`; anything else is ours to replace with `buckaroo-table upgrade`.

import fs from 'node:fs';
import path from 'node:path';
import { PRODUCT_NAME } from '../version.ts';

export type InstallMethod = 'homebrew' | 'standalone';

const CELLAR_RE = new RegExp(`^(.*)/Cellar/${PRODUCT_NAME}/[^/]+/bin/[^/]+$`);

/** Pure: `realPath` is the binary with symlinks resolved (a brew-linked `/opt/homebrew/bin/x` is a symlink). */
export function installMethodOf(realPath: string): InstallMethod {
  return CELLAR_RE.test(realPath.split(path.sep).join('/')) ? 'homebrew' : 'standalone';
}

/**
 * The path to write into an MCP client's config: for Homebrew the stable `<prefix>/bin/<name>` link, because
 * the Cellar directory changes with every `brew upgrade`; otherwise the binary itself.
 */
export function stableBinaryPath(realPath: string): string {
  const m = CELLAR_RE.exec(realPath.split(path.sep).join('/'));
  return m ? `${m[1]}/bin/${PRODUCT_NAME}` : realPath;
}

export function detectInstallMethod(execPath: string = process.execPath): InstallMethod {
  let real = execPath;
  try {
    real = fs.realpathSync(execPath);
  } catch {
    /* a vanished binary: judge by the path we were given */
  }
  return installMethodOf(real);
}
