// The table inside the chat, through the compiled binary and the SDK's own client: view_data and its alias
// declare the viewer app, the app's resource is one self-contained HTML file, the app-only tools read the data
// server, and a client that renders MCP Apps gets no browser tab (one that does not, gets its tab as before),
// in both protocol eras.

import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BINARY, freePort, killStarted, stopStateServer, tempHome, testEnv } from '../helpers/binary.ts';
import { MODERN_REVISION, runInspector, textOf, type Era, type ToolResult } from '../helpers/mcp-client.ts';

const UI_EXTENSION = 'io.modelcontextprotocol/ui';
const APP_MIME = 'text/html;profile=mcp-app';
const VIEWER_URI = 'ui://buckaroo-table/viewer.html';
/** The tools whose result the viewer app shows. */
const SHOWING_TOOLS = ['view_data', 'buckaroo_table', 'query_data', 'compare_data'];

let home: string;
let dataDir: string;
let port: number;
/** The fake `xdg-open` appends every URL it is asked to open here. */
let opened: string;
let env: Record<string, string>;
const clients: Client[] = [];

async function connect(opts: { apps: boolean; era?: Era }): Promise<Client> {
  const capabilities = opts.apps ? { extensions: { [UI_EXTENSION]: { mimeTypes: [APP_MIME] } } } : {};
  const c = new Client(
    { name: 'buckaroo-table-tests', version: '0.0.0' },
    { capabilities, ...(opts.era === 'modern' ? { versionNegotiation: { mode: { pin: MODERN_REVISION } } } : {}) },
  );
  await c.connect(new StdioClientTransport({ command: BINARY, args: ['mcp'], env, stderr: 'pipe', cwd: dataDir }));
  clients.push(c);
  return c;
}

const call = async (c: Client, name: string, args: Record<string, unknown>): Promise<ToolResult> => (await c.callTool({ name, arguments: args })) as ToolResult;
const openedUrls = (): string[] => (fs.existsSync(opened) ? fs.readFileSync(opened, 'utf8').split('\n').filter(Boolean) : []);

beforeAll(async () => {
  home = tempHome();
  dataDir = fs.mkdtempSync(path.join(home, 'data-'));
  port = await freePort();
  opened = path.join(home, 'opened.txt');
  const bin = fs.mkdtempSync(path.join(home, 'bin-'));
  fs.writeFileSync(path.join(bin, 'xdg-open'), `#!/bin/sh\necho "$1" >> '${opened}'\n`, { mode: 0o755 });
  fs.writeFileSync(path.join(dataDir, 'people.csv'), 'id,name,score\n1,Ann,3.5\n2,Bob,\n3,Cy,7.25\n4,Dee,1\n');
  fs.writeFileSync(path.join(dataDir, 'other.csv'), 'x,y\n1,2\n');
  fs.writeFileSync(path.join(dataDir, 'people2.csv'), 'id,name,score\n1,Ann,3.5\n2,Bob,4\n3,Cy,7.25\n5,Eve,2\n');
  // A browser may be opened here (by the fake opener): BUCKAROO_NO_BROWSER is left out on purpose.
  const base = testEnv(home, { BUCKAROO_PORT: String(port), DISPLAY: ':99' });
  delete base.BUCKAROO_NO_BROWSER;
  env = { ...base, PATH: `${bin}:${base.PATH}` };
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => {})));
  stopStateServer(home, port);
  killStarted();
});

describe('the viewer app, declared and served', () => {
  it('declares the viewer on view_data, buckaroo_table, query_data and compare_data, and the app-only tools for the app alone', async () => {
    const c = await connect({ apps: true });
    const { tools } = await c.listTools();
    const byName = new Map(tools.map((t) => [t.name, t]));
    for (const name of SHOWING_TOOLS) {
      const meta = byName.get(name)?._meta as { ui?: { resourceUri?: string; visibility?: string[] }; 'ui/resourceUri'?: string };
      expect(meta.ui?.resourceUri).toBe(VIEWER_URI);
      expect(meta['ui/resourceUri']).toBe(VIEWER_URI);
      expect(meta.ui?.visibility).toBeUndefined();
    }
    for (const name of ['viewer_meta', 'viewer_rows', 'viewer_stats']) {
      expect((byName.get(name)?._meta as { ui?: { visibility?: string[] } }).ui?.visibility).toEqual(['app']);
    }
    expect(byName.get('buckaroo_diagnostics')?._meta?.ui).toBeUndefined();
  });

  it('does not offer the app-only tools to a 2025-era client that does not render apps', async () => {
    const c = await connect({ apps: false });
    const names = (await c.listTools()).tools.map((t) => t.name).sort();
    expect(names).toEqual(['buckaroo_diagnostics', 'buckaroo_table', 'compare_data', 'query_data', 'view_data']);
    await expect(call(c, 'viewer_meta', { session: 'abcdefgh12' })).rejects.toThrow(/viewer_meta disabled/);
  });

  it('lists the app-only tools to a 2026-07-28 client by the capabilities each tools/list carries', async () => {
    const plain = await connect({ apps: false, era: 'modern' });
    expect((await plain.listTools()).tools.map((t) => t.name).sort()).toEqual(['buckaroo_diagnostics', 'buckaroo_table', 'compare_data', 'query_data', 'view_data']);
    const app = await connect({ apps: true, era: 'modern' });
    expect((await app.listTools()).tools.map((t) => t.name)).toEqual(expect.arrayContaining(['viewer_meta', 'viewer_rows', 'viewer_stats']));
  });

  it('serves the resource as one self-contained HTML page with no domains asked for', async () => {
    const c = await connect({ apps: true });
    const { resources } = await c.listResources();
    expect(resources.find((r) => r.uri === VIEWER_URI)?.mimeType).toBe(APP_MIME);
    const read = await c.readResource({ uri: VIEWER_URI });
    const content = read.contents[0] as { uri: string; mimeType: string; text: string; _meta?: { ui?: { csp?: Record<string, unknown> } } };
    expect(content.mimeType).toBe(APP_MIME);
    expect(content._meta?.ui?.csp).toEqual({});
    expect(content.text.startsWith('<!doctype html>')).toBe(true);
    expect(content.text).toContain('<script type="module">');
    // Nothing loaded by URL: no external script, stylesheet or image.
    expect(content.text).not.toMatch(/<(script|link|img)\b[^>]*\b(src|href)=/i);
  });
});

describe.each<Era>(['legacy', 'modern'])('view_data in the %s era', (era) => {
  it('a client that renders apps gets the table in the chat and no browser tab; the result says so in text and data', async () => {
    const before = openedUrls().length;
    const c = await connect({ apps: true, era });
    const r = await call(c, 'view_data', { path: 'people.csv' });
    expect(r.isError).toBeFalsy();
    const s = r.structuredContent as { display: string; url: string; status_line: string; hints: string[]; dataset_id: number; browser_action: string };
    expect(s.display).toBe('app');
    expect(s.browser_action).toBe('skipped');
    expect(typeof s.dataset_id).toBe('number');
    expect(s.status_line).toContain('Shown in the chat');
    expect(s.status_line).toContain(s.url);
    expect(s.hints.join('\n')).toContain(`give the person the URL ${s.url}`);
    expect(textOf(r)).toContain('Shown in the chat');
    expect(openedUrls().length).toBe(before);
  });

  it('a client that does not render apps gets its browser tab, as before', async () => {
    const before = openedUrls().length;
    const c = await connect({ apps: false, era });
    const r = await call(c, 'view_data', { path: 'people.csv' });
    const s = r.structuredContent as { display: string; url: string; browser_action: string };
    expect(s.display).toBe('browser');
    expect(s.browser_action).toBe('opened');
    // The opener gets a private file forwarding to a link of the same page (its own single-use link: the
    // opener's command line is visible to every local user; docs/security.md).
    const opened = openedUrls().slice(before);
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatch(/^file:\/\/.*\/run\/open-[0-9a-f]+\.html$/);
    const page = new URL(s.url).pathname;
    expect(fs.readFileSync(new URL(opened[0]!), 'utf8')).toContain(`${page}?link=`);
  });
});

describe('the app-only tools', () => {
  it('read meta, sorted and searched rows and stats of the session through the MCP process', async () => {
    const c = await connect({ apps: true });
    const shown = (await call(c, 'view_data', { path: 'people.csv' })).structuredContent as { session: string; path: string; dataset_id: number };
    const meta = (await call(c, 'viewer_meta', { session: shown.session })).structuredContent as { status: string; path: string; dataset_id: number; columns: unknown[] };
    expect(meta).toMatchObject({ status: 'ready', path: shown.path, dataset_id: shown.dataset_id });
    expect(meta.columns).toHaveLength(3);
    const sorted = (await call(c, 'viewer_rows', { session: shown.session, offset: 0, limit: 10, sort: 'score', dir: 'desc' })).structuredContent as { rows: unknown[][]; dataset_id: number };
    expect(sorted.rows.map((row) => row[1])).toEqual(['Cy', 'Ann', 'Dee', 'Bob']);
    expect(sorted.dataset_id).toBe(shown.dataset_id);
    const searched = (await call(c, 'viewer_rows', { session: shown.session, offset: 0, limit: 10, search: 'de' })).structuredContent as { filtered: number; rows: unknown[][] };
    expect(searched.filtered).toBe(1);
    expect(searched.rows[0]![1]).toBe('Dee');
    const stats = (await call(c, 'viewer_stats', { session: shown.session })).structuredContent as { columns: { name: string; histogram: unknown }[] };
    expect(stats.columns.map((col) => col.name)).toEqual(['id', 'name', 'score']);
  });

  it('tells a later view_data apart: the session then holds another file, with another dataset id', async () => {
    const c = await connect({ apps: true });
    const first = (await call(c, 'view_data', { path: 'people.csv' })).structuredContent as { session: string; dataset_id: number };
    const second = (await call(c, 'view_data', { path: 'other.csv' })).structuredContent as { session: string; dataset_id: number; path: string };
    expect(second.session).toBe(first.session);
    const rows = (await call(c, 'viewer_rows', { session: first.session, offset: 0, limit: 5 })).structuredContent as { dataset_id: number };
    expect(rows.dataset_id).toBe(second.dataset_id);
    expect(rows.dataset_id).not.toBe(first.dataset_id);
  });

  it('keeps an older instance\'s data: a file, a query result and a diff stay readable by dataset id after later calls', async () => {
    const c = await connect({ apps: true });
    const before = openedUrls().length;
    const file = (await call(c, 'view_data', { path: 'people.csv' })).structuredContent as { session: string; dataset_id: number };
    const q = await call(c, 'query_data', { sql: 'select name, score from people where score > 2 order by score desc' });
    const query = q.structuredContent as { session: string; dataset_id: number; display: string; hints: string[] };
    expect(query.display).toBe('app');
    expect(query.hints.join('\n')).toContain('shown in the chat');
    const d = await call(c, 'compare_data', { left: 'people.csv', right: 'people2.csv' });
    const diff = d.structuredContent as { session: string; dataset_id: number; display: string };
    expect(diff.display).toBe('app');
    expect(openedUrls().length).toBe(before); // no browser tab for an app client, from any of the three
    await call(c, 'view_data', { path: 'other.csv' });
    const rows = async (dataset: number) => (await call(c, 'viewer_rows', { session: file.session, dataset, offset: 0, limit: 10 })).structuredContent as { rows: unknown[][]; dataset_id: number };
    expect((await rows(file.dataset_id)).rows.map((r) => r[1])).toEqual(['Ann', 'Bob', 'Cy', 'Dee']);
    expect((await rows(query.dataset_id)).rows.map((r) => r[0])).toEqual(['Cy', 'Ann']);
    const queryMeta = (await call(c, 'viewer_meta', { session: file.session, dataset: query.dataset_id })).structuredContent as { format: string; sql: string; dataset_id: number };
    expect(queryMeta).toMatchObject({ format: 'query', dataset_id: query.dataset_id });
    expect(queryMeta.sql).toContain('score > 2');
    const diffMeta = (await call(c, 'viewer_meta', { session: file.session, dataset: diff.dataset_id })).structuredContent as { format: string };
    expect(diffMeta.format).toBe('diff');
    const stats = (await call(c, 'viewer_stats', { session: file.session, dataset: query.dataset_id })).structuredContent as { dataset_id: number; columns: { name: string }[] };
    expect(stats.dataset_id).toBe(query.dataset_id);
    expect(stats.columns.map((col) => col.name)).toEqual(['name', 'score']);
    // Past the few kept results, the oldest query result is gone, and the app is told so by name.
    for (let i = 0; i < 4; i++) await call(c, 'query_data', { sql: `select ${i} as n` });
    const gone = await call(c, 'viewer_rows', { session: file.session, dataset: query.dataset_id, offset: 0, limit: 5 });
    expect(gone.isError).toBe(true);
    expect((gone.structuredContent as { error_code: string; message: string }).error_code).toBe('E_DATASET_GONE');
  });

  it('refuses a session that does not exist with the data API error, readable by the app', async () => {
    const c = await connect({ apps: true });
    const r = await call(c, 'viewer_rows', { session: 'no-such-session-000', offset: 0, limit: 5 });
    expect(r.isError).toBe(true);
    expect((r.structuredContent as { error_code: string }).error_code).toMatch(/^E_(UNKNOWN_SESSION|NO_DATASET)$/);
    const bad = await call(c, 'viewer_rows', { session: 'x', offset: -1, limit: 5 });
    expect(bad.isError).toBe(true);
  });
});

describe('the MCP Inspector CLI (a third-party client)', () => {
  const inspectorEnv = () => ({ BUCKAROO_HOME: home, BUCKAROO_NO_BROWSER: '1', BUCKAROO_NO_UPDATE_CHECK: '1', BUCKAROO_PORT: String(port) });

  it.each<Era>(['legacy', 'modern'])('reports the viewer app for each tool that shows data, with --advertise-apps --app-info (%s era)', (era) => {
    const r = runInspector(home, inspectorEnv(), ['--app-info', '--advertise-apps', '--protocol-era', era], ['--method', 'tools/list']);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { toolName: string; hasApp: boolean; resourceUri?: string; resourceMimeType?: string; visibility?: string[]; csp?: object });
    const byName = new Map(lines.map((l) => [l.toolName, l]));
    for (const name of SHOWING_TOOLS) {
      expect(byName.get(name)).toMatchObject({ hasApp: true, resourceUri: VIEWER_URI, resourceMimeType: APP_MIME, csp: {} });
      expect(byName.get(name)?.visibility).toBeUndefined();
    }
    for (const name of ['viewer_meta', 'viewer_rows', 'viewer_stats']) expect(byName.get(name)).toMatchObject({ hasApp: true, visibility: ['app'] });
    expect(byName.get('buckaroo_diagnostics')?.hasApp).toBe(false);
  }, 90_000);

  it('finds no schema portability problem in the app-only tools (--strict)', () => {
    const r = runInspector(home, inspectorEnv(), ['--strict', '--advertise-apps'], ['--method', 'tools/list']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/Warning|Error/);
    expect(JSON.parse(r.stdout).tools.map((t: { name: string }) => t.name)).toContain('viewer_rows');
  }, 60_000);
});
