// Helpers for browser tests and benches: Debian's Chromium driven by playwright-core (no downloaded browser),
// a fresh profile per launch, data files generated with DuckDB, and /load with the server's token.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.BUCKAROO_CHROMIUM || '/usr/bin/chromium';
/** Flags the project's CI uses: no sandbox (root in a container), nothing that phones home. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
export const SCREENSHOT_DIR = path.resolve(import.meta.dirname, '../../test-output');

export interface LaunchedBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(opts: { colorScheme?: 'light' | 'dark'; width?: number; height?: number } = {}): Promise<LaunchedBrowser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/ensure-chromium.sh (as root) or make browser-deps`);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'bt-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: opts.width ?? 1280, height: opts.height ?? 720 },
    colorScheme: opts.colorScheme ?? 'light',
  });
  return {
    context,
    async close() {
      await context.close().catch(() => {});
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** POST /load with the token from the server's state file; returns the JSON answer. */
export async function loadFile(home: string, port: number, file: string, session: string): Promise<Record<string, unknown>> {
  const state = JSON.parse(fs.readFileSync(path.join(home, 'run', `server-${port}.json`), 'utf8')) as { token: string };
  const res = await fetch(`http://127.0.0.1:${port}/load`, {
    method: 'POST',
    headers: { authorization: `Bearer ${state.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ path: file, session }),
  });
  const body = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`/load ${file} answered ${res.status}: ${JSON.stringify(body)}`);
  return body;
}

/**
 * Opens a single-use table link (a /load answer's `url`) the way a person would, and waits until the page
 * has traded it for the browser cookie and moved to the clean `/s/<session>` URL.
 */
export async function openViewLink(page: Page, link: string): Promise<void> {
  const clean = link.replace(/\?.*$/, '');
  await page.goto(link);
  await page.waitForURL(clean);
}

/**
 * Gives the browser context the cookie of the server on `port` (it opens every session of that server), by
 * opening the link of a throwaway load, like a person who once opened a table the agent showed.
 */
export async function grantBrowser(context: BrowserContext, home: string, port: number, file: string): Promise<void> {
  const answer = await loadFile(home, port, file, `grant-${port}-${Date.now()}`);
  const page = await context.newPage();
  await openViewLink(page, String(answer.url));
  await page.close();
}

/** Writes a CSV of `rows` rows with DuckDB (i, label, value, city); row i has label 'row-<i>' and value i/2. */
export async function writeBigCsv(file: string, rows: number): Promise<void> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  const escaped = file.replaceAll("'", "''");
  await conn.run(
    `copy (select i, 'row-' || i as label, i / 2 as value, (['Paris','Berlin','Lagos','Lima'])[1 + i % 4] as city from range(${rows}) t(i)) to '${escaped}' (header, delimiter ',')`,
  );
  conn.closeSync();
  db.closeSync();
}
