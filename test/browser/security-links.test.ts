// Issue 14, item 1, in real Chromium against the compiled binary: a table link opens the table once per
// browser and leaves an HttpOnly cookie; the same link in another browser profile shows a page saying it was
// used and how to reopen, and that profile reads no data; a link clicked on another site still opens.

import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killStarted, startServer, tempHome, type StartedServer } from '../helpers/binary.ts';
import { launchChromium, loadFile, openViewLink, type LaunchedBrowser } from '../helpers/browser.ts';

/** A cold DuckDB start plus a first window on a busy 2-core machine. */
const PAINT_TIMEOUT_MS = 15_000;

let server: StartedServer;
let csv: string;
const browsers: LaunchedBrowser[] = [];

async function browser(): Promise<LaunchedBrowser> {
  const b = await launchChromium();
  browsers.push(b);
  return b;
}

const firstCell = '#bt-grid .ag-row[row-index="0"] .ag-cell[col-id="c0"]';

beforeAll(async () => {
  const dir = tempHome('bt-sec-browser-');
  csv = path.join(dir, 'people.csv');
  fs.writeFileSync(csv, 'name,score\nAnn,3\nBob,4\n');
  server = await startServer();
});
afterAll(async () => {
  for (const b of browsers) await b.close();
  killStarted();
});

describe('table links in a browser', () => {
  it('opens a link once and keeps the cookie out of scripts', async () => {
    const answer = await loadFile(server.home, server.port, csv, 'sec-browser-1');
    const person = await browser();
    const page = await person.context.newPage();
    await openViewLink(page, String(answer.url));
    await page.waitForSelector(`${firstCell}:has-text("Ann")`, { timeout: PAINT_TIMEOUT_MS });
    expect(await page.evaluate(() => document.cookie)).toBe('');
    const cookies = await person.context.cookies(`http://127.0.0.1:${server.port}`);
    expect(cookies).toEqual([expect.objectContaining({ name: `buckaroo_table_${server.port}`, httpOnly: true, sameSite: 'Strict' })]);

    // Someone else's browser (another profile, another person) given the same link afterwards.
    const other = await browser();
    const late = await other.context.newPage();
    const res = await late.goto(String(answer.url));
    expect(res?.status()).toBe(401);
    expect(await late.locator('h1').innerText()).toBe('This link was already used');
    expect(await late.locator('body').innerText()).toContain('buckaroo-table view <file>');
    const status = await late.evaluate(async (u) => (await fetch(u)).status, `/api/sessions/sec-browser-1/rows`);
    expect(status).toBe(401);
  });

  it('opens a link clicked on another site', async () => {
    // A web page (a chat UI, a tracker) holding the link: the navigation is cross-site, so the browser would
    // not send a SameSite=Strict cookie along a redirect. The hand-over page moves on by itself instead.
    const answer = await loadFile(server.home, server.port, csv, 'sec-browser-2');
    const site = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<a id="go" href="${String(answer.url)}">the table</a>`);
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.2', resolve));
    try {
      const person = await browser();
      const page = await person.context.newPage();
      await page.goto(`http://127.0.0.2:${(site.address() as AddressInfo).port}/`);
      await page.click('#go');
      await page.waitForURL(`http://127.0.0.1:${server.port}/s/sec-browser-2`);
      await page.waitForSelector(`${firstCell}:has-text("Ann")`, { timeout: PAINT_TIMEOUT_MS });
    } finally {
      site.close();
    }
  });
});
