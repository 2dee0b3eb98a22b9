// `buckaroo-table ensure [--port N] [--json]` (not in the help): run ensureServer once and print what it did.
// What view_data does before its first request; handy for scripts, tests and "did it upgrade?" checks.

import { ensureServer } from '../lifecycle/ensure-server.ts';
import { describeEnsureResult } from '../lifecycle/describe.ts';
import { EXIT_OK } from './errors.ts';
import { parseLifecycleArgs, toCliError } from './lifecycle-args.ts';

export async function ensureCommand(args: string[], out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const a = parseLifecycleArgs(args);
  try {
    const result = await ensureServer({ port: a.port.port, explicitPort: a.port.explicit, env: a.env, log: a.log });
    const { token: _token, ...shown } = result; // the token stays in the 0600 state file
    out.write(a.json ? `${JSON.stringify(shown)}\n` : `${describeEnsureResult(result)}\n`);
    return EXIT_OK;
  } catch (err) {
    throw toCliError(err);
  }
}
