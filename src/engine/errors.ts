// What can go wrong while loading or querying a dataset, as named kinds with a sentence for the agent and a
// hint. The server turns them into HTTP errors; DuckDB's own text is translated here by pure functions.

export type EngineErrorCode =
  | 'E_FILE_NOT_FOUND'
  | 'E_PERMISSION_DENIED'
  | 'E_IS_DIRECTORY'
  | 'E_PATH_TOO_LONG'
  | 'E_EMPTY_FILE'
  | 'E_UNSUPPORTED_FORMAT'
  | 'E_MALFORMED_CSV'
  | 'E_BAD_PARQUET'
  | 'E_NOT_TABULAR'
  | 'E_BAD_JSON'
  | 'E_LOAD_FAILED'
  | 'E_UNKNOWN_SESSION'
  | 'E_UNKNOWN_COLUMN'
  | 'E_BAD_REQUEST'
  | 'E_NO_DATASET'
  | 'E_DATASET_GONE'
  | 'E_OUT_OF_SPACE'
  | 'E_OUT_OF_MEMORY'
  | 'E_CANCELLED'
  | 'E_QUERY_FAILED'
  | 'E_QUERY_REFUSED'
  | 'E_SQL_ERROR'
  | 'E_QUERY_TIMEOUT'
  | 'E_KEYS_NOT_UNIQUE'
  | 'E_NO_KEY';

const STATUS: Record<EngineErrorCode, number> = {
  E_FILE_NOT_FOUND: 404,
  E_PERMISSION_DENIED: 403,
  E_IS_DIRECTORY: 400,
  E_PATH_TOO_LONG: 400,
  E_EMPTY_FILE: 422,
  E_UNSUPPORTED_FORMAT: 415,
  E_MALFORMED_CSV: 422,
  E_BAD_PARQUET: 422,
  E_NOT_TABULAR: 422,
  E_BAD_JSON: 422,
  E_LOAD_FAILED: 500,
  E_UNKNOWN_SESSION: 404,
  E_UNKNOWN_COLUMN: 400,
  E_BAD_REQUEST: 400,
  E_NO_DATASET: 409,
  // An older view's dataset (a chat app instance asks for its own): replaced and no longer kept.
  E_DATASET_GONE: 410,
  // WebDAV's Insufficient Storage: the request may succeed once space is freed.
  E_OUT_OF_SPACE: 507,
  E_OUT_OF_MEMORY: 507,
  // nginx's "client closed request": only the log and the page see it, the client has gone.
  E_CANCELLED: 499,
  E_QUERY_FAILED: 500,
  E_QUERY_REFUSED: 400,
  E_SQL_ERROR: 400,
  E_QUERY_TIMEOUT: 504,
  E_KEYS_NOT_UNIQUE: 400,
  E_NO_KEY: 400,
};

export class EngineError extends Error {
  readonly status: number;
  constructor(
    readonly code: EngineErrorCode,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'EngineError';
    this.status = STATUS[code];
  }
}

/** Characters of one DuckDB message line we pass on (a CSV error quotes the whole line, which may be 20 MB). */
const MAX_MESSAGE_LINE_CHARS = 300;

/** DuckDB's messages run to many lines of "possible fixes"; the agent needs the first few. */
export function firstLines(message: string, n = 2): string {
  return message
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .slice(0, n)
    .map((l) => (l.length > MAX_MESSAGE_LINE_CHARS ? `${l.slice(0, MAX_MESSAGE_LINE_CHARS - 1)}…` : l))
    .join(' ');
}

/**
 * DuckDB's message without what is ours, not the file's: the SQL it quotes (`LINE 1: create table
 * "bt_ds_34" …` and its caret), our table names, and the path of a decoded copy (named as the agent's file).
 */
export function scrubInternalNames(message: string, readPath: string, file: string): string {
  return message
    .split('\n')
    .filter((l) => !/^\s*LINE \d+:/.test(l) && !/^\s*\^\s*$/.test(l))
    .join('\n')
    .replaceAll(readPath, file)
    .replace(/"?bt_ds_\d+(_o\d+)?"?/g, 'the table');
}

/** DuckDB gave up guessing a delimited file's dialect (often a ragged row among the first it sampled). */
export function isSniffFailure(message: string): boolean {
  return /sniffing file|automatically detect the CSV parsing dialect/i.test(message);
}

/** "CSV Error on Line: 4" → 4. */
export function csvErrorLine(message: string): number | undefined {
  const m = /CSV Error on Line:\s*(\d+)/i.exec(message) ?? /\bLine:\s*(\d+)/.exec(message);
  return m?.[1] ? Number(m[1]) : undefined;
}

/** A type-conversion failure past the sniffer's sample (re-reading with a full-file sample fixes it). */
export function isCsvTypeConversionError(message: string): boolean {
  return /Could not convert|Conversion Error|Error when converting/i.test(message) && /CSV/i.test(message);
}

/**
 * The machine, not the file: DuckDB spills what exceeds its memory limit to its temp directory (under
 * BUCKAROO_HOME/tmp/duckdb), capped at the free space there when it starts ('max_temp_directory_size').
 * DuckDB calls a full disk an "Out of Memory Error" too; the person needs to know which one to fix.
 */
export function resourceError(message: string, file: string): EngineError | undefined {
  const used = /\(([\d.]+ \w+)\/[\d.]+ \w+ used\)/.exec(message)?.[1];
  if (/max_temp_directory_size|No space left on device|failed to offload/i.test(message)) {
    return new EngineError(
      'E_OUT_OF_SPACE',
      `Loading ${file} ran out of temporary disk space: what does not fit in DuckDB's memory spills to BUCKAROO_HOME/tmp/duckdb, and that disk is full${used ? ` (${used} spilled)` : ''}. Nothing of this load was kept.`,
      'Free disk space there (or set BUCKAROO_HOME to a folder on a bigger disk), give DuckDB more memory (BUCKAROO_DUCKDB_MEMORY_LIMIT), or convert the file to Parquet, which is read in place without spilling.',
    );
  }
  if (/Out of Memory Error/i.test(message)) {
    return new EngineError(
      'E_OUT_OF_MEMORY',
      `Loading ${file} needs more memory than DuckDB may use: ${firstLines(message, 1)}`,
      'Raise BUCKAROO_DUCKDB_MEMORY_LIMIT in the server\'s environment (default: half of RAM; at least 256MB), or close other sessions.',
    );
  }
  return undefined;
}

/**
 * Turns a DuckDB failure while reading `file` as `format` into a named error with a hint. `delimiter` (the
 * header's) lets a ragged line's fields be counted: DuckDB stops counting one past the header's count.
 */
export function translateLoadError(message: string, format: string, file: string, delimiter?: string): EngineError {
  const m = message;
  const resources = resourceError(m, file);
  if (resources) return resources;
  if (/Permission denied/i.test(m)) {
    return new EngineError('E_PERMISSION_DENIED', `Permission denied reading ${file}.`, 'Check the file permissions (chmod +r) or copy the file somewhere readable.');
  }
  if (format === 'parquet') {
    return new EngineError(
      'E_BAD_PARQUET',
      `${file} is not a readable Parquet file: ${firstLines(m, 1)}`,
      'The file may be truncated or still being written; re-create it, or check it with another Parquet reader.',
    );
  }
  if (format === 'json' || format === 'ndjson') {
    if (/expected records|non-record|expected.*object/i.test(m)) {
      return new EngineError(
        'E_NOT_TABULAR',
        `${file} holds JSON that is not tabular (expected an array of objects, or one object per line).`,
        'Reshape it into records, e.g. [{"a": 1}, {"a": 2}], or one JSON object per line (.ndjson).',
      );
    }
    return new EngineError('E_BAD_JSON', `${file} could not be read as JSON: ${firstLines(m, 2)}`, 'Check that the file is valid JSON or newline-delimited JSON.');
  }
  const tooLong = /Maximum line size of (\d+) bytes exceeded/i.exec(m);
  if (tooLong) {
    const line = csvErrorLine(m);
    return new EngineError(
      'E_MALFORMED_CSV',
      `${file} has a line longer than ${Math.round(Number(tooLong[1]) / 1024 / 1024)} MB${line === undefined ? '' : ` (near line ${line})`}, the most buckaroo-table reads in one row.`,
      'Often an unclosed quote makes the rest of the file one field: check the quotes around that line.',
    );
  }
  const line = csvErrorLine(m);
  if (line !== undefined) {
    const detail = /Expected Number of Columns:\s*(\d+)\s*Found:\s*(\d+)/i.exec(m);
    const original = /Original Line:\s*(.*)/i.exec(m)?.[1]?.trim();
    const found = delimiter && original !== undefined && !original.includes('"') ? original.split(delimiter).length : Number(detail?.[2]);
    const what = detail ? `line ${line} has ${found} fields where the header has ${detail[1]}` : `line ${line}: ${firstLines(m, 1)}`;
    return new EngineError(
      'E_MALFORMED_CSV',
      `${file} is not a well-formed delimited file: ${what}${original ? ` (${JSON.stringify(original.slice(0, 120))})` : ''}.`,
      'Fix that line (quote fields that contain the delimiter, or make every row have the same number of fields).',
    );
  }
  if (isSniffFailure(m)) {
    return new EngineError(
      'E_UNSUPPORTED_FORMAT',
      `Could not detect the format of ${file}: it is not a delimited text file DuckDB can read.`,
      'Supported: .csv, .tsv, .txt (sniffed), .parquet, .json, .ndjson/.jsonl, and their .gz variants.',
    );
  }
  if (/Invalid unicode|invalid UTF-8|utf-8/i.test(m)) {
    return new EngineError('E_UNSUPPORTED_FORMAT', `${file} is not UTF-8 text: ${firstLines(m, 1)}`, 'Convert the file to UTF-8 (e.g. iconv -t UTF-8).');
  }
  return new EngineError('E_LOAD_FAILED', `Could not load ${file}: ${firstLines(m, 2)}`, 'See the server log for details.');
}
