// view_data end to end: every format through the compiled binary (MCP client → server → DuckDB), the rows,
// stats and meta APIs, stats checked against DuckDB run directly, and every bad input from the issue.

import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BINARY, freePort, killStarted, tempHome, testEnv, readState } from '../helpers/binary.ts';
import { request } from '../helpers/http.ts';

const CSV = 'id,name,score,when\n1,Ann,3.5,2024-01-02\n2,Bob,,2024-02-03\n3,"Lee, Jr.",7.25,2024-03-04\n4,Ann,1.0,\n';

let home: string;
let dataDir: string;
let port: number;
let client: Client;
let db: DuckDBConnection;

async function connect(env: Record<string, string>): Promise<Client> {
  const c = new Client({ name: 'buckaroo-table-tests', version: '0.0.0' });
  await c.connect(new StdioClientTransport({ command: BINARY, args: ['mcp'], env, stderr: 'pipe', cwd: dataDir }));
  return c;
}

interface ToolResult {
  isError?: boolean;
  content: { type: string; text?: string }[];
  structuredContent?: { url: string; session: string; rows: number; columns_total: number; format: string; columns: { name: string; dtype: string }[] };
}

const textOf = (r: ToolResult): string => r.content.map((c) => c.text ?? '').join('\n');

async function view(p: string, tool = 'view_data'): Promise<ToolResult> {
  return (await client.callTool({ name: tool, arguments: { path: p } })) as ToolResult;
}

function sessionOf(r: ToolResult): string {
  return r.structuredContent!.session;
}

async function rowsApi(session: string, qs: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const r = await request(port, `/api/sessions/${session}/rows?${qs}`);
  return { status: r.status, body: r.json() };
}

function write(name: string, content: string | Buffer): string {
  const p = path.join(dataDir, name);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
  return p;
}

beforeAll(async () => {
  home = tempHome();
  dataDir = fs.mkdtempSync(path.join(home, 'data-'));
  port = await freePort();
  client = await connect(testEnv(home, { BUCKAROO_PORT: String(port) }));
  const inst = await DuckDBInstance.create(':memory:');
  db = await inst.connect();
});

afterAll(async () => {
  await client?.close();
  // The server outlives the MCP process by design; stop the one this file started.
  try {
    const state = readState(home, port);
    process.kill(state.pid, 'SIGTERM');
  } catch {
    /* already gone */
  }
  killStarted();
});

describe('view_data formats', () => {
  const cases: [string, () => string | Promise<string>, number][] = [
    ['csv', () => write('people.csv', CSV), 4],
    ['tsv', () => write('people.tsv', CSV.replaceAll(',', '\t').replace('"Lee\t Jr."', 'Lee Jr.')), 4],
    ['txt (sniffed, semicolons)', () => write('people.txt', CSV.replaceAll(',', ';').replace('"Lee; Jr."', 'Lee Jr.')), 4],
    ['unknown extension (sniffed)', () => write('people.data', CSV), 4],
    ['csv.gz', () => write('people.csv.gz', zlib.gzipSync(CSV)), 4],
    ['tsv.gz', () => write('people.tsv.gz', zlib.gzipSync('a\tb\n1\tx\n2\ty\n')), 2],
    ['json array of records', () => write('recs.json', JSON.stringify([{ a: 1, b: 'x' }, { a: 2, b: 'y' }, { a: 3, c: [1, 2] }])), 3],
    ['json lines in .json', () => write('lines.json', '{"a":1}\n{"a":2}\n'), 2],
    ['ndjson', () => write('recs.ndjson', '{"a":1,"s":"x"}\n{"a":2,"s":"y"}\n'), 2],
    ['jsonl', () => write('recs.jsonl', '{"a":1}\n{"a":2}\n{"a":3}\n'), 3],
    ['jsonl.gz', () => write('recs.jsonl.gz', zlib.gzipSync('{"a":1}\n{"a":2}\n')), 2],
    [
      'parquet',
      async () => {
        const p = path.join(dataDir, 'people.parquet');
        await db.run(`copy (select * from read_csv('${write('for-parquet.csv', CSV)}')) to '${p}' (format parquet)`);
        return p;
      },
      4,
    ],
    [
      '.parq',
      async () => {
        const p = path.join(dataDir, 'people.parq');
        await db.run(`copy (select range as i, range * 1.5 as f from range(10)) to '${p}' (format parquet)`);
        return p;
      },
      10,
    ],
  ];
  for (const [name, make, rows] of cases) {
    it(`handles_${name.replace(/\W+/g, '_')}_through_mcp_and_rows_api`, async () => {
      const file = await make();
      const r = await view(file);
      expect(r.isError, textOf(r)).toBeFalsy();
      expect(r.structuredContent!.rows).toBe(rows);
      expect(textOf(r)).toContain(`${path.basename(file)} — ${rows} rows`);
      expect(textOf(r)).toContain('View: http://127.0.0.1:');
      const session = sessionOf(r);
      const w = await rowsApi(session, 'offset=0&limit=100');
      expect(w.status).toBe(200);
      expect(w.body.total).toBe(rows);
      expect((w.body.rows as unknown[]).length).toBe(rows);
      expect(w.body.row_numbers).toEqual(Array.from({ length: rows }, (_, i) => i));
    });
  }

  it('handles the buckaroo-table alias and relative and tilde paths', async () => {
    write('rel.csv', CSV);
    const r1 = await view('rel.csv', 'buckaroo_table');
    expect(r1.isError, textOf(r1)).toBeFalsy();
    expect(textOf(r1)).toContain('rel.csv — 4 rows × 4 columns');
    // HOME is the test's temp home: ~/… resolves there.
    const rel = path.relative(home, path.join(dataDir, 'rel.csv'));
    const r2 = await view(`~/${rel}`);
    expect(r2.isError, textOf(r2)).toBeFalsy();
  });

  it('lists tools with output schema and annotations', async () => {
    const tools = (await client.listTools()).tools;
    for (const name of ['view_data', 'buckaroo_table']) {
      const t = tools.find((x) => x.name === name)!;
      expect(t.outputSchema).toBeTruthy();
      expect(t.annotations?.readOnlyHint).toBe(true);
    }
  });
});

describe('rows, stats and meta', () => {
  // One MCP process is one session: each test loads its own file into it.
  const people = async (): Promise<string> => sessionOf(await view(write('people2.csv', CSV)));

  it('computes stats that match duckdb run directly', async () => {
    const file = write('stats.csv', 'x,cat\n1,a\n2,b\n2,a\n,c\n10,a\n5,\n');
    const r = await view(file);
    const s = (await request(port, `/api/sessions/${sessionOf(r)}/stats`)).json<{ columns: Record<string, unknown>[] }>();
    const direct = await db.runAndReadAll(
      `select count(x)::int nn, count(distinct x)::int d, min(x)::int mn, max(x)::int mx, avg(x) mean, stddev_samp(x) std, median(x) med from read_csv('${file}')`,
    );
    const d = direct.getRowObjectsJson()[0]!;
    const x = s.columns[0]!;
    expect(x).toMatchObject({ name: 'x', non_null: d.nn, nulls: 1, distinct: d.d, min: d.mn, max: d.mx });
    expect(x.mean as number).toBeCloseTo(Number(d.mean), 9);
    expect(x.std as number).toBeCloseTo(Number(d.std), 9);
    expect(x.median as number).toBeCloseTo(Number(d.med), 9);
    expect(x.quantiles_approx).toBe(false);
    expect((x.top as { value: unknown; count: number }[])[0]).toEqual({ value: 2, count: 2 });
    const hist = x.histogram as { kind: string; bins: { count: number }[]; low_tail: number; high_tail: number; nulls: number };
    expect(hist.kind).toBe('numeric');
    expect(hist.bins).toHaveLength(10);
    expect(hist.bins.reduce((a, b) => a + b.count, 0) + hist.low_tail + hist.high_tail).toBe(5);
    expect(hist.nulls).toBe(1);
    const cat = s.columns[1]!;
    expect(cat).toMatchObject({ name: 'cat', non_null: 5, nulls: 1, distinct: 3, top: [{ value: 'a', count: 3 }, { value: 'b', count: 1 }, { value: 'c', count: 1 }] });
    expect(cat.histogram).toEqual({ kind: 'categorical', top: [{ value: 'a', count: 3 }, { value: 'b', count: 1 }, { value: 'c', count: 1 }], longtail: 0, unique: 0, nulls: 1 });
    expect(textOf(r)).toMatch(/x\s+BIGINT\s+1\s+4\s+1 … 10/);
  });

  it('handles nan and infinity in a float column with full stats', async () => {
    // DuckDB's stddev_samp raises "out of range" on NaN/±Inf: the stats must still come back (std of the finite values).
    for (const extra of [0, 3000]) {
      const lines = ['x,name', '1.5,a', 'nan,b', 'inf,c', '2.5,d', ',e', '-inf,f', ...Array.from({ length: extra }, (_, i) => `${i / 2},r${i}`)];
      const r = await view(write(`nan-${extra}.csv`, lines.join('\n') + '\n'));
      expect(r.isError, textOf(r)).toBeFalsy();
      expect(textOf(r)).toMatch(/^x\s+DOUBLE\s+1\s/m);
      const s = (await request(port, `/api/sessions/${sessionOf(r)}/stats`)).json<{ columns: Record<string, unknown>[] }>();
      const x = s.columns[0]!;
      expect(x).toMatchObject({ name: 'x', nulls: 1, max: 'NaN' });
      expect(typeof x.std).toBe('number');
      expect((x.histogram as { kind: string }).kind).toBe('numeric');
    }
  });

  it("handles columns named like the frequency query's own names", async () => {
    // 3,000 rows: the grouping-sets frequency query (files of 2,001–20,000 rows) names its own columns too.
    const lines = ['n,gid,rk', ...Array.from({ length: 3000 }, (_, i) => `${i % 3 === 0 ? 7 : i},g${i % 2},${i % 5}`)];
    const r = await view(write('named-n.csv', lines.join('\n') + '\n'));
    expect(r.isError, textOf(r)).toBeFalsy();
    const s = (await request(port, `/api/sessions/${sessionOf(r)}/stats`)).json<{ columns: { name: string; distinct: number; top: { value: unknown; count: number }[] }[] }>();
    const [n, gid, rk] = s.columns;
    expect(n!.top[0]).toEqual({ value: 7, count: 1001 }); // every third row, and row 7 itself
    expect(n!.distinct).toBe(2000);
    expect(gid!.distinct).toBe(2);
    expect(gid!.top).toEqual([{ value: 'g0', count: 1500 }, { value: 'g1', count: 1500 }]);
    expect(rk!.distinct).toBe(5);
    expect(rk!.top[0]).toEqual({ value: 0, count: 600 });
  });

  it("orders a tiny file's top values like duckdb group by with ties and mixed case", async () => {
    // Up to 2,000 rows the top values come from histogram() maps in the summary's scan, sorted in JS.
    const file = write('freq.csv', 'f,t\n1.5,b\n2,B\n1.5,a\n2,b\n3,a\n-2,\n0.25,é\n,A\n');
    const s = (await request(port, `/api/sessions/${sessionOf(await view(file))}/stats`)).json<{ columns: Record<string, unknown>[] }>();
    for (const [k, col] of ['f', 't'].entries()) {
      const direct = await db.runAndReadAll(
        `select ${col} as v, count(*)::int as n from read_csv('${file}') where ${col} is not null group by all order by n desc, v limit 5`,
      );
      const top = direct.getRowsJson().map(([value, count]) => ({ value, count }));
      const distinct = Number((await db.runAndReadAll(`select count(distinct ${col}) from read_csv('${file}')`)).getRows()[0]![0]);
      expect(s.columns[k]).toMatchObject({ name: col, distinct, top });
    }
    expect((s.columns[0]!.top as { value: unknown }[]).map((t) => t.value)).toEqual([1.5, 2, -2, 0.25, 3]);
  });

  it('sorts stably and searches case insensitively', async () => {
    const session = await people();
    const asc = await rowsApi(session, 'sort=name&dir=asc');
    expect(asc.body.row_numbers).toEqual([0, 3, 1, 2]); // the two Ann rows keep file order
    const desc = await rowsApi(session, 'sort=score&dir=desc');
    expect(desc.body.row_numbers).toEqual([2, 0, 3, 1]); // nulls last
    const found = await rowsApi(session, 'search=aNn');
    expect(found.body).toMatchObject({ total: 4, filtered: 2, row_numbers: [0, 3] });
    const windowed = await rowsApi(session, 'sort=score&dir=asc&offset=1&limit=2');
    expect(windowed.body.row_numbers).toEqual([0, 2]);
  });

  it('clamps limit and refuses negative offset unknown sort and unknown session', async () => {
    const session = await people();
    const big = await rowsApi(session, 'limit=1000000000');
    expect(big.status).toBe(200);
    expect(big.body.limit).toBe(10_000);
    const neg = await rowsApi(session, 'offset=-5');
    expect(neg.status).toBe(400);
    expect(neg.body.message).toContain('offset must be 0 or more');
    const sort = await rowsApi(session, 'sort=nope');
    expect(sort.status).toBe(400);
    expect(sort.body).toMatchObject({ error_code: 'E_UNKNOWN_COLUMN' });
    const unknown = await request(port, '/api/sessions/AAAAAAAAAAAAAAAAAAAAAA/rows');
    expect(unknown.status).toBe(404);
    expect(unknown.json()).toMatchObject({ error_code: 'E_UNKNOWN_SESSION' });
    expect((await request(port, '/health')).status).toBe(200);
  });

  it('handles a file with its own rowid column', async () => {
    const r = await view(write('rowid.csv', 'rowid,x\n10,b\n20,a\n30,b\n'));
    expect(r.isError, textOf(r)).toBeFalsy();
    const w = await rowsApi(sessionOf(r), 'sort=x');
    expect(w.body).toMatchObject({ row_numbers: [1, 0, 2], rows: [[20, 'a'], [10, 'b'], [30, 'b']] });
  });

  it('treats sql looking search text and column names as data', async () => {
    const evil = 'a"; drop table x; --';
    const file = write('evil.csv', `"${evil.replaceAll('"', '""')}",b\n"x'); drop table t; --",1\nplain,2\n`);
    const r = await view(file);
    expect(r.isError, textOf(r)).toBeFalsy();
    const s = sessionOf(r);
    const cols = r.structuredContent!.columns.map((c) => c.name);
    expect(cols[0]).toBe(evil);
    const found = await rowsApi(s, `search=${encodeURIComponent("'); drop table t; --")}&sort=${encodeURIComponent(evil)}`);
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ filtered: 1, rows: [["x'); drop table t; --", 1]] });
    const pct = await rowsApi(s, `search=${encodeURIComponent('%')}`);
    expect(pct.body.filtered).toBe(0);
    const all = await rowsApi(s, '');
    expect(all.body.total).toBe(2);
  });

  it('encodes values json cannot carry exactly', async () => {
    const p = path.join(dataDir, 'types.parquet');
    await db.run(
      `copy (select 9007199254740993::bigint as big, 12.50::decimal(10,2) as dec, 'nan'::double as nan, 'inf'::double as inf, date '2024-05-06' as d,
        timestamp '2024-05-06 07:08:09.123456' as ts, '\\x00\\xFF'::blob as bl, [1, 2] as lst, {'k': 'v'} as st) to '${p}' (format parquet)`,
    );
    const r = await view(p);
    expect(r.isError, textOf(r)).toBeFalsy();
    const w = await rowsApi(sessionOf(r), '');
    expect(w.body.rows).toEqual([
      ['9007199254740993', '12.50', 'NaN', 'Infinity', '2024-05-06', '2024-05-06 07:08:09.123456', '\\x00\\xFF', [1, 2], { k: 'v' }],
    ]);
  });

  it('answers meta for the session', async () => {
    const session = await people();
    const m = (await request(port, `/api/sessions/${session}/meta`)).json();
    expect(m).toMatchObject({ status: 'ready', file_name: 'people2.csv', rows: 4, format: 'csv' });
  });
});

describe('bad input: clear error, server stays up, next call works', () => {
  const good = (): string => write('good.csv', CSV);
  const cases: [string, () => string, RegExp][] = [
    ['missing file', () => path.join(dataDir, 'nope', 'missing.csv'), /File not found: .*nope\/missing\.csv/],
    ['directory', () => dataDir, /is a directory/],
    ['empty file', () => write('empty.csv', ''), /is empty \(0 bytes\)/],
    ['binary garbage named .csv', () => write('garbage.csv', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256))), /binary data/],
    [
      'truncated parquet',
      () => {
        const src = path.join(dataDir, 'people.parquet');
        return write('truncated.parquet', fs.readFileSync(src).subarray(0, 200));
      },
      /not a readable Parquet file/,
    ],
    ['json that is not tabular', () => write('scalars.json', '[1, 2, 3]'), /not tabular/],
    ['ragged csv rows', () => write('ragged.csv', 'a,b,c\n1,2,3\n4,5,6\n7,8\n9,10,11\n'), /line 4 has 2 fields where the header has 3/],
    ['ragged csv rows beyond the sniff sample', () => write('ragged-late.csv', 'a,b\n' + '1,2\n'.repeat(30_000) + '1,2,3\n'), /line 30002/],
  ];
  for (const [name, make, message] of cases) {
    it(`refuses_${name.replace(/\W+/g, '_')}`, async () => {
      const r = await view(make());
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(message);
      expect(textOf(r)).toContain('Hint:');
      const next = await view(good());
      expect(next.isError, textOf(next)).toBeFalsy();
    });
  }

  it.skipIf(process.getuid?.() === 0)('refuses_a_file_without_read_permission', async () => {
    const f = write('secret.csv', CSV);
    fs.chmodSync(f, 0o000);
    const r = await view(f);
    expect(r.isError).toBe(true);
    expect(textOf(r)).toContain('Permission denied');
  });
  if (process.getuid?.() === 0) console.log('skipped refuses_a_file_without_read_permission: tests run as root, which reads any file');

  it('handles a header only csv as zero rows', async () => {
    const r = await view(write('header.csv', 'a,b,c\n'));
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(textOf(r)).toContain('0 rows × 3 columns');
    expect(textOf(r)).toContain('no data rows');
  });

  it('handles unicode and spaces in the path and a symlink', async () => {
    const f = write('dossier données/naïve file ☃.csv', CSV);
    const r = await view(f);
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(textOf(r)).toContain('naïve file ☃.csv — 4 rows');
    const link = path.join(dataDir, 'link.csv');
    fs.symlinkSync(f, link);
    const r2 = await view(link);
    expect(r2.isError, textOf(r2)).toBeFalsy();
    expect(r2.structuredContent!.rows).toBe(4);
  });

  it('handles 5000 columns listing 50 and counting the rest', async () => {
    const header = Array.from({ length: 5000 }, (_, i) => `c${i}`).join(',');
    const row = Array.from({ length: 5000 }, (_, i) => String(i)).join(',');
    const r = await view(write('wide.csv', `${header}\n${row}\n${row}\n`));
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(r.structuredContent!.columns_total).toBe(5000);
    expect(r.structuredContent!.columns).toHaveLength(50);
    expect(textOf(r)).toContain('… and 4,950 more columns');
    const w = await rowsApi(sessionOf(r), 'limit=1');
    expect((w.body.rows as unknown[][])[0]).toHaveLength(5000);
  });
});

describe('buckaroo-table view <file>', () => {
  it('handles a file from the shell and prints the url', () => {
    // Same home and port as the MCP client above: the CLI reuses that server.
    const file = write('cli.csv', CSV);
    const r = spawnSync(BINARY, ['view', file, '--no-browser'], { env: testEnv(home, { BUCKAROO_PORT: String(port) }), encoding: 'utf8', timeout: 30_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('cli.csv: 4 rows × 4 columns');
    expect(r.stdout).toMatch(new RegExp(`http://127\\.0\\.0\\.1:${port}/s/[A-Za-z0-9_-]+`));
    expect(r.stdout).toContain('browser: skipped');
  });

  it("refuses a missing file with the server's message and exit 1", () => {
    const r = spawnSync(BINARY, ['view', 'nope.csv'], { env: testEnv(home, { BUCKAROO_PORT: String(port) }), encoding: 'utf8', timeout: 30_000, cwd: dataDir });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`File not found: ${path.join(fs.realpathSync(dataDir), 'nope.csv')}`);
  });
});

describe('buckaroo_diagnostics after view_data', () => {
  it('lists the last calls, newest first, with what happened to the server and how each ended', async () => {
    const ok = write('activity.csv', CSV);
    expect((await view(ok)).isError).toBeFalsy();
    const missing = path.join(dataDir, 'no-such-file.csv');
    expect((await view(missing)).isError).toBe(true);
    const state = readState(home, port);
    const text = textOf((await client.callTool({ name: 'buckaroo_diagnostics', arguments: {} })) as ToolResult);
    const lines = text.split('\n');
    const head = lines.indexOf('Recent view_data calls from this MCP process (newest first):');
    expect(head).toBeGreaterThan(-1);
    expect(lines[head + 1]).toMatch(new RegExp(`^- \\d+ s ago: ${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: failed`));
    expect(lines[head + 2]).toContain(`${ok}: 4 rows × 4 columns; Reused data server `);
    expect(lines[head + 2]).toContain(`Reused data server ${state.version} (pid ${state.pid}) on port ${port}`);
    expect(lines.slice(head + 1).filter((l) => l.startsWith('- ')).length).toBeLessThanOrEqual(5);
  });
});
