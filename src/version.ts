// The program's identity, injected by build.ts (esbuild `define`) so the binary knows its own version
// without reading package.json at run time. Unbundled runs (unit tests) see the dev fallbacks.

declare const __BUCKAROO_VERSION__: string | undefined;
declare const __BUCKAROO_BUILT_AT__: string | undefined;

export const VERSION: string =
  typeof __BUCKAROO_VERSION__ === 'string' ? __BUCKAROO_VERSION__ : '0.0.0-dev';

export const BUILT_AT: string =
  typeof __BUCKAROO_BUILT_AT__ === 'string' ? __BUCKAROO_BUILT_AT__ : 'unbundled';

/** Changes only when the HTTP contract between client and server breaks (see docs/architecture.md). */
export const PROTOCOL = 1;

export const PRODUCT_NAME = 'buckaroo-table';

/** Port shared with Python Buckaroo, so both tools agree on where "the" data server lives. */
export const DEFAULT_PORT = 8700;
