// `buckaroo-table stop [--port N] [--json]`: ask the server to leave, then the verified kill path.
// Exit 0 when it is gone or was not running; 1 when the port holds something we will not touch.

import { describeStopResult } from '../lifecycle/describe.ts';
import { stopServer } from '../lifecycle/stop-server.ts';
import { EXIT_OK } from './errors.ts';
import { parseLifecycleArgs, toCliError } from './lifecycle-args.ts';

export async function stopCommand(args: string[], out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const a = parseLifecycleArgs(args);
  try {
    const result = await stopServer({ port: a.port.port, explicitPort: a.port.explicit, env: a.env, log: a.log });
    out.write(a.json ? `${JSON.stringify(result)}\n` : `${describeStopResult(result)}\n`);
    return EXIT_OK;
  } catch (err) {
    throw toCliError(err);
  }
}
