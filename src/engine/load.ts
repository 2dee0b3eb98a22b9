// Loads one file into DuckDB as a dataset: checks the path, picks the reader, materialises text formats into
// a table (Parquet stays in place behind a view), and numbers the rows in file order so sorts can be stable.

import fs from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { mostFrequentDelimiter, raggedLineError, refuseRaggedSniff } from './csv-ragged.ts';
import { decodeHead, needsDecoding, utf8Copy, type TextEncoding } from './encoding.ts';
import { EngineError, isCsvTypeConversionError, isSniffFailure, scrubInternalNames, translateLoadError } from './errors.ts';
import { detectFormat, readHead, type DataFormat } from './formats.ts';
import { JSON_TYPE_DEPTH, refuseDeepJson } from './json-depth.ts';
import { isolatesJson, withIsolatedJson } from './json-isolate.ts';
import { locateJsonError } from './json-errors.ts';
import { CSV_LINE_OPTIONS, PREVIEW_LINE_OPTIONS } from './limits.ts';
import { exactIntegerColumns, refineTextColumns, roundedIntegerColumns } from './refine-types.ts';
import { literalPath, quoteIdent, quoteString } from './sql.ts';

/** The column we add to every dataset: the row's position in the file (0-based). Hidden from the page. */
export const ROW_COLUMN = '__buckaroo_row';

export interface ColumnInfo {
  name: string;
  dtype: string;
}

export interface Dataset {
  /** Unique per server process; names the DuckDB objects that hold it. */
  id: number;
  /** The file; for a query_data result, its SQL. */
  path: string;
  format: DataFormat | 'query' | 'diff';
  gzip: boolean;
  /** The text encoding the file was read in (UTF-8 for Parquet). */
  encoding: TextEncoding;
  /** Quoted name of the table (text formats) or view (Parquet, queried in place). */
  relation: string;
  /**
   * SQL for a row's 0-based position in the file: DuckDB's `rowid` for a materialised table (insertion order
   * is file order; no extra column, no window pass), else our own numbered column.
   */
  rowExpr: string;
  kind: 'table' | 'view';
  columns: ColumnInfo[];
  rows: number;
  bytes: number;
  loadMs: number;
  loadedAt: string;
  /** The file's modification time when it was loaded: an unchanged file need not be loaded again. */
  mtimeMs?: number;
  /** The SQL a query_data result was computed from (absent for a file). */
  sql?: string;
}

/** Throws a named error unless `file` is a non-empty regular file we may read. */
export async function checkReadableFile(file: string): Promise<fs.Stats> {
  let st: fs.Stats;
  try {
    st = await fs.promises.stat(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES') throw permissionDenied(file);
    if (code === 'ENAMETOOLONG') {
      // The file may well exist (a deep folder tree can outgrow PATH_MAX): never call it missing.
      throw new EngineError('E_PATH_TOO_LONG', `The path is too long for the operating system to open (${file.length} characters): ${file.slice(0, 120)}…`, 'Move or rename the file (or a folder on its path) so the path is shorter.');
    }
    if (code === 'ELOOP') throw new EngineError('E_FILE_NOT_FOUND', `${file} is a symbolic link loop.`, 'Point at the real file.');
    throw new EngineError(
      'E_FILE_NOT_FOUND',
      `File not found: ${file}`,
      'Check the path; relative paths are resolved against the agent\'s working directory, so an absolute path is safest.',
    );
  }
  if (st.isDirectory()) {
    throw new EngineError('E_IS_DIRECTORY', `${file} is a directory, not a data file.`, 'Pass one file inside it (e.g. a .csv or .parquet file).');
  }
  if (!st.isFile()) throw new EngineError('E_UNSUPPORTED_FORMAT', `${file} is not a regular file.`, 'Pass a data file on disk.');
  if (st.size === 0) throw new EngineError('E_EMPTY_FILE', `${file} is empty (0 bytes).`, 'The file has no data yet; check that whatever writes it has finished.');
  try {
    await fs.promises.access(file, fs.constants.R_OK);
  } catch {
    throw permissionDenied(file);
  }
  return st;
}

function permissionDenied(file: string): EngineError {
  return new EngineError('E_PERMISSION_DENIED', `Permission denied reading ${file}.`, 'Check the file permissions (chmod +r) or copy the file somewhere readable.');
}

/** How readerSql reads: a full-file type sample, and columns to keep as text (for exactIntegerColumns). */
export interface ReaderOptions {
  fullSample?: boolean;
  /** Column names read as VARCHAR; `columns` (every column as first loaded) is needed for JSON, which takes all or none. */
  asText?: { names: string[]; columns: ColumnInfo[] };
  /**
   * One thread reads from the start (CSV/TSV): for a head read (preview.ts). The parallel reader starts on
   * several 64 MiB buffers before LIMIT stops it — 120–1300 ms for 200 rows of a 5 M-row CSV against 90–190 ms
   * serial (load avg ~11) — and parses the same: same sniffer, same dialect and types.
   */
  serial?: boolean;
  /**
   * With `serial`, for a head read: smaller line limits (PREVIEW_LINE_OPTIONS). The 64 MiB buffer the full load
   * needs is filled before the first row comes back — ~300 ms for 200 rows of a 262 MB CSV against ~50 ms with
   * 8 MiB (same dialect and types; DuckDB 1.5.6, quiet machine). A longer line fails it: preview.ts retries
   * with the full load's limits.
   */
  head?: boolean;
}

/** The DuckDB table function call that reads `file` as `format`. */
export function readerSql(file: string, format: DataFormat, gzip: boolean, opts: ReaderOptions = {}): string {
  const p = quoteString(literalPath(file));
  const compression = gzip ? ", compression='gzip'" : '';
  const sample = opts.fullSample ? ', sample_size=-1' : '';
  const text = new Set(opts.asText?.names);
  const jsonColumns = opts.asText
    ? `, columns={${opts.asText.columns.map((c) => `${quoteString(c.name)}: ${quoteString(text.has(c.name) ? 'VARCHAR' : c.dtype)}`).join(', ')}}`
    : '';
  const csvTypes = opts.asText ? `, types={${opts.asText.names.map((n) => `${quoteString(n)}: 'VARCHAR'`).join(', ')}}` : '';
  // skip=0: never let the sniffer drop leading rows it finds inconsistent; an error is better than loss.
  const lines = opts.head ? PREVIEW_LINE_OPTIONS : CSV_LINE_OPTIONS;
  const csv = `skip=0, ${lines}${csvTypes}${compression}${sample}${opts.serial ? ', parallel=false' : ''}`;
  switch (format) {
    case 'parquet':
      return `read_parquet(${p}, file_row_number=true)`;
    case 'json':
      return `read_json(${p}, records=true, maximum_depth=${JSON_TYPE_DEPTH}${jsonColumns}${compression}${sample})`;
    case 'ndjson':
      return `read_json(${p}, records=true, format='newline_delimited', maximum_depth=${JSON_TYPE_DEPTH}${jsonColumns}${compression}${sample})`;
    case 'tsv':
      return `read_csv(${p}, delim='\t', ${csv})`;
    case 'csv':
      return `read_csv(${p}, ${csv})`;
  }
}

export interface LoadOptions {
  id: number;
  file: string;
  /** Cancels the load: DuckDB is interrupted by the caller; a JSON reader child (json-isolate.ts) is killed here. */
  signal?: AbortSignal;
  /** How far a JSON reader child has read (0–100); the caller's connection knows nothing of it. */
  onReaderPercent?: (percent: number) => void;
}

export async function loadDataset(conn: DuckDBConnection, opts: LoadOptions): Promise<Dataset> {
  const t0 = performance.now();
  const { file, id } = opts;
  const st = await checkReadableFile(file);
  let head: Awaited<ReturnType<typeof readHead>>;
  try {
    head = await readHead(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EACCES') throw permissionDenied(file);
    throw err;
  }
  const { format, gzip, encoding } = detectFormat(file, head.raw, head.head, head.truncated);
  if (format === 'parquet' && gzip) {
    throw new EngineError('E_UNSUPPORTED_FORMAT', `${file} is gzip-compressed Parquet, which DuckDB cannot read in place.`, 'Decompress it first (gunzip); Parquet is already compressed inside.');
  }
  // DuckDB reads UTF-8 only: other encodings are read from a UTF-8 copy, removed once the table holds the data.
  const decoded = needsDecoding(encoding) ? await utf8Copy(file, gzip, encoding) : undefined;
  try {
    const source = { path: decoded?.path ?? file, gzip: decoded ? false : gzip };
    if (format === 'json' || format === 'ndjson') await refuseDeepJson(source.path, source.gzip, file);
    const firstLine = decodeHead(head.head, encoding).replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
    const loaded = await createRelation(conn, { id, file, source, format, firstLine, signal: opts.signal, onReaderPercent: opts.onReaderPercent });
    return { ...loaded, id, path: file, format, gzip, encoding, bytes: st.size, mtimeMs: st.mtimeMs, loadMs: performance.now() - t0, loadedAt: new Date().toISOString() };
  } finally {
    decoded?.dispose();
  }
}

interface CreateOptions {
  id: number;
  /** The file as the agent named it (for messages), and what DuckDB reads (a decoded copy, maybe). */
  file: string;
  source: { path: string; gzip: boolean };
  format: DataFormat;
  firstLine: string;
  signal?: AbortSignal;
  onReaderPercent?: (percent: number) => void;
}

/** Reads the source into a table (or a view, for Parquet), with the type refinements text formats get. */
async function createRelation(conn: DuckDBConnection, o: CreateOptions): Promise<Pick<Dataset, 'relation' | 'rowExpr' | 'kind' | 'columns' | 'rows'>> {
  const { file, source, format } = o;
  const relation = quoteIdent(`bt_ds_${o.id}`);
  const inPlace = format === 'parquet';
  const rowCol = quoteIdent(ROW_COLUMN);
  const reader: ReaderOptions = {};
  let ownNumbers = inPlace;
  /** Rows the last create() materialised, as DuckDB reported them (a view has no count until queried). */
  let created: number | undefined;
  const fail = async (err: unknown): Promise<EngineError> => {
    if (err instanceof EngineError) return err;
    const e = translateLoadError(scrubInternalNames((err as Error).message, source.path, file), format, file, mostFrequentDelimiter(o.firstLine));
    if (e.code !== 'E_BAD_JSON') return e;
    // DuckDB counts records, or names the line after the bad one: V8's parser names the file's own line.
    const where = await locateJsonError(source.path, source.gzip, format === 'ndjson' || /^\s*\{.*\}\s*$/.test(o.firstLine));
    return where ? new EngineError('E_BAD_JSON', `${file} is not valid JSON: ${where}.`, e.hint) : e;
  };
  const create = async (): Promise<void> => {
    const sql = readerSql(source.path, format, source.gzip, reader);
    if (inPlace) await conn.run(`create or replace view ${relation} as select * exclude (file_row_number), file_row_number as ${rowCol} from ${sql}`);
    else if ((format === 'json' || format === 'ndjson') && isolatesJson()) {
      created = await withIsolatedJson(conn, sql, file, o.signal, (table) => materialise(conn, relation, table, ownNumbers), o.onReaderPercent);
    } else created = await materialise(conn, relation, sql, ownNumbers);
  };
  let columns: ColumnInfo[];
  const ragged = { source: source.path, file, gzip: source.gzip, firstLine: o.firstLine };
  try {
    try {
      await create();
    } catch (err) {
      const message = (err as Error).message;
      if ((format === 'csv' || format === 'tsv') && isSniffFailure(message)) throw (await raggedLineError(conn, ragged)) ?? (await fail(err));
      if (!isCsvTypeConversionError(message) && !/convert/i.test(message)) throw await fail(err);
      // A value past the sniffer's sample did not fit the guessed type: look at the whole file instead.
      reader.fullSample = true;
      await create().catch(async (err2: unknown) => {
        throw await fail(err2);
      });
    }
    columns = await describeRelation(conn, relation, ownNumbers);
    if (format === 'csv' || format === 'tsv') await refuseRaggedSniff(conn, ragged, columns);
    if (!ownNumbers && columns.some((c) => c.name.toLowerCase() === 'rowid')) {
      // A file column named rowid shadows DuckDB's pseudo-column: number the rows ourselves (rare; costs a pass).
      ownNumbers = true;
      await create();
    }
    if (columns.some((c) => c.name === ROW_COLUMN)) {
      throw new EngineError('E_UNSUPPORTED_FORMAT', `${file} has a column named ${ROW_COLUMN}, which buckaroo-table uses itself.`, 'Rename that column.');
    }
    if (!inPlace) {
      // Integers beyond BIGINT that the sniffer rounded into DOUBLE: read those columns again as text, then exactly.
      const rounded = await roundedIntegerColumns(conn, relation, columns);
      if (rounded.length > 0) {
        reader.asText = { names: rounded, columns };
        await create().catch(async (err: unknown) => {
          throw await fail(err);
        });
        columns = await exactIntegerColumns(conn, relation, rounded, columns);
      }
      if (format === 'csv' || format === 'tsv') columns = await refineTextColumns(conn, relation, source, columns, reader.asText?.names);
    }
  } catch (err) {
    await conn.run(`drop ${inPlace ? 'view' : 'table'} if exists ${relation}`).catch(() => {});
    throw err;
  }
  const rows = created ?? Number((await conn.runAndReadAll(`select count(*)::bigint as n from ${relation}`)).getRows()[0]?.[0] ?? 0);
  return { relation, rowExpr: ownNumbers ? rowCol : 'rowid', kind: inPlace ? 'view' : 'table', columns, rows };
}

/** Creates the table; answers the row count DuckDB reports for it (saves a count query), if it reported one. */
async function materialise(conn: DuckDBConnection, relation: string, reader: string, ownNumbers: boolean): Promise<number | undefined> {
  await conn.run(`drop table if exists ${relation}`);
  // DuckDB preserves insertion order, so rowid is the row's position in the file; otherwise row_number() over ()
  // numbers rows in the order the reader produces them (costs a pass over the data).
  const select = ownNumbers ? `select *, row_number() over () - 1 as ${quoteIdent(ROW_COLUMN)} from ${reader}` : `select * from ${reader}`;
  const r = await conn.runAndReadAll(`create table ${relation} as ${select}`);
  const count = r.columnNames().length === 1 && r.columnNames()[0] === 'Count' ? r.getRows()[0]?.[0] : undefined;
  return typeof count === 'bigint' || typeof count === 'number' ? Number(count) : undefined;
}

/** The file's columns as loaded (our own row-number column left out). */
async function describeRelation(conn: DuckDBConnection, relation: string, ownNumbers: boolean): Promise<ColumnInfo[]> {
  const r = await conn.runAndReadAll(`describe ${relation}`);
  const cols = r.getRowObjectsJson().map((row) => ({ name: String(row.column_name), dtype: String(row.column_type) }));
  return ownNumbers ? cols.slice(0, -1) : cols;
}

/** Frees a dataset's storage (its table or view and any cached sort orders). */
export async function dropDataset(conn: DuckDBConnection, ds: Dataset): Promise<void> {
  await conn.run(`drop ${ds.kind} if exists ${ds.relation}`);
}
