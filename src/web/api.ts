// The page's view of the data API (src/contract/data-api.ts): meta, a window of rows, per-column stats. The
// page ships with its server in one build, so it reads the answers as the contract types them; only an error
// that did not come from our server (a proxy, a crash) is read with care, so the page still says something.

import { ApiError } from '../contract/api-error.ts';
import type { ApiErrorBody, ColumnMeta, MetaAnswer as MetaBody, PreviewAnswer, RowsAnswer, StatsAnswer } from '../contract/data-api.ts';
import { firstWindowPath, sessionApiPath } from '../contract/data-limits.ts';

export type { ColumnMeta };

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
  /** Each row's 0-based position in the file. */
  rowNumbers: number[];
  total: number;
  filtered: number;
  /** The load these rows came from (a newer load into the session has another id). */
  datasetId?: number;
}

export interface RowQuery {
  offset: number;
  limit: number;
  sort?: string;
  dir?: 'asc' | 'desc';
  search?: string;
}

/** An answer the server gave with an error body: its code and sentence are shown to the person as they are. */
export { ApiError as ServerError };

/** The server could not be reached at all (stopped, restarting). */
export class UnreachableError extends Error {}

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
    const b: Partial<Record<keyof ApiErrorBody, unknown>> = typeof body === 'object' && body !== null ? body : {};
    throw new ApiError(
      res.status,
      typeof b.error_code === 'string' ? b.error_code : `HTTP_${res.status}`,
      typeof b.message === 'string' ? b.message : `The server answered ${res.status} ${res.statusText} for ${new URL(url, location.href).pathname}.`,
      typeof b.hint === 'string' ? b.hint : undefined,
    );
  }
  return body;
}

const base = sessionApiPath;

/** Same string as firstWindowPath() for the first window, so the preloaded answer is found. */
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

/** How far a running load is: DuckDB's percent of the file, in bytes, and the time left at its pace so far. */
export interface LoadingProgress {
  path: string;
  percent: number | undefined;
  bytes?: number;
  bytesRead?: number;
  etaMs?: number;
}

/** A session either shows a dataset, or is loading one (its progress when DuckDB can tell). */
export type MetaAnswer = { status: 'ready'; meta: DatasetMeta } | ({ status: 'loading' } & LoadingProgress);

/** A loading file's first rows (GET …/preview), shown until the full table is in. */
export interface PreviewRows {
  path: string;
  columns: ColumnMeta[];
  rows: unknown[][];
}

export function parseMeta(body: MetaBody, session: string): MetaAnswer {
  if (body.status === 'loading') {
    const l = body.loading;
    return { status: 'loading', path: l.path, percent: l.percent ?? undefined, bytes: l.bytes ?? undefined, bytesRead: l.bytes_read ?? undefined, etaMs: l.eta_ms ?? undefined };
  }
  const meta: DatasetMeta = {
    session: body.session || session,
    datasetId: body.dataset_id,
    path: body.path,
    format: body.format,
    rows: body.rows,
    columns: body.columns,
  };
  return { status: 'ready', meta };
}

/** Errors that mean "nothing to show yet" rather than "something broke". */
export function isNoDataError(err: unknown): boolean {
  return err instanceof ApiError && (err.code === 'E_UNKNOWN_SESSION' || err.code === 'E_NO_DATASET' || err.code === 'E_DATASET_GONE' || (err.status === 404 && err.code.startsWith('HTTP_')));
}

export function parseRows(body: RowsAnswer): RowWindow {
  return { rows: body.rows, rowNumbers: body.row_numbers, total: body.total, filtered: body.filtered, datasetId: body.dataset_id };
}

export const api = {
  async meta(session: string, signal?: AbortSignal): Promise<MetaAnswer> {
    return parseMeta((await getJson(`${base(session)}/meta`, signal)) as MetaBody, session);
  },
  async rows(session: string, q: RowQuery, signal?: AbortSignal): Promise<RowWindow> {
    return parseRows((await getJsonOnce(rowsUrl(session, q), signal)) as RowsAnswer);
  },
  async preview(session: string, signal?: AbortSignal): Promise<PreviewRows> {
    const body = (await getJson(`${base(session)}/preview`, signal)) as PreviewAnswer;
    return { path: body.path, columns: body.columns, rows: body.rows };
  },
  async stats(session: string, signal?: AbortSignal): Promise<StatsAnswer> {
    return (await getJsonOnce(`${base(session)}/stats`, signal)) as StatsAnswer;
  },
  /** Takes the preloaded first window and stats now (see `early`). */
  takePreloads(session: string): void {
    for (const url of [firstWindowPath(session), `${base(session)}/stats`]) {
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
