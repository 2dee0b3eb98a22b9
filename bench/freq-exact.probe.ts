// Probe (not a bench, issue 20): columnFrequencies against a plain group-by on edge cases (monotone, NaN, nulls,
// ties). node bench/freq-exact.probe.ts prints OK or the difference per column, and its time.
import { DuckDBInstance } from '@duckdb/node-api';
import { columnFrequencies } from '../src/engine/frequencies.ts';
import { createValueConverter } from '../src/engine/values.ts';
const api = await import('@duckdb/node-api');
const c = await (await DuckDBInstance.create(':memory:', { threads: '2' })).connect();
const convert = createValueConverter(api);
await c.run(`create table t as select range as id, 1000000 - range as down, case when range % 3 = 0 then null else range end as idnull,
  range % 10 as cat, (range * 7919 % 100000)::varchar as s, lpad(range::varchar, 8, '0') as sid, case when range = 5 then 'nan'::double else range::double end as fnan,
  case when range < 3 then 'nan'::double else range::double end as fnan2, 7 as konst, null::int as allnull, (range * 13.37 % 10000)::decimal(10,2) as amount,
  date '2024-01-01' + (range % 365)::int as day from range(200000)`);
const ds = { relation: 't' } as never;
const truth = async (q: string) => {
  const r = await c.runAndReadAll(`with f as (select ${q} as v, count(*) as n from t where ${q} is not null group by all) select (select count(*) from f), (select count(*) filter (where n=1) from f), list({value: v, count: n} order by n desc, v) [1:7] from f`);
  return JSON.stringify(r.convertRows(convert)[0]);
};
for (const q of ['id', 'down', 'idnull', 'cat', 's', 'sid', 'fnan', 'fnan2', 'konst', 'allnull', 'amount', 'day']) {
  const t0 = performance.now();
  const f = await columnFrequencies(c, ds, q, false, convert);
  const ms = performance.now() - t0;
  const mine = JSON.stringify([f.distinct, f.uniqueRows, f.top]);
  const tr = await truth(q);
  console.log(q.padEnd(8), ms.toFixed(0).padStart(5), 'ms', mine === tr || (f.distinct === 0 && tr.startsWith('[0,0,')) ? 'OK' : `DIFF\n  mine ${mine}\n  true ${tr}`);
}
