// The page's view of the data API (issue 4): meta, a window of rows, per-column stats. Answers are read
// defensively — the page must show a readable state, never a blank one, whatever comes back.

export interface ColumnMeta {
  name: string;
  dtype: string;
}

export interface DatasetMeta {
  session: string;
  /** The server's id of this load (a new load gets a new one; ids restart with the server). */
  datasetId?: number;
  path: string;
  format: string;
  rows: number;
  columns: ColumnMeta[];
}

export interface RowWindow {
  /** One array of values per row, in column order. */
  rows: unknown[][];
  /** Original row numbers when the server sends them (sorted or filtered windows), else undefined. */
  rowNumbers: (number | undefined)[];
  total: number;
  filtered: number;
}

export interface RowQuery {
  offset: number;
  limit: number;
  sort?: string;
  dir?: 'asc' | 'desc';
  search?: string;
}

/** An answer the server gave with an error body: its code and sentence are shown to the person as they are. */
export class ServerError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** The server could not be reached at all (stopped, restarting). */
export class UnreachableError extends Error {}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined);

async function getJson(url: string, signal?: AbortSignal): Promise<unknown> {
  let res: Response;
  try {
    // A plain GET (no custom headers or cache mode) so the page's <link rel=preload> answers can be reused;
    // the server marks every API answer no-store anyway.
    res = await fetch(url, { signal });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new UnreachableError(`The buckaroo-table server is not answering (${(err as Error).message}).`);
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    const b = isRecord(body) ? body : {};
    throw new ServerError(
      res.status,
      typeof b.error_code === 'string' ? b.error_code : `HTTP_${res.status}`,
      typeof b.message === 'string' ? b.message : `The server answered ${res.status} ${res.statusText} for ${new URL(url, location.href).pathname}.`,
      typeof b.hint === 'string' ? b.hint : undefined,
    );
  }
  return body;
}

const base = (session: string): string => `/api/sessions/${encodeURIComponent(session)}`;

/** Rows in the first window; the server's page preloads exactly this request (FIRST_WINDOW_ROWS in web.ts). */
export const FIRST_WINDOW_ROWS = 200;

const rowsUrl = (session: string, q: RowQuery): string => {
  const p = new URLSearchParams({ offset: String(q.offset), limit: String(q.limit) });
  if (q.sort) {
    p.set('sort', q.sort);
    p.set('dir', q.dir ?? 'asc');
  }
  if (q.search) p.set('search', q.search);
  return `${base(session)}/rows?${p}`;
};

/**
 * Answers to the page's <link rel=preload> requests, taken at boot. The browser hands a preloaded response
 * to the first matching fetch however late it comes, so a stale one (a 404 from before the agent loaded
 * anything) would be served to the grid later: we consume them at once and keep them only for the first
 * dataset the page shows.
 */
const early = new Map<string, Promise<unknown>>();

function getJsonOnce(url: string, signal?: AbortSignal): Promise<unknown> {
  const p = early.get(url);
  if (p) {
    early.delete(url);
    return p;
  }
  return getJson(url, signal);
}

/** A session either shows a dataset, or is loading one (DuckDB's percent when it can tell). */
export type MetaAnswer = { status: 'ready'; meta: DatasetMeta } | { status: 'loading'; path: string; percent: number | undefined };

export function parseMeta(body: unknown, session: string): MetaAnswer {
  const b = isRecord(body) ? (isRecord(body.dataset) ? body.dataset : body) : {};
  if (b.status === 'loading') {
    const l = isRecord(b.loading) ? b.loading : {};
    return { status: 'loading', path: typeof l.path === 'string' ? l.path : '', percent: num(l.percent) };
  }
  const cols = Array.isArray(b.columns) ? b.columns : [];
  const columns: ColumnMeta[] = cols.map((c, i) =>
    isRecord(c)
      ? { name: String(c.name ?? `column ${i}`), dtype: String(c.dtype ?? c.type ?? '') }
      : { name: String(c), dtype: '' },
  );
  const meta: DatasetMeta = {
    session: typeof b.session === 'string' ? b.session : session,
    datasetId: num(b.dataset_id),
    path: typeof b.path === 'string' ? b.path : '',
    format: typeof b.format === 'string' ? b.format : '',
    rows: num(b.rows) ?? num(b.total) ?? num(b.row_count) ?? 0,
    columns,
  };
  return { status: 'ready', meta };
}

/** Errors that mean "nothing to show yet" rather than "something broke". */
export function isNoDataError(err: unknown): boolean {
  return err instanceof ServerError && (err.code === 'E_UNKNOWN_SESSION' || err.code === 'E_NO_DATASET' || (err.status === 404 && err.code.startsWith('HTTP_')));
}

/** Row keys the server may use for the original row number; never a column of the file. */
const ROW_NUMBER_KEYS = ['__row', '_row', '__index'];

export function parseRows(body: unknown, columns: readonly ColumnMeta[]): RowWindow {
  const b = isRecord(body) ? body : {};
  const raw = Array.isArray(b.rows) ? b.rows : [];
  const rowNumbers: (number | undefined)[] = [];
  const sent = Array.isArray(b.row_numbers) ? b.row_numbers : [];
  const rows = raw.map((r, k) => {
    if (Array.isArray(r)) {
      rowNumbers.push(num(sent[k]));
      return r;
    }
    if (isRecord(r)) {
      const key = ROW_NUMBER_KEYS.find((k) => k in r && !columns.some((c) => c.name === k));
      rowNumbers.push(key ? num(r[key]) : undefined);
      return columns.map((c) => r[c.name]);
    }
    rowNumbers.push(undefined);
    return [];
  });
  const total = num(b.total) ?? rows.length;
  return { rows, rowNumbers, total, filtered: num(b.filtered) ?? total };
}

export const api = {
  async meta(session: string, signal?: AbortSignal): Promise<MetaAnswer> {
    return parseMeta(await getJson(`${base(session)}/meta`, signal), session);
  },
  async rows(session: string, q: RowQuery, columns: readonly ColumnMeta[], signal?: AbortSignal): Promise<RowWindow> {
    return parseRows(await getJsonOnce(rowsUrl(session, q), signal), columns);
  },
  async stats(session: string, signal?: AbortSignal): Promise<unknown> {
    return getJsonOnce(`${base(session)}/stats`, signal);
  },
  /** Takes the preloaded first window and stats now (see `early`). */
  takePreloads(session: string): void {
    for (const url of [rowsUrl(session, { offset: 0, limit: FIRST_WINDOW_ROWS }), `${base(session)}/stats`]) {
      const p = getJson(url);
      p.catch(() => {}); // read (and reported) by whoever takes it
      early.set(url, p);
    }
  },
  /** The session changed (or had nothing): the boot answers no longer apply. */
  forgetPreloads(): void {
    early.clear();
  },
};
