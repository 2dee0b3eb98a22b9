// compare_data through the compiled binary: both files loaded (and queryable), the key detected and named or
// taken as given, the counts the issue lists in structuredContent and the text, and the diff rows the page shows.

import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, killStarted, readState, stopStateServer, tempHome, testEnv } from '../helpers/binary.ts';
import { request } from '../helpers/http.ts';
import { connectMcp, textOf, type ToolResult } from '../helpers/mcp-client.ts';

let home: string;
let dataDir: string;
let port: number;
let client: Client;

function write(rel: string, content: string): string {
  const p = path.join(dataDir, rel);
  fs.writeFileSync(p, content);
  return p;
}

/** Data routes carry the server's bearer token (the access guard requires it). */
const auth = () => ({ headers: { authorization: `Bearer ${readState(home, port).token}` } });

const compare = async (args: Record<string, unknown>): Promise<ToolResult> => (await client.callTool({ name: 'compare_data', arguments: args })) as ToolResult;

beforeAll(async () => {
  home = tempHome();
  dataDir = fs.mkdtempSync(path.join(home, 'data-'));
  port = await freePort();
  write('before.csv', 'sku,name,price,stock\nA1,Lamp,10.5,3\nB2,Desk,99,1\nC3,Chair,45,7\nD4,Rug,20,2\n');
  write('after.csv', 'sku,name,price,colour\nA1,Lamp,10.5,red\nB2,Desk,89,oak\nC3,Armchair,55,grey\nE5,Vase,12,blue\n');
  client = await connectMcp(testEnv(home, { BUCKAROO_PORT: String(port) }), 'legacy', { cwd: dataDir });
});

afterAll(async () => {
  await client?.close();
  stopStateServer(home, port);
  killStarted();
});

describe('compare_data', () => {
  it('detects the key and reports every count in structuredContent and text', async () => {
    const r = await compare({ left: 'before.csv', right: 'after.csv' });
    expect(r.isError, textOf(r)).toBeFalsy();
    const s = r.structuredContent!;
    expect(s).toMatchObject({
      keys: ['sku'],
      keys_detected: true,
      only_in_left: 1,
      only_in_right: 1,
      changed_rows: 2,
      changed_by_column: { name: 1, price: 2 },
      columns_only_in_left: ['stock'],
      columns_only_in_right: ['colour'],
      type_changes: [],
      left: { table: 'before', rows: 4 },
      right: { table: 'after', rows: 4 },
    });
    const text = textOf(r);
    expect(text).toContain('before.csv → after.csv: 1 rows only in left, 1 only in right, 2 changed');
    expect(text).toContain('Rows matched by sku, detected');
    expect(text).toContain('Changed cells by column: price 2, name 1');
    expect(text).toContain('Columns only in left: stock');
  });

  it('shows the differing rows with old to new cells in the page', async () => {
    const r = await compare({ left: 'before.csv', right: 'after.csv' });
    const session = String(r.structuredContent!.session);
    const meta = (await request(port, `/api/sessions/${session}/meta`, auth())).json<{ format: string; rows: number; columns: { name: string }[] }>();
    expect(meta.format).toBe('diff');
    expect(meta.columns.map((c) => c.name)).toEqual(['change', 'sku', 'name', 'price', 'changed_columns']);
    const rows = (await request(port, `/api/sessions/${session}/rows?offset=0&limit=10`, auth())).json<{ rows: unknown[][] }>();
    expect(rows.rows).toEqual([
      ['only in left', 'D4', 'Rug', '20.0', []],
      ['only in right', 'E5', 'Vase', '12.0', []],
      ['changed', 'B2', 'Desk', '99.0 → 89.0', ['price']],
      ['changed', 'C3', 'Chair → Armchair', '45.0 → 55.0', ['name', 'price']],
    ]);
  });

  it('takes keys as given and leaves both files queryable', async () => {
    const r = await compare({ left: 'before.csv', right: 'after.csv', keys: ['name'] });
    expect(r.structuredContent).toMatchObject({ keys: ['name'], keys_detected: false, only_in_left: 2, only_in_right: 2 });
    const q = (await client.callTool({ name: 'query_data', arguments: { sql: 'select count(*) from before join after using (sku)' } })) as ToolResult;
    expect(q.structuredContent!.rows).toEqual([[3]]);
  });

  it('reuses an unchanged file and reloads one that changed', async () => {
    const first = await compare({ left: 'before.csv', right: 'after.csv' });
    expect(first.structuredContent).toMatchObject({ changed_rows: 2 });
    const after = path.join(dataDir, 'after.csv');
    const saved = fs.readFileSync(after, 'utf8');
    // Same size, new content: the modification time tells it apart.
    fs.writeFileSync(after, saved.replace('Armchair', 'Chair   '));
    fs.utimesSync(after, new Date(), new Date(Date.now() + 2_000));
    try {
      const second = await compare({ left: 'before.csv', right: 'after.csv' });
      expect(second.structuredContent).toMatchObject({ changed_rows: 2, changed_by_column: { name: 1 } });
      const log = fs.readFileSync(path.join(home, 'logs', 'server.log'), 'utf8');
      // The unchanged left file was not loaded again by the second call: one load line per distinct content.
      expect(log.split('\n').filter((l) => l.includes('loaded for compare') && l.includes('before.csv')).length).toBe(1);
      expect(log.split('\n').filter((l) => l.includes('loaded for compare') && l.includes('after.csv')).length).toBe(2);
    } finally {
      fs.writeFileSync(after, saved);
    }
  });

  it('detects a composite key when no single column is unique, and names its columns', async () => {
    write('stock-jan.csv', 'store,sku,qty\nOslo,A1,3\nOslo,B2,3\nRome,A1,5\n');
    write('stock-feb.csv', 'store,sku,qty\nOslo,A1,3\nOslo,B2,4\nLima,A1,5\n');
    const r = await compare({ left: 'stock-jan.csv', right: 'stock-feb.csv' });
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(r.structuredContent).toMatchObject({ keys: ['store', 'sku'], keys_detected: true, only_in_left: 1, only_in_right: 1, changed_rows: 1, changed_by_column: { qty: 1 } });
    expect(textOf(r)).toContain('Rows matched by store, sku, detected as these 2 columns together');
  });

  it('keeps a file column named change or changed_columns apart from the diff\'s own columns', async () => {
    write('log-a.csv', 'id,change,changed_columns\n1,added,a\n2,fixed,b\n3,gone,c\n');
    write('log-b.csv', 'id,change,changed_columns\n1,added,a\n2,refixed,b\n4,new,d\n');
    const r = await compare({ left: 'log-a.csv', right: 'log-b.csv' });
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(r.structuredContent).toMatchObject({ keys: ['id'], only_in_left: 1, only_in_right: 1, changed_rows: 1, changed_by_column: { change: 1, changed_columns: 0 } });
    const session = String(r.structuredContent!.session);
    const meta = (await request(port, `/api/sessions/${session}/meta`, auth())).json<{ format: string; columns: { name: string }[] }>();
    expect(meta.columns.map((c) => c.name)).toEqual(['diff_change', 'id', 'change', 'changed_columns', 'diff_changed_columns']);
    const rows = (await request(port, `/api/sessions/${session}/rows?offset=0&limit=10`, auth())).json<{ rows: unknown[][] }>();
    expect(rows.rows).toEqual([
      ['only in left', 3, 'gone', 'c', []],
      ['only in right', 4, 'new', 'd', []],
      ['changed', 2, 'fixed → refixed', 'b', ['change']],
    ]);
  });

  it('keeps the diff\'s own row order when a file has a column named rowid', async () => {
    write('rid-a.csv', 'rowid,v\n30,a\n20,b\n10,c\n');
    write('rid-b.csv', 'rowid,v\n30,a\n20,B\n40,d\n');
    const r = await compare({ left: 'rid-a.csv', right: 'rid-b.csv' });
    expect(r.isError, textOf(r)).toBeFalsy();
    const session = String(r.structuredContent!.session);
    const meta = (await request(port, `/api/sessions/${session}/meta`, auth())).json<{ columns: { name: string }[] }>();
    expect(meta.columns.map((c) => c.name)).toEqual(['change', 'rowid', 'v', 'changed_columns']);
    const rows = (await request(port, `/api/sessions/${session}/rows?offset=0&limit=10`, auth())).json<{ rows: unknown[][]; row_numbers: number[] }>();
    expect(rows.rows).toEqual([
      ['only in left', 10, 'c', []],
      ['only in right', 40, 'd', []],
      ['changed', 20, 'b → B', ['v']],
    ]);
    expect(rows.row_numbers).toEqual([0, 1, 2]);
  });

  it('reports MCP progress to a client that asked, ending at the total', async () => {
    const seen: { progress: number; total?: number }[] = [];
    const r = (await client.callTool({ name: 'compare_data', arguments: { left: 'before.csv', right: 'after.csv' } }, { onprogress: (p) => seen.push(p) })) as ToolResult;
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(seen.at(-1)).toMatchObject({ progress: 100, total: 100 });
  });

  it('refuses unknown or non unique keys with a named error', async () => {
    const bad = await compare({ left: 'before.csv', right: 'after.csv', keys: ['nope'] });
    expect(bad.isError).toBe(true);
    expect(textOf(bad)).toMatch(/Key column "nope" is not in both files[\s\S]*\(E_UNKNOWN_COLUMN\)/);
    write('dup.csv', 'sku,name\nA1,x\nA1,y\n');
    const dup = await compare({ left: 'dup.csv', right: 'after.csv', keys: ['sku'] });
    expect(textOf(dup)).toContain('(E_KEYS_NOT_UNIQUE)');
    const missing = await compare({ left: 'nope.csv', right: 'after.csv' });
    expect(textOf(missing)).toContain('(E_FILE_NOT_FOUND)');
  });
});
