// `buckaroo-table restart [--port N] [--json]`: replace the running server with a fresh one of this version
// (or start one). A newer server that speaks another protocol is still never downgraded.

import { describeEnsureResult } from '../lifecycle/describe.ts';
import { ensureServer } from '../lifecycle/ensure-server.ts';
import { EXIT_OK } from './errors.ts';
import { parseLifecycleArgs, toCliError } from './lifecycle-args.ts';

export async function restartCommand(args: string[], out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const a = parseLifecycleArgs(args);
  try {
    const result = await ensureServer({ port: a.port.port, explicitPort: a.port.explicit, env: a.env, log: a.log, replace: true });
    const { token: _token, ...shown } = result;
    out.write(a.json ? `${JSON.stringify(shown)}\n` : `${describeEnsureResult(result)}\n`);
    return EXIT_OK;
  } catch (err) {
    throw toCliError(err);
  }
}
