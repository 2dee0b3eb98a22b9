// The fidelity corpus (test/helpers/fidelity-corpus.ts) through the compiled binary: every file's values read
// back through the rows API and the agent's text, every hostile file refused by name — and after each one the
// same server process still answers (one server for the whole corpus keeps this file quick).

import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BINARY, freePort, killStarted, stopStateServer, readState, tempHome, testEnv } from '../helpers/binary.ts';
import { LOADS, REFUSALS, type FidelityCase } from '../helpers/fidelity-corpus.ts';
import { request } from '../helpers/http.ts';

/** The 20 MB field and 100,000-deep JSON cases load or fail in ~1 s alone; room for a busy CI machine. */
const CASE_TIMEOUT_MS = 60_000;

let home: string;
let dataDir: string;
let port: number;
let client: Client;
let serverPid: number;
let db: DuckDBConnection;

interface ToolResult {
  isError?: boolean;
  content: { type: string; text?: string }[];
  structuredContent?: Record<string, unknown> & { session: string; columns: { name: string; dtype: string }[] };
}

const textOf = (r: ToolResult): string => r.content.map((c) => c.text ?? '').join('\n');

async function view(p: string): Promise<ToolResult> {
  return (await client.callTool({ name: 'view_data', arguments: { path: p } }, { timeout: CASE_TIMEOUT_MS })) as ToolResult;
}

async function rowsOf(session: string): Promise<{ rows: unknown[][]; columns: string[] }> {
  const r = await request(port, `/api/sessions/${session}/rows?limit=100`, { timeoutMs: CASE_TIMEOUT_MS });
  expect(r.status, r.body.slice(0, 500)).toBe(200);
  return r.json();
}

/** The server that answered the first call still answers, with the same pid. */
async function expectSameServer(): Promise<void> {
  const h = await request(port, '/health');
  expect(h.status).toBe(200);
  expect(h.json<{ pid: number }>().pid).toBe(serverPid);
}

function write(c: FidelityCase): string {
  const p = path.join(dataDir, c.file);
  fs.writeFileSync(p, c.content);
  return p;
}

beforeAll(async () => {
  home = tempHome();
  dataDir = fs.mkdtempSync(path.join(home, 'corpus-'));
  port = await freePort();
  client = new Client({ name: 'buckaroo-table-fidelity', version: '0.0.0' });
  await client.connect(new StdioClientTransport({ command: BINARY, args: ['mcp'], env: testEnv(home, { BUCKAROO_PORT: String(port) }), stderr: 'pipe', cwd: dataDir }));
  fs.writeFileSync(path.join(dataDir, 'warm.csv'), 'a\n1\n');
  const first = await view(path.join(dataDir, 'warm.csv'));
  expect(first.isError, textOf(first)).toBeFalsy();
  serverPid = readState(home, port).pid;
  db = await (await DuckDBInstance.create(':memory:')).connect();
  // Decoys: what a glob reading of g[1].csv, star*.csv and q?{1,2}.csv would also pick up.
  for (const [name, body] of [['g1.csv', 'a,b\n1,decoy\n'], ['starA.csv', 'a,b\n4,decoy\n'], ['qq{1,2}.csv', 'a\n10\n']]) fs.writeFileSync(path.join(dataDir, name!), body!);
}, 60_000);

afterAll(async () => {
  await client?.close();
  stopStateServer(home, port);
  killStarted();
});

describe('fidelity corpus: values as the file holds them', () => {
  for (const c of LOADS) {
    it(`handles ${c.name}`, async () => {
      const r = await view(write(c));
      expect(r.isError, textOf(r)).toBeFalsy();
      const text = textOf(r);
      for (const t of c.text ?? []) {
        if (typeof t === 'string') expect(text).toContain(t);
        else expect(text).toMatch(t);
      }
      if (c.structured) expect(r.structuredContent).toMatchObject(c.structured);
      for (const [name, dtype] of Object.entries(c.types ?? {})) {
        expect(r.structuredContent!.columns.find((x) => x.name === name)?.dtype, `${name} in ${text}`).toBe(dtype);
      }
      const w = await rowsOf(r.structuredContent!.session);
      if (c.rows) expect(w.rows).toEqual(c.rows);
      if (c.rowCount !== undefined) expect(w.rows).toHaveLength(c.rowCount);
      if (c.cellLength) expect(String(w.rows[c.cellLength[0]]![c.cellLength[1]]).length).toBe(c.cellLength[2]);
      await expectSameServer();
    }, CASE_TIMEOUT_MS);
  }

  it('handles nested parquet values', async () => {
    const p = path.join(dataDir, 'nested.parquet');
    await db.run(`copy (select 1 as id, {'k': [1, 2], 's': 'v'} as st, [[1], [2, 3]] as ll, 12.50::decimal(10,2) as dec) to '${p}' (format parquet)`);
    const r = await view(p);
    expect(r.isError, textOf(r)).toBeFalsy();
    expect((await rowsOf(r.structuredContent!.session)).rows).toEqual([[1, { k: [1, 2], s: 'v' }, [[1], [2, 3]], '12.50']]);
    await expectSameServer();
  });

  it('handles a file url', async () => {
    const p = path.join(dataDir, 'url target.csv');
    fs.writeFileSync(p, 'a\n42\n');
    const r = await view(pathToFileURL(p).href);
    expect(r.isError, textOf(r)).toBeFalsy();
    expect((await rowsOf(r.structuredContent!.session)).rows).toEqual([[42]]);
  });

  it('handles integers beyond int64 in the stats', async () => {
    const r = await view(write(LOADS.find((c) => c.file === 'huge.csv')!));
    const s = (await request(port, `/api/sessions/${r.structuredContent!.session}/stats`)).json<{ columns: Record<string, unknown>[] }>();
    expect(s.columns[1]).toMatchObject({ name: 'big', min: '-170141183460469231731687303715884105727', max: '99999999999999999999' });
  });
});

describe('fidelity corpus: a 20 MB field in the stats', () => {
  it('cuts long values in /stats and the load summary, saying so and naming the real length', async () => {
    const r = await view(write(LOADS.find((c) => c.file === 'bigfield.csv')!));
    expect(r.isError, textOf(r)).toBeFalsy();
    const res = await request(port, `/api/sessions/${r.structuredContent!.session}/stats`, { timeoutMs: CASE_TIMEOUT_MS });
    expect(res.status).toBe(200);
    // Whole, the field came back three times (min, max, top): 63 MB.
    expect(res.body.length).toBeLessThan(100_000);
    const text = res.json<{ columns: Record<string, unknown>[] }>().columns[1]!;
    expect(text).toMatchObject({ name: 'text', text_clipped: true });
    expect(String(text.max)).toMatch(/^x{1000}… \(20,971,520 characters\)$/);
    expect(textOf(r)).not.toMatch(/x{100}/);
    await expectSameServer();
  }, CASE_TIMEOUT_MS);
});

describe('fidelity corpus: hostile files get a named error, the server stays up', () => {
  for (const c of REFUSALS) {
    it(`refuses_${c.name.replace(/\W+/g, '_')}`, async () => {
      const r = await view(write(c));
      expect(r.isError, textOf(r)).toBe(true);
      const text = textOf(r);
      expect(text).toMatch(c.error!);
      expect(text).toContain('Hint:');
      expect(text).not.toMatch(/bt_ds_|create table|read_csv|read_json|LINE 1:/);
      await expectSameServer();
    }, CASE_TIMEOUT_MS);
  }

  it('refuses gzipped parquet saying what it is', async () => {
    const p = path.join(dataDir, 'for-gz.parquet');
    await db.run(`copy (select 1 as a) to '${p}' (format parquet)`);
    const gz = path.join(dataDir, 'data.parquet.gz');
    fs.writeFileSync(gz, zlib.gzipSync(fs.readFileSync(p)));
    const r = await view(gz);
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/gzip-compressed Parquet/);
    await expectSameServer();
  });

  it('refuses a path over the name limit without calling it missing', async () => {
    const long = path.join(dataDir, `${'x'.repeat(300)}.csv`);
    const r = await view(long);
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/too long/);
    expect(textOf(r)).not.toMatch(/File not found/);
    await expectSameServer();
  });

  it('refuses an existing file whose whole path is over the OS limit without calling it missing', async () => {
    // 22 folders of 200 characters: every name fits NAME_MAX, the whole path does not fit PATH_MAX (4096).
    // Created step by step from inside, the only way such a file comes to exist.
    const folder = 'd'.repeat(200);
    execFileSync('sh', ['-c', `for i in $(seq 22); do mkdir ${folder} && cd ${folder}; done; printf 'a,b\\n1,2\\n' > deep.csv`], { cwd: dataDir });
    const deep = path.join(dataDir, ...Array<string>(22).fill(folder), 'deep.csv');
    expect(deep.length).toBeGreaterThan(4096);
    const r = await view(deep);
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/too long for the operating system/);
    expect(textOf(r)).not.toMatch(/File not found/);
    expect(textOf(r)).toContain('(E_PATH_TOO_LONG)');
    await expectSameServer();
  });
});
