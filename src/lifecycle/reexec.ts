// How this program starts another copy of itself in server mode. The MCP side never imports the server: it
// re-executes its own binary, so one file on disk is the whole product.

import { isCompiledBinary } from '../os/compiled-binary.ts';
import type { Env } from '../paths.ts';
import { serverStartEnv } from './server-env.ts';

export interface SelfCommand {
  command: string;
  args: string[];
  env: Record<string, string>;
}

/**
 * argv to start this same program with `args` (e.g. ['server', '--port', '0']): `[execPath, ...args]` for the
 * compiled binary, `[node, script, ...args]` when run as `node dist/buckaroo-table.cjs`.
 */
export function selfCommand(
  args: readonly string[],
  env: Env = process.env,
  compiled = isCompiledBinary(),
  execPath = process.execPath,
  script = process.argv[1],
): SelfCommand {
  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    // NODE_OPTIONS meant for the agent's node (e.g. --inspect, --require hooks) must not leak into our server.
    if (v !== undefined && k !== 'NODE_OPTIONS') childEnv[k] = v;
  }
  if (compiled || !script) return { command: execPath, args: [...args], env: childEnv };
  return { command: execPath, args: [script, ...args], env: childEnv };
}

/** `executable`: another compiled binary of ours to run instead of this one (a newer install). */
export function serverCommand(extra: readonly string[] = [], env: Env = process.env, executable?: string): SelfCommand {
  const cmd = executable ? selfCommand(['server', ...extra], env, true, executable) : selfCommand(['server', ...extra], env);
  Object.assign(cmd.env, serverStartEnv(cmd.env));
  return cmd;
}
