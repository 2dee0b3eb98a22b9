// Generated data files for tests and benchmarks: written by DuckDB itself (fast, deterministic), so nothing
// large is checked in. The 1 M-row × 6-column CSV is ~50 MB.

import type { DuckDBConnection } from '@duckdb/node-api';

const CITIES = ['Paris', 'Berlin', 'Tokyo', 'Lima', 'Oslo', 'Cairo', 'Quito', 'Delhi', 'Rome', 'Austin'];

/** id BIGINT, name VARCHAR, city VARCHAR, score DOUBLE (ties!), amount DOUBLE, day DATE. */
export function syntheticSelect(rows: number): string {
  const cities = `[${CITIES.map((c) => `'${c}'`).join(', ')}]`;
  return `select range as id, 'customer_' || (range * 7919 % 100000) as name, ${cities}[range % 10 + 1] as city,
    (range * 37 % 1000) / 10 as score, round((range * 13.37) % 10000, 2) as amount, date '2024-01-01' + (range % 365)::int as day
    from range(${Math.trunc(rows)})`;
}

export async function writeSyntheticCsv(db: DuckDBConnection, file: string, rows: number): Promise<void> {
  await db.run(`copy (${syntheticSelect(rows)}) to '${file.replaceAll("'", "''")}' (header, delimiter ',')`);
}

export async function writeSyntheticParquet(db: DuckDBConnection, file: string, rows: number): Promise<void> {
  await db.run(`copy (${syntheticSelect(rows)}) to '${file.replaceAll("'", "''")}' (format parquet)`);
}

/** A wider row (adds a 32-character hash) for the file-larger-than-memory test: ~80 bytes a row. */
export async function writeWideCsv(db: DuckDBConnection, file: string, rows: number): Promise<void> {
  await db.run(
    `copy (select *, md5(id::varchar) as h from (${syntheticSelect(rows)})) to '${file.replaceAll("'", "''")}' (header, delimiter ',')`,
  );
}
