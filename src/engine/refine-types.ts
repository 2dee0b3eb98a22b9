// Second looks at columns DuckDB's sniffer typed worse than pandas would: null markers (`NA`, `N/A`, `-`…)
// that leave an otherwise numeric or date column as text, European decimal commas (`3,14` in a `;` file), and
// integers beyond BIGINT that the sniffer reads as DOUBLE (rounded). Each fix is checked on every row: a
// column that does not convert whole keeps its text, never a half-converted guess.

import type { DuckDBConnection } from '@duckdb/node-api';
import { CSV_LINE_OPTIONS } from './limits.ts';
import type { ColumnInfo } from './load.ts';
import { literalPath, quoteIdent, quoteString } from './sql.ts';

/** pandas' default na_values that occur in real files (read_csv's `na_values`), and the empty field. */
export const NULL_MARKERS = ['', 'NA', 'N/A', 'n/a', 'NaN', 'nan', 'null', 'NULL', 'None', '-', '#N/A', '<NA>'] as const;

/** |x| ≥ 2^63 does not fit BIGINT: a DOUBLE column holding such a value may hold a rounded integer. */
const BIGINT_LIMIT = 2 ** 63;

/** Rows DuckDB's sniffer samples by default (sample_size): a marker first seen later is not looked for. */
const SNIFF_ROWS = 20_480;

const markerList = `[${NULL_MARKERS.map(quoteString).join(', ')}]`;
const markerSet = `(${NULL_MARKERS.map(quoteString).join(', ')})`;

interface Sniffed {
  delimiter: string;
  types: Map<string, string>;
  dateFormat: string | null;
  timestampFormat: string | null;
  decimalComma: boolean;
}

async function sniff(conn: DuckDBConnection, file: string, extra: string): Promise<Sniffed | undefined> {
  try {
    const r = await conn.runAndReadAll(
      `select Delimiter, Columns, DateFormat, TimestampFormat from sniff_csv(${quoteString(literalPath(file))}, skip=0, ${CSV_LINE_OPTIONS}, nullstr=${markerList}${extra})`,
    );
    const row = r.getRowObjectsJson()[0];
    if (!row) return undefined;
    const columns = row.Columns as { name: string; type: string }[];
    return {
      delimiter: String(row.Delimiter),
      types: new Map(columns.map((c) => [c.name, c.type])),
      dateFormat: row.DateFormat === null ? null : String(row.DateFormat),
      timestampFormat: row.TimestampFormat === null ? null : String(row.TimestampFormat),
      decimalComma: extra !== '',
    };
  } catch {
    return undefined; // a sniff that fails here changes nothing: the table as loaded stands
  }
}

const isTyped = (t: string | undefined): t is string => t !== undefined && t !== 'VARCHAR';

/** The expression that turns text column `c` into `type`, markers into NULL. */
function conversion(c: string, type: string, s: Sniffed): string {
  const v = `nullif(trim(${c}), '')`;
  const body =
    type === 'DATE' && s.dateFormat
      ? `strptime(${v}, ${quoteString(s.dateFormat)})::DATE`
      : /^TIMESTAMP/.test(type) && s.timestampFormat
        ? `strptime(${v}, ${quoteString(s.timestampFormat)})::${type}`
        : s.decimalComma && /^(DOUBLE|FLOAT|DECIMAL)/.test(type)
          ? `replace(${v}, ',', '.')::${type}`
          : `${v}::${type}`;
  return `case when trim(${c}) in ${markerSet} then null else ${body} end`;
}

/**
 * Text columns of a loaded CSV that are numbers or dates once null markers (and, in a file not separated by
 * commas, decimal commas) are read as pandas reads them: converted in place. Answers the new column types.
 */
export async function refineTextColumns(
  conn: DuckDBConnection,
  relation: string,
  source: { path: string; gzip: boolean },
  columns: ColumnInfo[],
  keepText: readonly string[] = [],
): Promise<ColumnInfo[]> {
  const { path: file, gzip } = source;
  const text = await columnsWithMarkers(conn, relation, columns.filter((c) => c.dtype === 'VARCHAR' && !keepText.includes(c.name)));
  if (text.length === 0) return columns;
  const compression = gzip ? ", compression='gzip'" : '';
  const plain = await sniff(conn, file, compression);
  if (!plain) return columns;
  let best = { ...plain, decimalComma: false };
  if (plain.delimiter !== ',') {
    const comma = await sniff(conn, file, `${compression}, decimal_separator=','`);
    const typedCount = (s: Sniffed): number => text.filter((c) => isTyped(s.types.get(c.name))).length;
    if (comma && typedCount(comma) > typedCount(best)) best = comma;
  }
  const out = columns.map((c) => ({ ...c }));
  for (const col of out) {
    const type = best.types.get(col.name);
    if (!text.some((t) => t.name === col.name) || !isTyped(type)) continue;
    const c = quoteIdent(col.name);
    try {
      await conn.run(`alter table ${relation} alter ${c} type ${type} using ${conversion(c, type, best)}`);
      col.dtype = type;
    } catch {
      // A value past the sniffer's sample is neither a marker nor a `type`: the column stays text, exactly.
    }
  }
  return out;
}

/**
 * The text columns worth a sniff: a null marker or a decimal comma among their first SNIFF_ROWS values. The
 * sniff reads the file again (seconds for a file with a 20 MB field); this reads a few KB of the table.
 */
async function columnsWithMarkers(conn: DuckDBConnection, relation: string, text: ColumnInfo[]): Promise<ColumnInfo[]> {
  if (text.length === 0) return [];
  // One UNPIVOT, not a bool_or per column: DuckDB plans 1,667 aggregates in one query in minutes (measured
  // 215 s on a busy 2-core machine for a 5,000-column file); the UNPIVOT takes 2 s there.
  const r = await conn.runAndReadAll(
    `select distinct name from (unpivot (select ${text.map((c) => quoteIdent(c.name)).join(', ')} from ${relation} limit ${SNIFF_ROWS}) on columns(*) into name name value v)
     where trim(v) in ${markerSet} or regexp_full_match(trim(v), '[+-]?[0-9.]*,[0-9]+')`,
  );
  const names = new Set(r.getRows().map((row) => String(row[0])));
  return text.filter((c) => names.has(c.name));
}

/** DOUBLE columns holding an integer-looking value beyond BIGINT (possibly rounded): re-read those as text. */
export async function roundedIntegerColumns(conn: DuckDBConnection, relation: string, columns: ColumnInfo[]): Promise<string[]> {
  const doubles = columns.filter((c) => c.dtype === 'DOUBLE');
  if (doubles.length === 0) return [];
  // A plain max(abs(x)) per column plans fast even for thousands of columns (0.8 s for 1,666, where a
  // bool_or with a condition took 65 s); NaN and ±Infinity sort above every number, so those few columns are
  // asked again about their finite values.
  const max = async (cols: ColumnInfo[], finiteOnly: boolean): Promise<unknown[]> => {
    const exprs = cols.map((c) => `max(abs(${quoteIdent(c.name)}))${finiteOnly ? ` filter (where isfinite(${quoteIdent(c.name)}))` : ''}`);
    return (await conn.runAndReadAll(`select ${exprs.join(', ')} from ${relation}`)).getRows()[0] ?? [];
  };
  const first = await max(doubles, false);
  const big = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && v >= BIGINT_LIMIT;
  const rounded = doubles.filter((_, i) => big(first[i]));
  const unsure = doubles.filter((_, i) => typeof first[i] === 'number' && !Number.isFinite(first[i]));
  if (unsure.length > 0) {
    const finite = await max(unsure, true);
    rounded.push(...unsure.filter((_, i) => big(finite[i])));
  }
  return rounded.map((c) => c.name);
}

/**
 * After a re-read that kept `names` as text: integer columns become HUGEINT (exact to 39 digits) or stay text
 * (longer), anything else (`1.5`, `1e30`) goes back to DOUBLE as the sniffer had it.
 */
export async function exactIntegerColumns(conn: DuckDBConnection, relation: string, names: string[], columns: ColumnInfo[]): Promise<ColumnInfo[]> {
  const out = columns.map((c) => ({ ...c }));
  for (const name of names) {
    const c = quoteIdent(name);
    const r = await conn.runAndReadAll(
      `select bool_and(regexp_full_match(trim(${c}), '[+-]?[0-9]+')), bool_and(try_cast(trim(${c}) as HUGEINT) is not null) from ${relation} where ${c} is not null`,
    );
    const [integers, fit] = r.getRows()[0] ?? [];
    const type = integers === true ? (fit === true ? 'HUGEINT' : 'VARCHAR') : 'DOUBLE';
    if (type !== 'VARCHAR') await conn.run(`alter table ${relation} alter ${c} type ${type} using trim(${c})::${type}`);
    const col = out.find((x) => x.name === name);
    if (col) col.dtype = type;
  }
  return out;
}
