import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { previewPlan, readPreview } from '../../src/engine/preview.ts';
import { createValueConverter } from '../../src/engine/values.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bt-preview-'));
const file = (name: string, content: string | Buffer): string => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
};

describe('which files get a preview', () => {
  it('previews delimited UTF-8 text with the load reader, limited', async () => {
    const plan = await previewPlan(file('a.csv', 'a,b\n1,2\n'));
    expect(plan).toMatchObject({ format: 'csv' });
    expect('sql' in plan && plan.sql).toMatch(/^select \* from read_csv\(.*\) limit 200$/);
  });

  it('never parses JSON in the server (it is read in a child process)', async () => {
    expect(await previewPlan(file('a.json', '[{"a": 1}]'))).toEqual({ none: 'format' });
    expect(await previewPlan(file('a.ndjson', '{"a": 1}\n'))).toEqual({ none: 'format' });
  });

  it('leaves text in other encodings to the full load, which decodes it first', async () => {
    expect(await previewPlan(file('w.csv', Buffer.from('name\ncaf\xe9 \x80\n', 'latin1')))).toEqual({ none: 'encoding' });
  });
});

describe('the head read', () => {
  it('reads the first rows with small buffers, and a line longer than those buffers with the full load limits', async () => {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const api = await import('@duckdb/node-api');
    const conn = await (await DuckDBInstance.create(':memory:')).connect();
    const convert = createValueConverter(api);
    const small = await previewPlan(file('s.csv', 'a,b\n1,x\n2,y\n'));
    if ('none' in small) throw new Error('no plan');
    expect((await readPreview(conn, small, 's.csv', convert)).rows).toEqual([[1, 'x'], [2, 'y']]);
    const long = 'z'.repeat(5 * 1024 * 1024);
    const wide = await previewPlan(file('w.csv', `a,b\n1,${long}\n2,y\n`));
    if ('none' in wide) throw new Error('no plan');
    const p = await readPreview(conn, wide, 'w.csv', convert);
    expect(p.rows.map((r) => [r[0], String(r[1]).length])).toEqual([[1, long.length], [2, 1]]);
  });
});
