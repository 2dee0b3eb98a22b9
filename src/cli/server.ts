// `buckaroo-table server`: parse flags and run the data server until it is told to stop.

import { parseArgs } from 'node:util';
import { ConfigError, resolvePort } from '../config.ts';
import { widenQueryPool } from '../engine/thread-priority.ts';
import { CliError, EXIT_FAILURE, EXIT_PORT_IN_USE, EXIT_USAGE } from './errors.ts';

/** How long after listening the server starts on DuckDB's native files: past a client's first /health poll. */
const NATIVE_WARM_DELAY_MS = 300;

export async function serverCommand(args: string[]): Promise<number | 'running'> {
  widenQueryPool(); // first: before anything uses libuv's pool
  let values: { port?: string; 'no-browser'?: boolean; 'idle-timeout'?: string };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        port: { type: 'string' },
        'no-browser': { type: 'boolean' },
        'idle-timeout': { type: 'string' },
      },
      strict: true,
    }));
  } catch (err) {
    throw new CliError((err as Error).message, 'E_USAGE', EXIT_USAGE);
  }
  let port: number;
  try {
    port = resolvePort(values.port).port;
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message, err.code, EXIT_USAGE);
    throw err;
  }
  const { startServerProcess } = await import('../server/start.ts');
  try {
    await startServerProcess({ port, noBrowser: values['no-browser'] === true, idleTimeoutArg: values['idle-timeout'] });
    // Listening: soon unpack and check DuckDB's native files while nobody waits (the first load would), but
    // after the client's first /health: hashing 70 MB next to it on 2 cores made that answer late.
    setTimeout(() => void import('../engine/native-assets.ts').then((m) => m.readyNative()).catch(() => {}), NATIVE_WARM_DELAY_MS).unref();
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'E_PORT_IN_USE') throw new CliError((err as Error).message, code, EXIT_PORT_IN_USE);
    if (code === 'E_CONFIG') throw new CliError((err as Error).message, code, EXIT_USAGE); // e.g. a bad --idle-timeout
    // BUCKAROO_HOME holds a directory or file another user could have planted: a sentence, not a stack.
    if (code === 'E_RUN_DIR_UNSAFE' || code === 'E_UNSAFE_PATH') throw new CliError((err as Error).message, code, EXIT_FAILURE);
    throw err;
  }
  return 'running';
}
