// The words the agent (and so the person) reads about an available update, and the command we suggest.
// Pure, unit-tested: the command depends only on how this binary was installed.

import { PRODUCT_NAME } from '../version.ts';
import type { InstallMethod } from './install-method.ts';

export function upgradeCommand(method: InstallMethod): string {
  return method === 'homebrew' ? `brew upgrade ${PRODUCT_NAME}` : `${PRODUCT_NAME} upgrade`;
}

export function updateNoticeLines(current: string, latest: string, method: InstallMethod): string[] {
  return [`Update available: ${PRODUCT_NAME} ${current} → ${latest}`, `Run: ${upgradeCommand(method)}`];
}
