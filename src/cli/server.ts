// `buckaroo-table server`: parse flags and run the data server until it is told to stop.

import { parseArgs } from 'node:util';
import { ConfigError, resolvePort } from '../config.ts';
import { widenQueryPool } from '../engine/thread-priority.ts';
import { selfCommand } from '../lifecycle/reexec.ts';
import { lacksServerStartEnv, serverStartEnv } from '../lifecycle/server-env.ts';
import { CliError, EXIT_FAILURE, EXIT_PORT_IN_USE, EXIT_USAGE } from './errors.ts';

/**
 * A server started by hand (or by a test, a bench) lacks the settings its runtime reads only at process start
 * (src/lifecycle/server-env.ts; our own spawner passes them): under Bun, start over with them as the same process
 * (execve keeps the pid, stdio and the start time the lifecycle verifies). Node's libuv reads the pool size at
 * its first use, so there assigning it before any I/O is enough. Windows has no execve; there the spawner's
 * environment is all there is.
 */
function startOverWithServerEnv(args: string[]): void {
  const execve = (process as { execve?: (file: string, args: string[], env: Record<string, string>) => never }).execve;
  if (!process.versions.bun || typeof execve !== 'function' || !lacksServerStartEnv(process.env)) {
    widenQueryPool();
    return;
  }
  const cmd = selfCommand(['server', ...args], { ...process.env, ...serverStartEnv(process.env) });
  try {
    execve(cmd.command, [cmd.command, ...cmd.args], cmd.env);
  } catch {
    // The executable is gone (replaced mid-upgrade, say): serve as we are, with the smaller pool.
    widenQueryPool();
  }
}

export async function serverCommand(args: string[]): Promise<number | 'running'> {
  startOverWithServerEnv(args); // first: before anything uses the pool
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
    const running = await startServerProcess({ port, noBrowser: values['no-browser'] === true, idleTimeoutArg: values['idle-timeout'] });
    // Listening: open DuckDB now, while the client's first /health and /load are on their way (the first load of
    // a fresh server used to pay it, ~0.1 s). Its native files are hashed in a worker (native-assets.ts), off the
    // event loop that answers /health. A /load arriving meanwhile waits for this same opening; a failure is
    // logged here and reaches that /load as the same named error (ctx.engine() keeps the outcome).
    void running.routesReady.then(() => running.ctx.engine()).catch(() => {});
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
