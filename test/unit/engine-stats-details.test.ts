// engine/stats-details.ts on a real in-process DuckDB: the numeric histograms' counts, bin by bin and in the
// tails, equal those of the query they replaced (every row's bin indices unnested into one group-by), for
// NULLs, NaN, ±Inf, a constant column and a column with no value, with exact and with t-digest quartiles.

import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import * as api from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { binEdges, binIndexSql } from '../../src/engine/histograms.ts';
import type { Dataset } from '../../src/engine/load.ts';
import { computeDetails } from '../../src/engine/stats-details.ts';
import { APPROX_QUANTILES_ABOVE_ROWS, planSummary } from '../../src/engine/stats-plan.ts';
import { computeSummaries } from '../../src/engine/stats-summary.ts';
import { createValueConverter } from '../../src/engine/values.ts';

let instance: DuckDBInstance;
let conn: DuckDBConnection;
const engine = { withConnection: async <T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> => fn(await instance.connect()) };

const COLUMNS = [
  { name: 'i', dtype: 'BIGINT' },
  { name: 'd', dtype: 'DOUBLE' },
  { name: 'k', dtype: 'INTEGER' },
  { name: 'none', dtype: 'DOUBLE' },
  { name: 'm', dtype: 'DECIMAL(10,2)' },
  { name: 's', dtype: 'VARCHAR' },
];

async function table(id: number, rows: number): Promise<Dataset> {
  await conn.run(`create table bt_ds_${id} as select
      case when range % 13 = 0 then null else range * 7 % 1000 end::bigint as i,
      case when range % 11 = 0 then 'nan'::double when range % 97 = 0 then 'inf'::double when range % 89 = 0 then '-inf'::double
           when range % 7 = 0 then null else ln(range + 1) * 100 end as d,
      5::integer as k, null::double as none, (range % 300 / 3)::decimal(10,2) as m, 'x' || range % 5 as s
    from range(${rows})`);
  return { id, path: `/d/${id}.csv`, format: 'csv', gzip: false, encoding: 'UTF-8', relation: `"bt_ds_${id}"`, rowExpr: 'rowid', kind: 'table', columns: COLUMNS, rows, bytes: 1, loadMs: 1, loadedAt: '' };
}

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  conn = await instance.connect();
});

describe('numeric histograms', () => {
  it.each([500, APPROX_QUANTILES_ABOVE_ROWS + 20_000])('count the same bins as unnest + group by at %i rows', async (rows) => {
    const ds = await table(rows, rows);
    const convert = createValueConverter(api);
    const plan = planSummary(ds.rows, ds.columns);
    const stats = await computeDetails(engine, ds, plan, await computeSummaries(engine, ds, plan, convert), convert);
    let checked = 0;
    for (const [k, c] of COLUMNS.entries()) {
      const s = stats[k]!;
      if (c.dtype === 'VARCHAR') {
        expect(s.histogram?.kind).toBe('categorical');
        continue;
      }
      const h = s.histogram;
      if (c.name === 'none') {
        expect(h).toBeNull();
        continue;
      }
      if (h?.kind !== 'numeric') throw new Error(`column ${c.name}: no numeric histogram`);
      const edges = binEdges(h.bins[0]!.lo, h.bins.at(-1)!.hi);
      const q = `"${c.name}"::double`;
      const old = await conn.runAndReadAll(`select b, count(*) from (select unnest([${binIndexSql(q, edges)}]) as b from ${ds.relation}) where b is not null group by all`);
      const byBin = new Map(old.getRows().map(([b, n]) => [Number(b), Number(n)]));
      const nb = edges.length - 1;
      expect(h.bins.map((b) => b.count)).toEqual(Array.from({ length: nb }, (_, b) => byBin.get(b) ?? 0));
      expect([h.low_tail, h.high_tail, h.nulls]).toEqual([byBin.get(-1) ?? 0, byBin.get(nb) ?? 0, s.nulls]);
      checked++;
    }
    expect(checked).toBe(4); // i, d, k (one bin: a constant) and m
  });
});
