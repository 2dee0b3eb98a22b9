// What kind of value a DuckDB column holds, from its type name: the one rule the engine (which statistics to
// compute, which columns a search reads), the agent's text (range or top value) and the page (alignment,
// highlighting) all follow. Pure and free of dependencies, so the page bundle can use it.

export type DtypeFamily = 'integer' | 'float' | 'decimal' | 'temporal' | 'text' | 'nested' | 'other';

const NESTED = /\[\]$|\[\d+\]$|^(STRUCT|MAP|UNION|VARIANT)/i;
const INTEGER = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/i;
/** DuckDB reports REAL as FLOAT; the alias is kept for a type name written by hand. */
const FLOAT = /^(FLOAT|DOUBLE|REAL)$/i;
const DECIMAL = /^DECIMAL(\(\d+,\s*\d+\))?$/i;
/** DATE, TIME, TIMESTAMP and their variants (TIMESTAMP_NS, TIMESTAMP WITH TIME ZONE, TIME WITH TIME ZONE…). */
const TEMPORAL = /^(DATE|TIME)/i;
const TEXT = /^VARCHAR$/i;

export function dtypeFamily(dtype: string): DtypeFamily {
  // Nested first: "INTEGER[]" is a list, not a number.
  if (NESTED.test(dtype)) return 'nested';
  if (INTEGER.test(dtype)) return 'integer';
  if (FLOAT.test(dtype)) return 'float';
  if (DECIMAL.test(dtype)) return 'decimal';
  if (TEMPORAL.test(dtype)) return 'temporal';
  if (TEXT.test(dtype)) return 'text';
  return 'other';
}

/** Numbers get moments, quartiles and a binned histogram, and are right-aligned on the page. */
export function isNumericType(dtype: string): boolean {
  const f = dtypeFamily(dtype);
  return f === 'integer' || f === 'float' || f === 'decimal';
}

/** Only text columns are searched (and highlighted on the page). */
export function isTextType(dtype: string): boolean {
  return dtypeFamily(dtype) === 'text';
}

/** Nested values (lists, structs, maps) get counts only: ordering and grouping them says little. */
export function isNestedType(dtype: string): boolean {
  return dtypeFamily(dtype) === 'nested';
}

/** Values whose min … max reads as a range (numbers, dates, times), rather than as a most frequent value. */
export function hasOrderedRange(dtype: string): boolean {
  return isNumericType(dtype) || dtypeFamily(dtype) === 'temporal';
}
