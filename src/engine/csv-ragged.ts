// Ragged delimited files: DuckDB's sniffer either gives up ("could not detect the dialect") or reads each line
// as one column. Both are re-read strictly with the first line's delimiter, so the agent gets the bad line.

import type { DuckDBConnection } from '@duckdb/node-api';
import { EngineError, translateLoadError } from './errors.ts';
import { CSV_LINE_OPTIONS } from './limits.ts';
import { literalPath, quoteString } from './sql.ts';

/** Delimiters whose presence in a lone sniffed column name means the sniffer gave up on a ragged file. */
const DELIMITER_CANDIDATES = [',', '\t', ';', '|'] as const;

/** What the strict re-read needs: the file DuckDB reads, the name the agent knows, and the first line. */
export interface RaggedCheck {
  source: string;
  file: string;
  gzip: boolean;
  firstLine: string;
}

/**
 * Re-reads the file with the first line's delimiter and that many columns; answers the named error for the
 * first line with another field count, or undefined when the strict read finds none (or cannot be tried).
 */
export async function raggedLineError(conn: DuckDBConnection, check: RaggedCheck): Promise<EngineError | undefined> {
  const { firstLine } = check;
  if (firstLine.includes('"')) return undefined;
  const delim = mostFrequentDelimiter(firstLine);
  if (!delim) return undefined;
  const names = firstLine.split(delim);
  const columns = `{${names.map((_, i) => `${quoteString(`c${i}`)}: 'VARCHAR'`).join(', ')}}`;
  const compression = check.gzip ? ", compression='gzip'" : '';
  try {
    await conn.runAndReadAll(
      `select count(*) from read_csv(${quoteString(literalPath(check.source))}, auto_detect=false, header=true, skip=0, delim=${quoteString(delim)}, quote='"', escape='"', columns=${columns}, ${CSV_LINE_OPTIONS}${compression})`,
    );
    return undefined;
  } catch (err) {
    const e = translateLoadError((err as Error).message, 'csv', check.file, delim);
    return e.code === 'E_MALFORMED_CSV' ? e : undefined;
  }
}

/**
 * DuckDB's sniffer answers a file with rows of different lengths by reading each line as one column. When the
 * lone column's name still holds a delimiter, the strict re-read names the bad line.
 */
export async function refuseRaggedSniff(conn: DuckDBConnection, check: RaggedCheck, describe: { name: string }[]): Promise<void> {
  if (describe.length !== 1) return;
  const e = await raggedLineError(conn, check);
  if (e) throw e;
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

