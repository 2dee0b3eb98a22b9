// Quoting for the few places SQL text must carry a name or a path (DuckDB table functions and DDL take no
// bound parameters). Every value a request carries (search text, offsets) is bound as a parameter instead.

/** A DuckDB identifier: double quotes, embedded quotes doubled. Safe for any column name a file can hold. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A DuckDB string literal: single quotes, embedded quotes doubled; NUL cannot occur in a path. */
export function quoteString(value: string): string {
  if (value.includes('\0')) throw new Error('a NUL character cannot appear in a DuckDB string literal');
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * A path DuckDB's readers take literally. They glob every path they are given (`g[1].csv` would read `g1.csv`,
 * `star*.csv` every match); a one-character class matches only that character, so `*` `?` `[` become
 * `[*]` `[?]` `[[]`. Braces and `]` alone are not special to DuckDB's glob (checked on 1.5.6).
 */
export function literalPath(file: string): string {
  return file.replace(/[*?[]/g, (c) => `[${c}]`);
}
