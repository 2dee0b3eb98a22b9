// The file the binary starts from: `--version` and `--help` are answered here; every other argv goes to main.ts,
// bundled beside this file as buckaroo-table-main.cjs. Bun loads the whole bytecode of the file it starts from
// before running a line of it: from the 1.3 MB bundle `--version` took 52 ms of CPU, from this file 27 ms (a
// compiled hello-world: 28). Does nothing on import outside the bundle, like main.ts.

import { usage } from './cli/usage.ts';
import { VERSION } from './version.ts';

/** main.ts's bundle, beside this one in dist/ and in the binary's embedded directory (build.ts). */
export const MAIN_BUNDLE_NAME = 'buckaroo-table-main.cjs';

/** The text a quick command prints, or undefined for a command main.ts runs. */
export function quickAnswer(command: string | undefined): string | undefined {
  if (command === 'version' || command === '--version' || command === '-v') return VERSION;
  if (command === 'help' || command === '--help' || command === '-h') return usage().replace(/\n$/, '');
  return undefined;
}

declare const __BUCKAROO_BUNDLED__: boolean | undefined;

if (typeof __BUCKAROO_BUNDLED__ === 'boolean' && __BUCKAROO_BUNDLED__) {
  const answer = quickAnswer(process.argv[2]);
  // console.log, not process.stdout: Bun builds process.stdout (node:stream, tty) on first touch, ~40 ms of CPU.
  if (answer !== undefined) console.log(answer);
  else {
    // Held in a variable, so neither esbuild nor Bun inlines (or globs) main.ts's bundle into this one; and
    // relative: Bun 1.4.5 runs a file required by its absolute /$bunfs path from source, not from its bytecode
    // (+100 ms of CPU for every command, measured).
    const mainBundle = `./${MAIN_BUNDLE_NAME}`;
    require(mainBundle);
  }
}
