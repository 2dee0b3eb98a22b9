// Loads one file into DuckDB as a dataset: checks the path, picks the reader, materialises text formats into
// a table (Parquet stays in place behind a view), and numbers the rows in file order so sorts can be stable.

import fs from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { EngineError, isCsvTypeConversionError, translateLoadError } from './errors.ts';
import { detectFormat, readHead, type DataFormat } from './formats.ts';
import { quoteIdent, quoteString } from './sql.ts';

/** The column we add to every dataset: the row's position in the file (0-based). Hidden from the page. */
export const ROW_COLUMN = '__buckaroo_row';
/** Delimiters whose presence in a lone sniffed column name means the sniffer gave up on a ragged file. */
const DELIMITER_CANDIDATES = [',', '\t', ';', '|'] as const;

export interface ColumnInfo {
  name: string;
  dtype: string;
}

export interface Dataset {
  /** Unique per server process; names the DuckDB objects that hold it. */
  id: number;
  path: string;
  format: DataFormat;
  gzip: boolean;
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
}

/** Throws a named error unless `file` is a non-empty regular file we may read. */
export async function checkReadableFile(file: string): Promise<fs.Stats> {
  let st: fs.Stats;
  try {
    st = await fs.promises.stat(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES') throw permissionDenied(file);
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

/** The DuckDB table function call that reads `file` as `format`. */
export function readerSql(file: string, format: DataFormat, gzip: boolean, fullSample = false): string {
  const p = quoteString(file);
  const compression = gzip ? ", compression='gzip'" : '';
  const sample = fullSample ? ', sample_size=-1' : '';
  switch (format) {
    case 'parquet':
      return `read_parquet(${p}, file_row_number=true)`;
    case 'json':
      return `read_json(${p}, records=true${compression}${sample})`;
    case 'ndjson':
      return `read_json(${p}, records=true, format='newline_delimited'${compression}${sample})`;
    case 'tsv':
      return `read_csv(${p}, delim='\t', skip=0${compression}${sample})`;
    case 'csv':
      // skip=0: never let the sniffer drop leading rows it finds inconsistent; an error is better than loss.
      return `read_csv(${p}, skip=0${compression}${sample})`;
  }
}

export interface LoadOptions {
  id: number;
  file: string;
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
  const { format, gzip } = detectFormat(file, head.raw, head.head, head.truncated);
  if (format === 'parquet' && gzip) {
    throw new EngineError('E_UNSUPPORTED_FORMAT', `${file} is gzip-compressed Parquet, which DuckDB cannot read in place.`, 'Decompress it first (gunzip); Parquet is already compressed inside.');
  }
  const name = `bt_ds_${id}`;
  const relation = quoteIdent(name);
  const inPlace = format === 'parquet';
  const rowCol = quoteIdent(ROW_COLUMN);
  let ownNumbers = inPlace;
  let fullSample = false;
  /** Rows the last create() materialised, as DuckDB reported them (a view has no count until queried). */
  let created: number | undefined;
  const create = async (): Promise<void> => {
    if (inPlace) {
      await conn.run(`create or replace view ${relation} as select * exclude (file_row_number), file_row_number as ${rowCol} from ${readerSql(file, format, gzip)}`);
    } else {
      created = await materialise(conn, relation, readerSql(file, format, gzip, fullSample), ownNumbers);
    }
  };
  let columns: ColumnInfo[];
  try {
    try {
      await create();
    } catch (err) {
      const message = (err as Error).message;
      if (!isCsvTypeConversionError(message) && !/convert/i.test(message)) throw translateLoadError(message, format, file);
      // A value past the sniffer's sample did not fit the guessed type: look at the whole file instead.
      fullSample = true;
      try {
        await create();
      } catch (err2) {
        throw translateLoadError((err2 as Error).message, format, file);
      }
    }
    columns = await describeRelation(conn, relation, ownNumbers);
    if (format === 'csv' || format === 'tsv') await refuseRaggedSniff(conn, file, head.head, columns);
    if (!ownNumbers && columns.some((c) => c.name.toLowerCase() === 'rowid')) {
      // A file column named rowid shadows DuckDB's pseudo-column: number the rows ourselves (rare; costs a pass).
      ownNumbers = true;
      await create();
    }
    if (columns.some((c) => c.name === ROW_COLUMN)) {
      throw new EngineError('E_UNSUPPORTED_FORMAT', `${file} has a column named ${ROW_COLUMN}, which buckaroo-table uses itself.`, 'Rename that column.');
    }
  } catch (err) {
    await conn.run(`drop ${inPlace ? 'view' : 'table'} if exists ${relation}`).catch(() => {});
    throw err;
  }
  const rows = created ?? Number((await conn.runAndReadAll(`select count(*)::bigint as n from ${relation}`)).getRows()[0]?.[0] ?? 0);
  return {
    id,
    path: file,
    format,
    gzip,
    relation,
    rowExpr: ownNumbers ? rowCol : 'rowid',
    kind: inPlace ? 'view' : 'table',
    columns,
    rows,
    bytes: st.size,
    loadMs: performance.now() - t0,
    loadedAt: new Date().toISOString(),
  };
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

/**
 * DuckDB's sniffer answers a file with rows of different lengths by reading each line as one column. When the
 * lone column's name still holds a delimiter, re-read strictly with that delimiter to name the bad line.
 */
async function refuseRaggedSniff(conn: DuckDBConnection, file: string, head: Uint8Array, describe: { name: string }[]): Promise<void> {
  if (describe.length !== 1) return;
  const firstLine = Buffer.from(head).toString('utf8').split(/\r?\n/, 1)[0] ?? '';
  if (firstLine.includes('"')) return;
  const delim = mostFrequentDelimiter(firstLine);
  if (!delim) return;
  const names = firstLine.split(delim);
  const columns = `{${names.map((n, i) => `${quoteString(`c${i}`)}: 'VARCHAR'`).join(', ')}}`;
  try {
    await conn.runAndReadAll(
      `select count(*) from read_csv(${quoteString(file)}, auto_detect=false, header=true, skip=0, delim=${quoteString(delim)}, quote='"', escape='"', columns=${columns})`,
    );
  } catch (err) {
    throw translateLoadError((err as Error).message, 'csv', file);
  }
}

export function mostFrequentDelimiter(line: string): string | undefined {
  let best: string | undefined;
  let bestCount = 0;
  for (const d of DELIMITER_CANDIDATES) {
    const n = line.split(d).length - 1;
    if (n > bestCount) {
      best = d;
      bestCount = n;
    }
  }
  return best;
}

/** Frees a dataset's storage (its table or view and any cached sort orders). */
export async function dropDataset(conn: DuckDBConnection, ds: Dataset): Promise<void> {
  await conn.run(`drop ${ds.kind} if exists ${ds.relation}`);
}
