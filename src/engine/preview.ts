// The first rows of a file while its full load runs (a 5 M-row CSV takes seconds to load; its head takes
// milliseconds). Read by DuckDB from the head of the file with the reader the full load starts with (same
// dialect sniffing, same line limits), so what the page shows first is what it will show when the load ends,
// apart from refinements made after the whole file is in (null markers, decimal commas, integers beyond BIGINT:
// see refine-types.ts) — which is why a preview is always labelled as one.
//
// Only delimited text read in place: JSON is read in a child process for crash isolation (json-isolate.ts)
// and must not be parsed here; other encodings are read from a UTF-8 copy that exists only once decoded;
// Parquet is queried in place and ready almost at once.

import type { DuckDBConnection, DuckDBValueConverter, Json } from '@duckdb/node-api';
import type { ColumnMeta } from '../contract/data-api.ts';
import { needsDecoding } from './encoding.ts';
import { scrubInternalNames, translateLoadError } from './errors.ts';
import { detectFormat, readHead, type DataFormat } from './formats.ts';
import { readerSql } from './load.ts';

/** Rows a preview shows: the page's first screen and then some. */
export const PREVIEW_ROWS = 200;

export interface Preview {
  columns: ColumnMeta[];
  /** Encoded as the rows API encodes them (values.ts). */
  rows: Json[][];
}

/** Why a file gets no preview, or undefined when it can have one. */
export type NoPreview = 'format' | 'encoding';

/** What previewFile reads, decided from the file's head alone; the reason when it cannot preview. */
export interface PreviewPlan {
  /** The head read with small buffers; `fullSql` the same with the full load's line limits, for a longer line. */
  sql: string;
  fullSql: string;
  format: DataFormat;
}

export async function previewPlan(file: string): Promise<PreviewPlan | { none: NoPreview }> {
  const head = await readHead(file);
  const { format, gzip, encoding } = detectFormat(file, head.raw, head.head, head.truncated);
  if (format !== 'csv' && format !== 'tsv') return { none: 'format' };
  if (needsDecoding(encoding)) return { none: 'encoding' };
  const headSql = (opts: { head: boolean }): string => `select * from ${readerSql(file, format, gzip, { serial: true, ...opts })} limit ${PREVIEW_ROWS}`;
  return { sql: headSql({ head: true }), fullSql: headSql({ head: false }), format };
}

/** Runs a plan's query: DuckDB stops reading once it has the rows. Errors read as the load's would. */
export async function readPreview(conn: DuckDBConnection, plan: PreviewPlan, file: string, convert: DuckDBValueConverter<Json>): Promise<Preview> {
  let r;
  try {
    r = await conn.runAndReadAll(plan.sql).catch(() => conn.runAndReadAll(plan.fullSql));
  } catch (err) {
    throw translateLoadError(scrubInternalNames((err as Error).message, file, file), plan.format, file);
  }
  const names = r.columnNames();
  const types = r.columnTypes();
  return { columns: names.map((name, i) => ({ name, dtype: String(types[i]) })), rows: r.convertRows(convert) };
}
