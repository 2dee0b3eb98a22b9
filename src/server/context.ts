// What every route handler may know about the running server: identity, token, logger, the lazily opened
// DuckDB engine, and how to ask the process to stop.

import type { Engine } from '../engine/duckdb.ts';
import type { Logger } from '../log.ts';
import type { Env } from '../paths.ts';
import type { BrowserCookie } from './access/browser-cookie.ts';
import type { ViewLinks } from './access/view-links.ts';
import type { ViewerHub } from './viewers.ts';

export interface EmbeddedAsset {
  name: string;
  bytes: number;
  hash: string;
}

export interface ServerContext {
  readonly version: string;
  readonly protocol: number;
  readonly pid: number;
  readonly port: number;
  readonly token: string;
  /** The browser's credential (see access/browser-cookie.ts). */
  readonly cookie: BrowserCookie;
  /** Single-use links to a session's page, traded for the cookie. */
  readonly links: ViewLinks;
  readonly started: string;
  readonly startedMs: number;
  readonly exe: string;
  readonly env: Env;
  readonly log: Logger;
  readonly stateFile: string;
  readonly assets: readonly EmbeddedAsset[];
  /** Opens DuckDB on first use (the native library is large; /health must not wait for it). */
  engine(): Promise<Engine>;
  /** Viewer pages connected over SSE, per session. */
  readonly viewers: ViewerHub;
  /** `--no-browser` or BUCKAROO_NO_BROWSER=1: never open a tab. */
  readonly noBrowser: boolean;
  /** Stops accepting connections, cleans up and exits; resolves once shutdown has begun. */
  requestShutdown(reason: string): void;
}
