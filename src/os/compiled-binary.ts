// Whether this process is the compiled single executable (Node SEA) or `node dist/buckaroo-table.cjs`: the
// server names its executable by it, the lifecycle re-executes by it, `upgrade` refuses to replace a script.

import { createRequire } from 'node:module';

export function isCompiledBinary(): boolean {
  try {
    const sea = createRequire(__filename)('node:sea') as { isSea(): boolean };
    return sea.isSea();
  } catch {
    return false;
  }
}
