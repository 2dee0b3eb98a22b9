// engine/frequencies.ts on a real in-process DuckDB: a column's frequencies (distinct count, values seen once,
// the top values with ties in value order) equal a plain group-by's, whether the column is proven to hold each
// value once by its order (rising, falling, with nulls, string ids) or grouped (repeats, NaN, constants); above
// the sketch threshold the top values stay those, whether a sketch's candidates prove them or every value is counted.

import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import * as api from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { columnFrequencies, HEAD_ROWS, sketchCouldProve } from '../../src/engine/frequencies.ts';
import { CATEGORICAL_TOP } from '../../src/engine/histograms.ts';
import type { Dataset } from '../../src/engine/load.ts';
import { createValueConverter } from '../../src/engine/values.ts';

/** More rows than the head check reads, so the whole-column check runs too. */
const ROWS = HEAD_ROWS * 5;
const convert = createValueConverter(api);
let conn: DuckDBConnection;
const ds = { relation: 'bt_freq' } as Dataset;

const CASES: Record<string, string> = {
  rising: 'range',
  falling: `${ROWS} - range`,
  'rising with nulls': 'case when range % 3 = 0 then null else range end',
  'zero-padded string ids': "lpad(range::varchar, 8, '0')",
  'repeats after the head': `case when range < ${ROWS - 1} then range else 0 end`,
  categories: 'range % 10',
  'a few values, then a long tail': `case when range < ${ROWS / 2} then range % 5 else range end`,
  'strings with ties': "(range * 7919 % 1000)::varchar",
  'one NaN': "case when range = 5 then 'nan'::double else range::double end",
  'repeated NaN': "case when range < 3 then 'nan'::double else range::double end",
  constant: '7',
  'all null': 'null::int',
  decimals: '(range * 13.37 % 10000)::decimal(10,2)',
};

beforeAll(async () => {
  conn = await (await DuckDBInstance.create(':memory:')).connect();
  const cols = Object.values(CASES).map((sql, k) => `${sql} as c${k}`);
  await conn.run(`create table bt_freq as select ${cols.join(', ')} from range(${ROWS})`);
});

/** What the plain group-by says: distinct count, values seen once, the top values by count then value. */
async function groupBy(q: string): Promise<{ distinct: number; uniqueRows: number; top: { value: unknown; count: number }[] }> {
  const r = await conn.runAndReadAll(
    `with f as (select ${q} as v, count(*)::int as n from bt_freq where ${q} is not null group by all)
     select (select count(*)::int from f), (select count(*) filter (where n = 1)::int from f), (select list({value: v, count: n} order by n desc, v)[1:${CATEGORICAL_TOP}] from f)`,
  );
  const [d, u, top] = r.convertRows(convert)[0]!;
  return { distinct: Number(d), uniqueRows: Number(u), top: (top ?? []) as { value: unknown; count: number }[] };
}

describe('columnFrequencies', () => {
  Object.keys(CASES).forEach((name, k) => {
    it(`equals a plain group-by for ${name}`, async () => {
      expect(await columnFrequencies(conn, ds, `c${k}`, false, convert)).toEqual(await groupBy(`c${k}`));
    });
  });
  Object.keys(CASES).forEach((name, k) => {
    it(`shows the true top values for ${name} above the sketch threshold, with an exact distinct count or none`, async () => {
      const exact = await groupBy(`c${k}`);
      const f = await columnFrequencies(conn, ds, `c${k}`, true, convert);
      expect(f.top).toEqual(exact.top);
      if (f.distinct !== null) expect(f).toEqual(exact);
    });
  });
  it('gives a column proven to hold each value once an exact distinct count above the sketch threshold too', async () => {
    const exact = await groupBy('c0');
    expect(await columnFrequencies(conn, ds, 'c0', true, convert)).toEqual(exact);
    expect(exact.distinct).toBe(ROWS);
  });
});

describe('sketchCouldProve', () => {
  it('holds when the candidates are every value, or the 7th outnumbers every row left', () => {
    expect(sketchCouldProve([5, 3], 8)).toBe(true);
    expect(sketchCouldProve([50, 40, 30, 20, 10, 9, 8, 1], 170)).toBe(true);
  });
  it('refuses when a value outside the candidates could tie or beat the 7th', () => {
    expect(sketchCouldProve([50, 40, 30, 20, 10, 9, 8], 176)).toBe(false);
    expect(sketchCouldProve([1, 1, 1, 1, 1, 1, 1], 2_048)).toBe(false);
    expect(sketchCouldProve([5, 3], 9)).toBe(false);
  });
});
