// Flags shared by `status`, `stop`, `restart` and `ensure`: --port N and --json; the port resolved the way
// every client resolves it (flag, BUCKAROO_PORT, the fallback pointer, the default).

import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, type PortChoice } from '../config.ts';
import { resolveServerPort } from '../lifecycle/port-pointer.ts';
import { fileLogger, type Logger } from '../log.ts';
import { logsDir, type Env } from '../paths.ts';
import { CliError, EXIT_USAGE } from './errors.ts';

export interface LifecycleArgs {
  port: PortChoice;
  json: boolean;
  env: Env;
  log: Logger;
}

export function parseLifecycleArgs(args: string[], env: Env = process.env): LifecycleArgs {
  let values: { port?: string; json?: boolean };
  try {
    ({ values } = parseArgs({ args, options: { port: { type: 'string' }, json: { type: 'boolean' } }, strict: true }));
  } catch (err) {
    throw new CliError((err as Error).message, 'E_USAGE', EXIT_USAGE);
  }
  let port: PortChoice;
  try {
    port = resolveServerPort(values.port, env);
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message, err.code, EXIT_USAGE);
    throw err;
  }
  return { port, json: values.json === true, env, log: fileLogger(path.join(logsDir(env), 'cli.log'), 'cli') };
}

/** Lifecycle failures carry a code and a sentence; the CLI prints the sentence and exits 1. */
export function toCliError(err: unknown): unknown {
  const e = err as { name?: string; code?: string; message?: string };
  if (e?.name === 'EnsureServerError') return new CliError(e.message ?? String(err), e.code ?? 'E_LIFECYCLE');
  return err;
}
