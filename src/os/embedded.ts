// Files build.ts embeds in the compiled binary (`bun build --compile --asset=<dir>`): DuckDB's compressed native
// files (`native/…`) and the viewer page (`web/…`). Bun serves them, by their path relative to the directory they
// were embedded from, from a read-only virtual directory beside the program (`/$bunfs/root/` on POSIX).

import fs from 'node:fs';
import path from 'node:path';

/** The part of Bun's global we use (bun-types is not loaded: tests and scripts run on Node). */
interface BunRuntime {
  /** The entry module's path: inside the virtual directory when compiled. */
  main: string;
  embeddedFiles: readonly Blob[];
}

function bunRuntime(): BunRuntime | undefined {
  return (globalThis as { Bun?: BunRuntime }).Bun;
}

/** True in the compiled binary; false under `node` or `bun` running the plain bundle, and in tests. */
export function isCompiledBinary(): boolean {
  const bun = bunRuntime();
  return bun !== undefined && bun.embeddedFiles.length > 0;
}

/** Where an embedded file is, for fs reads (sync reads are why we do not go through `Bun.embeddedFiles`). */
export function embeddedPath(name: string): string {
  const bun = bunRuntime();
  if (!bun || !isCompiledBinary()) throw new Error(`embedded file ${name} asked for outside the compiled binary`);
  return path.join(path.dirname(bun.main), name);
}

/** An embedded file's bytes, or an error naming it. */
export function readEmbedded(name: string): Buffer {
  return fs.readFileSync(embeddedPath(name));
}
