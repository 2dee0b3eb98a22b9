// argv → a command. Commands are imported lazily so `mcp` never loads the server or DuckDB. In the binary,
// src/entry.ts answers `--version` and `--help` before this bundle is loaded, and requires it for the rest.

import { CliError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './cli/errors.ts';
import { usage } from './cli/usage.ts';
import { VERSION } from './version.ts';

export interface MainIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** Returns an exit code, or 'running' when the command keeps the process alive (server, mcp). */
export async function main(argv: string[], io: MainIO = process): Promise<number | 'running'> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'version':
      case '--version':
      case '-v':
        print(io, `${VERSION}\n`);
        return EXIT_OK;
      case 'help':
      case '--help':
      case '-h':
        print(io, usage());
        return EXIT_OK;
      case 'server':
        return await (await import('./cli/server.ts')).serverCommand(rest);
      case 'mcp':
        return await (await import('./cli/mcp.ts')).mcpCommand(rest);
      case 'upgrade':
        return await (await import('./cli/upgrade.ts')).runUpgrade(rest);
      case 'install-mcp':
        return await (await import('./cli/install-mcp.ts')).runInstallMcp(rest);
      case 'status':
        return await (await import('./cli/status.ts')).statusCommand(rest, io.stdout);
      case 'stop':
        return await (await import('./cli/stop.ts')).stopCommand(rest, io.stdout);
      case 'restart':
        return await (await import('./cli/restart.ts')).restartCommand(rest, io.stdout);
      case 'view':
        return await (await import('./cli/view.ts')).viewCommand(rest, io.stdout);
      case 'ensure': // not in the help: what view_data does first, for scripts and tests
        return await (await import('./cli/ensure.ts')).ensureCommand(rest, io.stdout);
      case 'unpack-native': // not in the help: the server unpacks DuckDB through it once per install
        return await (await import('./cli/unpack-native.ts')).unpackNativeCommand(rest);
      case 'json-load': // not in the help: the server reads JSON files through it (engine/json-isolate.ts)
        return await (await import('./cli/json-load.ts')).jsonLoadCommand(io.stdout);
      case undefined:
        io.stderr.write(usage());
        return EXIT_USAGE;
      default:
        io.stderr.write(`buckaroo-table: unknown command ${JSON.stringify(command)}\n\n${usage()}`);
        return EXIT_USAGE;
    }
  } catch (err) {
    if (err instanceof CliError) {
      io.stderr.write(`buckaroo-table: ${err.message}\n`);
      return err.exitCode;
    }
    io.stderr.write(`buckaroo-table: ${(err as Error).stack ?? String(err)}\n`);
    return EXIT_FAILURE;
  }
}

/**
 * Prints what `--version` and `--help` answer. Bun builds `process.stdout` (node:stream, tty) on first touch:
 * ~40 ms of CPU, more than half of a 70 ms `--version` (measured with a compiled hello-world both ways);
 * console.log writes to the same fd without it.
 */
function print(io: MainIO, text: string): void {
  if (io === process) console.log(text.replace(/\n$/, ''));
  else io.stdout.write(text);
}

declare const __BUCKAROO_BUNDLED__: boolean | undefined;

// Only the bundle (dist/buckaroo-table.cjs and the binary) runs main; importing this module in a test does nothing.
if (typeof __BUCKAROO_BUNDLED__ === 'boolean' && __BUCKAROO_BUNDLED__) {
  void main(process.argv.slice(2)).then((code) => {
    if (code !== 'running') process.exitCode = code;
  });
}
