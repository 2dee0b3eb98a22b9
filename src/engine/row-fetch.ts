// Fetches a window's rows from a dataset by their row numbers (a sorted or searched window knows its numbers
// first). Written as `row = any([…])`, DuckDB plans a semi join and pushes the numbers into the scan as an IN
// filter, so only the vectors holding them are read; `row in (…)` or a join read every row of the dataset
// (100 rows of a 5 M-row table: 75–85 ms against ~4 ms; 20 M rows: ~166 ms). The filter is only made for up
// to `dynamic_or_filter_threshold` numbers (DuckDB's default 50; engineSettings raises it to ROW_FETCH_FILTER_MAX).

import type { DuckDBConnection, DuckDBValueConverter, Json } from '@duckdb/node-api';

/** Window rows DuckDB pushes into the scan as an IN filter (its `dynamic_or_filter_threshold`). */
export const ROW_FETCH_FILTER_MAX = 1_000;

export interface FetchedRows {
  rows: Json[][];
  /** Each row's 0-based position in the file. */
  row_numbers: number[];
}

/** The rows numbered `wanted`, in that order; `selectList` ends with the row number (see readRows). */
export async function fetchRowsByNumber(
  conn: DuckDBConnection,
  from: { relation: string; rowExpr: string; selectList: string },
  wanted: readonly number[],
  convert: DuckDBValueConverter<Json>,
): Promise<FetchedRows> {
  if (wanted.length === 0) return { rows: [], row_numbers: [] };
  const list = wanted.map(sqlInteger).join(', ');
  const got = await readRows(conn, `select ${from.selectList} from ${from.relation} t where t.${from.rowExpr} = any([${list}])`, [], convert);
  return inOrder(got, wanted);
}

/** Row numbers from one of our own queries, as one column of BIGINTs. */
export async function readNumbers(conn: DuckDBConnection, sql: string, params: bigint[] = []): Promise<number[]> {
  const r = await conn.runAndReadAll(sql, params);
  return r.getRows().map((row) => Number(row[0]));
}

/** A row number from our own tables, as SQL text. */
export function sqlInteger(n: number): string {
  if (!Number.isSafeInteger(n)) throw new Error(`not a row number: ${n}`);
  return String(n);
}

/** Puts rows fetched by number back into the window's order. */
export function inOrder(got: FetchedRows, wanted: readonly number[]): FetchedRows {
  const byNumber = new Map(got.row_numbers.map((n, i) => [n, got.rows[i]!]));
  const rows: Json[][] = [];
  const rowNumbers: number[] = [];
  for (const n of wanted) {
    const r = byNumber.get(n);
    if (r) {
      rows.push(r);
      rowNumbers.push(n);
    }
  }
  return { rows, row_numbers: rowNumbers };
}

/** Runs `sql`, whose last column is the row number, and converts the cells for JSON. */
export async function readRows(conn: DuckDBConnection, sql: string, params: number[], convert: DuckDBValueConverter<Json>): Promise<FetchedRows> {
  const r = params.length > 0 ? await conn.runAndReadAll(sql, params.map((n) => BigInt(n))) : await conn.runAndReadAll(sql);
  const converted = r.convertRows(convert);
  const rows: Json[][] = [];
  const rowNumbers: number[] = [];
  for (const cells of converted) {
    rowNumbers.push(Number(cells.pop()));
    rows.push(cells);
  }
  return { rows, row_numbers: rowNumbers };
}
