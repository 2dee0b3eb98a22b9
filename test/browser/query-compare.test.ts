// The viewer page in a real browser against the compiled binary, for query_data and compare_data results: the
// SQL shown above the result, the result's rows; a diff's changed cells highlighted (old → new) and one-sided
// rows coloured.

import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killStarted, startServer, tempHome, type StartedServer } from '../helpers/binary.ts';
import { grantBrowser, launchChromium, loadFile, type LaunchedBrowser } from '../helpers/browser.ts';

/** Long enough for a cold DuckDB start plus a first window on a busy 2-core machine. */
const PAINT_TIMEOUT_MS = 15_000;

let server: StartedServer;
let browser: LaunchedBrowser;
let dir: string;

async function post(route: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const state = JSON.parse(fs.readFileSync(path.join(server.home, 'run', `server-${server.port}.json`), 'utf8')) as { token: string };
  const res = await fetch(`http://127.0.0.1:${server.port}${route}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${state.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ...body, no_browser: true }),
  });
  const answer = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${route} answered ${res.status}: ${JSON.stringify(answer)}`);
  return answer;
}

async function open(session: string): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(`http://127.0.0.1:${server.port}/s/${session}`);
  await page.waitForFunction(() => document.body.dataset.state === 'ready' && document.querySelector('#bt-grid .ag-row[row-index="0"] .ag-cell[col-id="c0"]')?.textContent?.trim(), undefined, { timeout: PAINT_TIMEOUT_MS });
  return page;
}

beforeAll(async () => {
  dir = tempHome('bt-browser-query-');
  fs.writeFileSync(path.join(dir, 'sales.csv'), 'id,city,amount\n1,Oslo,10\n2,Rome,20\n3,Oslo,30\n');
  fs.writeFileSync(path.join(dir, 'before.csv'), 'sku,name,price\nA1,Lamp,10\nB2,Desk,99\nD4,Rug,20\n');
  fs.writeFileSync(path.join(dir, 'after.csv'), 'sku,name,price\nA1,Lamp,10\nB2,Desk,89\nE5,Vase,12\n');
  server = await startServer();
  browser = await launchChromium();
  // As a person who once opened a table link: every session of this server then opens by its plain URL.
  await grantBrowser(browser.context, server.home, server.port, path.join(dir, 'sales.csv'));
});

afterAll(async () => {
  await browser?.close();
  killStarted();
});

describe('query and diff views', () => {
  it('shows a query result with its sql above it', async () => {
    const session = 'browser-query-1';
    await loadFile(server.home, server.port, path.join(dir, 'sales.csv'), session);
    const sql = 'select city, sum(amount) as total from sales group by city order by total desc';
    await post(`/api/sessions/${session}/query`, { sql });
    const page = await open(session);
    expect(await page.locator('#bt-query').isVisible()).toBe(true);
    expect((await page.locator('#bt-query code').textContent())?.trim()).toBe(sql);
    expect(await page.locator('.bt-file').textContent()).toBe('Query result');
    expect((await page.locator('#bt-grid .ag-row[row-index="0"] .ag-cell[col-id="c0"]').textContent())?.trim()).toBe('Oslo');
    // Back to a file: the SQL bar goes away.
    await loadFile(server.home, server.port, path.join(dir, 'sales.csv'), session);
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#bt-query')?.hidden === true, undefined, { timeout: PAINT_TIMEOUT_MS });
    await page.close();
  });

  it('highlights changed cells and colours one sided rows of a diff', async () => {
    const session = 'browser-diff-1';
    await post(`/api/sessions/${session}/compare`, { left: path.join(dir, 'before.csv'), right: path.join(dir, 'after.csv') });
    const page = await open(session);
    expect(await page.locator('.bt-file').textContent()).toBe('before.csv → after.csv');
    // Each data row is drawn twice (the pinned index column and the centre): gather both halves by row-index.
    const rowInfo = (i: number) =>
      page.evaluate((r) => {
        const parts = [...document.querySelectorAll(`#bt-grid .ag-row[row-index="${r}"]`)];
        return { cls: parts.map((p) => p.className).join(' '), changed: parts.flatMap((p) => [...p.querySelectorAll('.bt-diff-changed')].map((c) => c.textContent?.trim())) };
      }, i);
    const byIndex = new Map([0, 1, 2].map((i) => [String(i), undefined as undefined | { cls: string; changed: (string | undefined)[] }]));
    for (const i of [0, 1, 2]) {
      await page.waitForFunction((r) => document.querySelector(`#bt-grid .ag-row[row-index="${r}"] .ag-cell[col-id="c0"]`)?.textContent?.trim(), i, { timeout: PAINT_TIMEOUT_MS });
      byIndex.set(String(i), await rowInfo(i));
    }
    expect(byIndex.get('0')!.cls).toContain('bt-diff-left');
    expect(byIndex.get('1')!.cls).toContain('bt-diff-right');
    expect(byIndex.get('2')!.changed).toEqual(['99 → 89']);
    await page.close();
  });
});
