// How DuckDB values travel as JSON without losing anything. A cell is null, a boolean, a JSON number (only
// when the number is exact in a double), a string, an array (LIST/ARRAY) or an object (STRUCT). The string
// form carries what JSON numbers cannot: BIGINT/HUGEINT beyond 2^53, DECIMAL ("12.50"), NaN/±Infinity,
// dates, times, timestamps, intervals, UUIDs, and blobs (DuckDB's escaped form, e.g. "\x00\xFF").

import type { DuckDBValueConverter, DuckDBType, Json } from '@duckdb/node-api';
import type { DuckDBApi } from './duckdb.ts';

/** An integer JSON can carry exactly, else its decimal string. */
export function exactInteger(v: bigint | number): number | string {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? v : String(v);
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
}

/** A float as a JSON number, or "NaN" / "Infinity" / "-Infinity". */
export function exactFloat(v: number): number | string {
  return Number.isFinite(v) ? v : String(v);
}

export function createValueConverter(api: DuckDBApi): DuckDBValueConverter<Json> {
  const T = api.DuckDBTypeId;
  const base = api.JsonDuckDBValueConverter;
  const convert: DuckDBValueConverter<Json> = (value, type: DuckDBType, _self) => {
    if (value === null || value === undefined) return null;
    switch (type.typeId) {
      case T.BIGINT:
      case T.UBIGINT:
      case T.HUGEINT:
      case T.UHUGEINT:
        return typeof value === 'bigint' || typeof value === 'number' ? exactInteger(value) : String(value);
      case T.FLOAT:
      case T.DOUBLE:
        return typeof value === 'number' ? exactFloat(value) : String(value);
      case T.INTERVAL:
      case T.BIGNUM:
        return String(value);
      default:
        // Nested types recurse through `convert`, so their members get the same treatment.
        return base(value, type, convert);
    }
  };
  return convert;
}
