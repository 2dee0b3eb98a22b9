// Windows of rows for the viewer and the agent: offset/limit over the file order, a sorted order, or the
// rows matching a search. Sorted and searched orders are computed once into a small table of row numbers
// (stable: ties keep file order) and reused, so paging through a sorted 1 M-row file never re-sorts it. A large
// dataset's first sorted windows do not wait for that table: they come from bands (sort-band.ts), exact
// selections of the few rows around the window, while the table is built in the background.

import type { DuckDBConnection, Json } from '@duckdb/node-api';
import type { Engine } from './duckdb.ts';
import { EngineError } from './errors.ts';
import type { Dataset } from './load.ts';
import { createOrderTables } from './order-tables.ts';
import { fetchRowsByNumber, readNumbers, readRows, type FetchedRows } from './row-fetch.ts';
import { bandSortable, type SortKey } from './sort-band.ts';
import { createSortBands } from './sort-bands.ts';
import { quoteIdent } from './sql.ts';
import { isTextType } from '../contract/dtype.ts';
import { createValueConverter } from './values.ts';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 10_000;

export interface RowsQuery {
  offset: number;
  limit: number;
  sort?: string;
  dir: 'asc' | 'desc';
  search?: string;
}

export interface RowsResult {
  offset: number;
  limit: number;
  /** Rows in the dataset. */
  total: number;
  /** Rows matching the search (equals total without one). */
  filtered: number;
  sort: string | null;
  dir: 'asc' | 'desc';
  search: string | null;
  columns: string[];
  /** One array per row, values in `columns` order, encoded as described in values.ts. */
  rows: Json[][];
  /** Each row's 0-based position in the file. */
  row_numbers: number[];
}

/** Validates raw query-string values; throws E_BAD_REQUEST / E_UNKNOWN_COLUMN with a sentence. */
export function parseRowsQuery(params: URLSearchParams, columns: readonly string[]): RowsQuery {
  const int = (name: string, fallback: number): number => {
    const raw = params.get(name);
    if (raw === null || raw.trim() === '') return fallback;
    const n = Number(raw);
    // Beyond 2^53 a number no longer names one row (and DuckDB would fail on 1e300 with a 500).
    if (!Number.isSafeInteger(n)) throw new EngineError('E_BAD_REQUEST', `${name} must be an integer from 0 to ${Number.MAX_SAFE_INTEGER}, got ${JSON.stringify(raw)}.`);
    if (n < 0) throw new EngineError('E_BAD_REQUEST', `${name} must be 0 or more, got ${n}.`);
    return n;
  };
  const offset = int('offset', 0);
  const limit = Math.min(int('limit', DEFAULT_LIMIT), MAX_LIMIT);
  const sortRaw = params.get('sort');
  const sort = sortRaw === null || sortRaw === '' ? undefined : sortRaw;
  if (sort !== undefined && !columns.includes(sort)) {
    throw new EngineError('E_UNKNOWN_COLUMN', `Unknown sort column ${JSON.stringify(sort)}.`, `Columns: ${columns.slice(0, 20).map((c) => JSON.stringify(c)).join(', ')}${columns.length > 20 ? ', …' : ''}`);
  }
  const dirRaw = (params.get('dir') ?? 'asc').toLowerCase();
  if (dirRaw !== 'asc' && dirRaw !== 'desc') throw new EngineError('E_BAD_REQUEST', `dir must be asc or desc, got ${JSON.stringify(dirRaw)}.`);
  const searchRaw = params.get('search');
  const search = searchRaw === null || searchRaw === '' ? undefined : searchRaw;
  return { offset, limit, sort, dir: dirRaw, search };
}

export interface RowsReader {
  window(q: RowsQuery): Promise<RowsResult>;
  /** Drops the cached order tables and bands (the dataset is being replaced). */
  dispose(conn: DuckDBConnection): Promise<void>;
}

export interface RowsReaderOptions {
  /** From this many rows on, a sort's first windows come from bands (sort-band.ts) while its table is built. */
  bandMinRows?: number;
  /** Build a sort's whole table in the background after a band answered (off in tests of bands alone). */
  prefetchOrder?: boolean;
  /** How long a sort's windows must pause before its whole table is built (ORDER_PREFETCH_DELAY_MS). */
  prefetchDelayMs?: number;
  /** Runs a band's selection with the background stats stepped aside (the sessions' stats gate). */
  aside?: <T>(fn: () => Promise<T>) => Promise<T>;
}

/**
 * A sort's whole table is built once its windows have paused this long: the build keeps both cores busy for
 * seconds (5 M rows: ~1.5 s of CPU), and windows read from bands while someone scrolls took 2-3× longer beside it.
 */
const ORDER_PREFETCH_DELAY_MS = 1_000;

/** Below this many rows the whole sort takes about as long as a band (≈ 30 ms on 2 cores). */
const BAND_MIN_ROWS = 200_000;

export function createRowsReader(engine: Pick<Engine, 'api' | 'withConnection'>, ds: Dataset, options: RowsReaderOptions = {}): RowsReader {
  const convert = createValueConverter(engine.api);
  const row = ds.rowExpr;
  const selectList = [...ds.columns.map((c) => `t.${quoteIdent(c.name)}`), `t.${row}`].join(', ');
  const from = { relation: ds.relation, rowExpr: row, selectList };
  const textColumns = ds.columns.filter((c) => isTextType(c.dtype)).map((c) => quoteIdent(c.name));
  const orders = createOrderTables(engine, ds, () => searchPredicate(textColumns));
  const bands = createSortBands(engine, ds, options.aside);
  const bandMinRows = options.bandMinRows ?? BAND_MIN_ROWS;
  const prefetchOrder = options.prefetchOrder ?? true;
  const prefetchDelayMs = options.prefetchDelayMs ?? ORDER_PREFETCH_DELAY_MS;
  /** The one sort whose whole table waits for its windows to pause; a window of another order replaces it. */
  let prefetchTimer: NodeJS.Timeout | undefined;
  const cancelPrefetch = (): void => {
    if (prefetchTimer) clearTimeout(prefetchTimer);
    prefetchTimer = undefined;
  };
  const dtypes = new Map(ds.columns.map((c) => [c.name, c.dtype]));

  /** A sorted window from bands, or undefined when the sample missed (then the whole sort is awaited). */
  const fromBands = async (key: SortKey, q: RowsQuery): Promise<FetchedRows | undefined> => {
    const numbers = await bands.window(key, q.offset, q.limit);
    if (numbers === undefined) return undefined;
    const result = await engine.withConnection((conn) => fetchRowsByNumber(conn, from, numbers, convert));
    if (prefetchOrder) {
      cancelPrefetch();
      const spec = { sort: q.sort, dir: q.dir };
      prefetchTimer = setTimeout(() => orders.prefetch(spec), prefetchDelayMs);
      prefetchTimer.unref();
    }
    return result;
  };

  return {
    async window(q) {
      const base = { offset: q.offset, limit: q.limit, total: ds.rows, sort: q.sort ?? null, dir: q.dir, search: q.search ?? null, columns: ds.columns.map((c) => c.name) };
      if (q.sort === undefined && q.search === undefined) {
        const result = await engine.withConnection((conn) =>
          readRows(conn, `select ${selectList} from ${ds.relation} t where t.${row} >= $1 and t.${row} < $2 order by t.${row}`, [q.offset, q.offset + q.limit], convert),
        );
        return { ...base, filtered: ds.rows, ...result };
      }
      // Another order's background build would only slow this window down.
      cancelPrefetch();
      orders.cancelOthers(q);
      const banded = q.search === undefined && q.sort !== undefined && ds.rows >= bandMinRows && bandSortable(dtypes.get(q.sort) ?? '');
      if (banded && !orders.ready(q)) {
        // A band that fails (a type whose values do not bind back, say) costs only time: the whole sort follows.
        const result = await fromBands({ column: q.sort!, dir: q.dir }, q).catch(() => undefined);
        if (result) return { ...base, filtered: ds.rows, ...result };
      }
      const entry = orders.get(q);
      const filtered = await entry.filtered;
      // At worst a failed drop leaves a small table of row numbers behind until the server stops.
      if (banded) void bands.drop({ column: q.sort!, dir: q.dir }).catch(() => {});
      const result = await engine.withConnection(async (conn) => {
        // Two steps: the window's row numbers from the small order table, then those rows by number.
        const wanted = await readNumbers(conn, `select r from ${entry.table} where rowid >= $1 and rowid < $2 order by rowid`, [BigInt(q.offset), BigInt(q.offset + q.limit)]);
        return fetchRowsByNumber(conn, from, wanted, convert);
      });
      return { ...base, filtered, ...result };
    },
    async dispose(conn) {
      cancelPrefetch();
      await orders.dispose(conn);
      await bands.dispose(conn);
    },
  };
}

/** Case-insensitive substring match of parameter $1 (already lower-cased) over the text columns. */
export function searchPredicate(textColumns: readonly string[]): string {
  if (textColumns.length === 0) return 'false';
  return `(${textColumns.map((c) => `contains(lower(${c}), $1)`).join(' or ')})`;
}
