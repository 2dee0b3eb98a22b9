// The stats' second phase, what only the page shows: quartiles (unless the summary's scan had them) and the
// histograms, numeric ones binned in one more scan for every numeric column of the batch.

import type { DuckDBValueConverter, Json } from '@duckdb/node-api';
import type { ColumnStats, Histogram } from '../contract/data-api.ts';
import type { Engine } from './duckdb.ts';
import { binEdges, binIndexSql, categoricalHistogram, numericHistogram } from './histograms.ts';
import type { Dataset } from './load.ts';
import type { SummaryPlan } from './stats-plan.ts';
import { countOf, quantileSql, type SummaryPart } from './stats-summary.ts';

/** Phase 2 of a batch, on one connection, from the batch's first phase. */
export async function computeDetails(engine: Engine, ds: Dataset, plan: SummaryPlan, parts: SummaryPart[], convert: DuckDBValueConverter<Json>): Promise<ColumnStats[]> {
  const cols = plan.columns;
  return engine.withConnection(async (conn) => {
    const quantiles = parts.map((p) => p.quantiles ?? null);
    const pending = cols.flatMap((c, k) => (c.numeric && parts[k]!.quantiles === undefined ? [k] : []));
    if (pending.length > 0) {
      const r = await conn.runAndReadAll(`select ${pending.map((k) => quantileSql(cols[k]!, plan.quantilesApprox)).join(', ')} from ${ds.relation}`);
      const row = r.convertRows(convert)[0] ?? [];
      pending.forEach((k, j) => (quantiles[k] = row[j] ?? null));
    }

    // Histogram bins of the numeric columns, one more scan for all of them: each row yields one bin index per
    // column (unnested in lockstep with the column's position), then a single group-by counts them.
    const edgesByK = new Map<number, number[]>();
    const binned: { k: number; expr: string }[] = [];
    cols.forEach((c, k) => {
      const q = quantiles[k];
      if (!c.numeric || !Array.isArray(q) || typeof q[0] !== 'number' || typeof q[4] !== 'number') return;
      const edges = binEdges(q[0], q[4]);
      edgesByK.set(k, edges);
      binned.push({ k, expr: binIndexSql(`${c.q}::double`, edges) });
    });
    const binCounts = new Map<number, Map<number, number>>(binned.map((b) => [b.k, new Map()]));
    if (binned.length > 0) {
      const r2 = await conn.runAndReadAll(
        `select k, b, count(*) as n from (select unnest([${binned.map((b) => b.expr).join(', ')}]) as b, unnest(range(${binned.length})) as k from ${ds.relation}) where b is not null group by all`,
      );
      for (const [k, b, n] of r2.getRows()) binCounts.get(binned[Number(k)]!.k)!.set(Number(b), countOf(n));
    }

    return cols.map((c, k) => {
      const { summary: s, freq, mean, std } = parts[k]!;
      const q = quantiles[k];
      const quart = (i: number): Json => (Array.isArray(q) ? (q[i] ?? null) : null);
      let histogram: Histogram | null = null;
      const edges = edgesByK.get(k);
      if (edges) {
        const byBin = binCounts.get(k)!;
        const nb = edges.length - 1;
        const counts = Array.from({ length: nb }, (_, b) => byBin.get(b) ?? 0);
        histogram = numericHistogram(edges, counts, byBin.get(-1) ?? 0, byBin.get(nb) ?? 0, s.nulls);
      } else if (!c.numeric && !c.nested) {
        histogram = categoricalHistogram(freq.top, s.non_null, freq.uniqueRows, s.nulls);
      }
      return {
        name: s.name,
        dtype: s.dtype,
        non_null: s.non_null,
        nulls: s.nulls,
        distinct: s.distinct,
        distinct_approx: s.distinct_approx,
        quantiles_approx: plan.quantilesApprox && c.numeric,
        min: s.min,
        max: s.max,
        mean,
        std,
        q25: quart(1),
        median: quart(2),
        q75: quart(3),
        top: s.top,
        histogram,
      };
    });
  });
}
