// `buckaroo-table unpack-native <dir>` (not in the help): unpacks DuckDB's native files from this binary into
// <dir>/<hash>/. The server runs it as a child process once per install (see prepareNativeAssets), and checks
// the result itself before loading it.

import path from 'node:path';
import { nativeHash, unpackInProcess } from '../engine/native-assets.ts';
import { isCompiledBinary } from '../os/embedded.ts';
import { CliError, EXIT_OK, EXIT_USAGE } from './errors.ts';

export async function unpackNativeCommand(args: readonly string[]): Promise<number> {
  const dir = args[0];
  if (!dir || !path.isAbsolute(dir)) throw new CliError('usage: buckaroo-table unpack-native <absolute directory>', 'E_USAGE', EXIT_USAGE);
  if (!isCompiledBinary()) throw new CliError('unpack-native works only in the compiled binary: from source, DuckDB comes from its npm package.', 'E_USAGE', EXIT_USAGE);
  await unpackInProcess(nativeHash(), dir);
  return EXIT_OK;
}
