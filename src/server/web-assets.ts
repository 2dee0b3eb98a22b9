// The viewer page's built files (src/web → dist/web by build.ts). Inside the compiled binary they are embedded
// files `web/<name>` listed by `web/manifest.json`; run as `node dist/buckaroo-table.cjs` they are read from
// the `web/` directory beside the bundle. Only names in the manifest are ever served (no path from the URL).

import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { isCompiledBinary, readEmbedded } from '../os/embedded.ts';
import type { EmbeddedAsset } from './context.ts';

const ManifestSchema = z.array(z.object({ name: z.string().min(1), bytes: z.number().int(), hash: z.string() }));

export interface WebAssets {
  /** Manifest entries, reported by /health and /diagnostics. */
  readonly list: readonly EmbeddedAsset[];
  /** The bytes of a manifest entry, or undefined for any other name. */
  read(name: string): Buffer | undefined;
  /** Where the files came from, for logs and /diagnostics. */
  readonly source: string;
  /** Why the manifest could not be read, when it could not. */
  readonly problem?: string;
}

/** The dist directory's `web/` beside the running bundle (dist/buckaroo-table.cjs → dist/web). */
export function defaultWebDir(): string {
  const bundle = typeof __filename === 'string' ? __filename : (process.argv[1] ?? process.cwd());
  return path.join(path.dirname(bundle), 'web');
}

type Reader = (key: string) => Buffer;

const embeddedReader: Reader = (key) => readEmbedded(`web/${key}`);

function dirReader(dir: string): Reader {
  return (key) => fs.readFileSync(path.join(dir, key));
}

/** Loads the manifest once; file bytes are read on first request and kept (they are small and immutable). */
export function loadWebAssets(opts: { webDir?: string; embedded?: boolean } = {}): WebAssets {
  const embedded = (opts.embedded ?? isCompiledBinary()) && opts.webDir === undefined;
  const dir = opts.webDir ?? defaultWebDir();
  const reader = embedded ? embeddedReader : dirReader(dir);
  const source = embedded ? 'embedded in the binary' : dir;
  let list: EmbeddedAsset[] = [];
  let problem: string | undefined;
  try {
    list = ManifestSchema.parse(JSON.parse(reader('manifest.json').toString('utf8')));
    if (list.length === 0) problem = 'the viewer manifest lists no files (src/web was not built)';
  } catch (err) {
    problem = `the viewer manifest could not be read from ${source}: ${(err as Error).message}`;
  }
  const names = new Set(list.map((a) => a.name));
  const cache = new Map<string, Buffer>();
  return {
    list,
    source,
    problem,
    read(name) {
      if (!names.has(name)) return undefined;
      let data = cache.get(name);
      if (!data) {
        data = reader(name);
        cache.set(name, data);
      }
      return data;
    },
  };
}

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.png': 'image/png',
};

export function contentTypeFor(name: string): string {
  return CONTENT_TYPES[path.extname(name)] ?? 'application/octet-stream';
}
