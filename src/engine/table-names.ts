// The SQL name a loaded file answers to in query_data: `sales.csv` → `sales`. Pure, so the rule is tested on its
// own; the engine hands in DuckDB's reserved words (duckdb_keywords()) rather than a copy of the list.

import path from 'node:path';

/** Compression suffixes dropped before the data extension (`sales.csv.gz` → `sales`). */
const COMPRESSION_EXTENSIONS = new Set(['.gz', '.gzip']);
/** Our own DuckDB objects start with this: a file named like them gets a prefix, so messages never mix them up. */
const INTERNAL_PREFIX = 'bt_';
/** Names longer than this are cut (DuckDB takes longer ones; the agent reads them in every answer). */
const MAX_TABLE_NAME_CHARS = 60;

/**
 * A lower-case identifier that needs no quoting: letters, digits and `_`, not starting with a digit, not a
 * reserved word, not one of our internal names. `taken` maps names already used to the file holding them; the
 * same file keeps its name, another file with the same stem gets `_2`, `_3`…
 */
export function tableNameFor(file: string, taken: ReadonlyMap<string, string>, reserved: ReadonlySet<string>): string {
  for (const [name, holder] of taken) if (holder === file) return name;
  let base = path.basename(file);
  const ext = path.extname(base).toLowerCase();
  if (COMPRESSION_EXTENSIONS.has(ext)) base = base.slice(0, -ext.length);
  base = base.slice(0, base.length - path.extname(base).length) || base;
  let name = base
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // é → e: accents dropped, the letter kept
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, MAX_TABLE_NAME_CHARS);
  if (name === '') name = 'data';
  if (/^[0-9]/.test(name) || name.startsWith(INTERNAL_PREFIX) || name.startsWith('_')) name = `t_${name}`;
  if (reserved.has(name)) name = `${name}_data`;
  if (!taken.has(name)) return name;
  for (let i = 2; ; i++) if (!taken.has(`${name}_${i}`)) return `${name}_${i}`;
}
