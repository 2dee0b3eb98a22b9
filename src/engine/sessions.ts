// Sessions: one agent process's view, showing one dataset (a file or a query_data result) and keeping the files
// it loaded queryable by table name (session-tables.ts). A new load or query replaces what the session shows.
// A session this process has never seen is reloaded from the registry, so a viewer page survives a server
// replacement (its last file; older tables and query results are not restored).

import { isValidSessionId, SESSION_ID_RULE } from '../contract/session-id.ts';
import type { Logger } from '../log.ts';
import type { Engine } from './duckdb.ts';
import { EngineError } from './errors.ts';
import { dropDataset, loadDataset, type Dataset } from './load.ts';
import type { CompareCounts } from './compare.ts';
import { compareProducer } from './session-compare.ts';
import { previewPlan, readPreview, type NoPreview, type Preview } from './preview.ts';
import { runQueryDataset } from './query.ts';
import { createRowsReader, type RowsReader } from './rows.ts';
import type { SessionRegistry } from './session-registry.ts';
import { SessionTables } from './session-tables.ts';
import { createStatsCache, type StatsCache } from './stats.ts';
import { createValueConverter } from './values.ts';

/** After a cancel, how often DuckDB is interrupted again until the load or query stops. */
const INTERRUPT_REPEAT_MS = 50;

/** The longest a load waits for its preview (read once per load) before it starts: a few ms is usual. */
const PREVIEW_HEAD_START_MS = 250;

/** Stats of this many leading columns start computing as soon as a file is loaded (view_data and the page ask next). */
export const PREFETCH_STATS_COLUMNS = 50;

export interface LoadedDataset {
  dataset: Dataset;
  stats: StatsCache;
  rows: RowsReader;
}

export interface LoadProgress {
  path: string;
  startedMs: number;
  /** 0–100 from DuckDB's query progress, or null when it cannot tell. */
  percent(): number | null;
  /**
   * The file's first rows, read once per load on its own connection while the load runs (preview.ts); the
   * reason instead when this file gets none.
   */
  preview(): Promise<Preview | { none: NoPreview }>;
}

/** What a producer may read of its session. */
export type SessionView = Pick<Session, 'tables' | 'schema'>;

interface Session {
  id: string;
  current?: LoadedDataset;
  /** Every file loaded in the session, by its SQL table name: what query_data reads. */
  tables: SessionTables;
  /** The DuckDB schema holding this session's table views while a query runs. */
  schema: string;
  loading?: LoadProgress;
  /** The latest load of this session; later loads wait for it so the last request wins. */
  chain: Promise<unknown>;
  lastError?: EngineError;
}

/** What a session's new dataset was made with: the files loaded on the way, kept as tables (none for a query). */
export interface Produced {
  dataset: Dataset;
  files: { file: string; dataset: Dataset }[];
  /** A comparison's counts (compare_data). */
  compare?: CompareCounts;
  /** A comparison's two files in order, loaded now or reused from the session's tables. */
  sides?: { file: string; dataset: Dataset }[];
}

/** What a load reports while it runs: a JSON file's reader child's percent (json-isolate.ts). */
export interface ProduceHooks {
  onReaderPercent(percent: number): void;
}

/** What replaces a session's current dataset: a file (kept as a table too), a query result or a comparison. */
export interface Produce {
  /** For messages and the page's progress: the file, or "the query". */
  label: string;
  /** A file load (registered for a replacement server, and its errors shown by the page). */
  file?: string;
  produce(c: import('@duckdb/node-api').DuckDBConnection, nextId: () => number, s: SessionView, eng: Engine, hooks: ProduceHooks): Promise<Produced>;
}

export interface Replaced {
  loaded: LoadedDataset;
  replaced: boolean;
  /** The SQL name of a loaded file (query results have none). */
  table?: string;
  /** Every file loaded on the way, with its table name (a comparison loads two). */
  tables: { file: string; name: string; dataset: Dataset }[];
  compare?: CompareCounts;
  /** A comparison's two files with their table names, left first. */
  sides?: { file: string; name: string; dataset: Dataset }[];
}

export interface SessionStore {
  /**
   * Loads `file` as the session's dataset. When `signal` aborts (the client went away: the agent cancelled),
   * DuckDB's query is interrupted, the half-made table dropped, the session keeps what it showed, and the
   * promise rejects with E_CANCELLED.
   */
  load(session: string, file: string, signal?: AbortSignal): Promise<Replaced>;
  /** Runs query_data's SQL over the session's tables; the result becomes what the session shows. */
  query(session: string, sql: string, signal?: AbortSignal, timeoutMs?: number): Promise<Replaced>;
  /** Loads both files (kept as tables) and shows their diff: rows matched by `keys`, or by a detected key column. */
  compare(session: string, left: string, right: string, keys: string[] | undefined, signal?: AbortSignal): Promise<Replaced>;
  /** The session's table names, oldest first. */
  tables(session: string): string[];
  /** The session's dataset, reloading it from the registry when this process has not seen the session. */
  get(session: string): Promise<LoadedDataset>;
  /** A loading session's progress, for meta and MCP progress notifications. */
  loading(session: string): LoadProgress | undefined;
  lastError(session: string): EngineError | undefined;
  known(session: string): boolean;
}

export function createSessionStore(engine: () => Promise<Engine>, registry: SessionRegistry, log: Logger): SessionStore {
  const sessions = new Map<string, Session>();
  const reloads = new Map<string, Promise<LoadedDataset>>();
  let nextDatasetId = 1;
  let nextSchema = 1;

  const sessionOf = (id: string): Session => {
    let s = sessions.get(id);
    if (!s) sessions.set(id, (s = { id, chain: Promise.resolve(), tables: new SessionTables(), schema: `bt_q_${nextSchema++}` }));
    return s;
  };

  /**
   * Makes what `produce` builds the session's current dataset, behind the session's previous work: a file load
   * or a query result. Cancelling (`signal`) interrupts DuckDB and leaves the session as it was.
   */
  const replace = (id: string, what: Produce, signal?: AbortSignal): Promise<Replaced> => {
    if (!isValidSessionId(id)) throw new EngineError('E_BAD_REQUEST', `Invalid session id ${JSON.stringify(id)}.`, SESSION_ID_RULE);
    const s = sessionOf(id);
    const run = async (): Promise<Replaced> => {
      // Cancelled while it waited behind the session's previous work: nothing to undo.
      if (signal?.aborted) throw cancelled(what.label);
      let conn: import('@duckdb/node-api').DuckDBConnection | undefined;
      let previewing: Promise<Preview | { none: NoPreview }> | undefined;
      let readerPercent: number | undefined;
      const progress: LoadProgress = {
        // Only a file load previews its head; a query or a comparison has no file head to show.
        preview: () =>
          (previewing ??= (async () => {
            if (what.file === undefined) return { none: 'format' as const };
            const t0 = performance.now(); // the log says where a slow preview's time goes
            const plan = await previewPlan(what.file);
            if ('none' in plan) return plan;
            const eng = await engine();
            const t1 = performance.now();
            return eng.withConnection(async (c) => {
              const t2 = performance.now();
              const p = await readPreview(c, plan, what.file!, createValueConverter(eng.api));
              log.info('preview read', { session: id, path: what.file, plan_ms: Math.round(t1 - t0), connection_ms: Math.round(t2 - t1), read_ms: Math.round(performance.now() - t2) });
              return p;
            });
          })()),
        path: what.label,
        startedMs: Date.now(),
        percent() {
          // A JSON file is read by a child process first (json-isolate.ts); then the copy runs on conn.
          if (readerPercent !== undefined && readerPercent < 100) return readerPercent;
          try {
            const p = conn?.progress.percentage;
            return p === undefined || p < 0 ? null : Math.min(100, Math.round(p * 10) / 10);
          } catch {
            return null;
          }
        },
      };
      // Loading from here on, also while the first load opens DuckDB: meta then answers "loading" at once
      // instead of waiting for the whole load behind the session's chain.
      s.loading = progress;
      // The file's head first, for the page opened at load start: alongside the full load it waits for the cores
      // the load holds (seconds on a busy machine). The load waits for it, a little.
      if (what.file !== undefined) await headStart(progress.preview());
      const eng = await engine().catch((err: unknown) => {
        if (s.loading === progress) s.loading = undefined;
        throw err;
      });
      // Readers of the session wait for this load, so the current dataset's background stats would only slow it.
      const previous = s.current;
      previous?.stats.suspend();
      try {
        const made = await eng.withConnection(async (c) => {
          conn = c;
          if (signal?.aborted) throw cancelled(what.label); // while DuckDB opened or a connection was free
          // DuckDB forgets an interrupt that lands between two statements (each statement starts uninterrupted),
          // and a load or query runs several: after a cancel, interrupt again until the work stops.
          let repeat: ReturnType<typeof setInterval> | undefined;
          const interrupt = (): void => {
            c.interrupt();
            repeat ??= setInterval(() => c.interrupt(), INTERRUPT_REPEAT_MS);
          };
          signal?.addEventListener('abort', interrupt, { once: true });
          try {
            let m: Awaited<ReturnType<Produce['produce']>>;
            try {
              m = await what.produce(c, () => nextDatasetId++, s, eng, { onReaderPercent: (p) => (readerPercent = p) });
            } finally {
              clearInterval(repeat);
              // The repeated interrupts may have cut a query's own clean-up short: the pooled connection must not
              // keep a session's search_path (query.ts sets it for the agent's SQL).
              if (repeat) await c.run('reset search_path').catch(() => {});
            }
            // Aborted between two of the load's queries, or just as it finished: the new table never shows.
            if (signal?.aborted) {
              for (const ds of new Set([m.dataset, ...m.files.map((f) => f.dataset)])) await dropDataset(c, ds).catch(() => {});
              throw cancelled(what.label);
            }
            return m;
          } finally {
            signal?.removeEventListener('abort', interrupt);
          }
        });
        const wrap = (ds: Dataset): LoadedDataset => ({ dataset: ds, stats: createStatsCache(eng, ds), rows: createRowsReader(eng, ds) });
        const dataset = made.dataset;
        const loaded = wrap(dataset);
        const old = s.current;
        s.current = loaded;
        s.lastError = undefined;
        // A file stays queryable under its table name after the page moves on; a replaced file or an evicted
        // one, or a result nothing shows any more, is freed. Nobody waits for that.
        const tables: Replaced['tables'] = [];
        const dropped: LoadedDataset[] = [];
        for (const f of made.files) {
          const put = s.tables.put(f.file, f.dataset === dataset ? loaded : wrap(f.dataset), eng.reservedWords);
          tables.push({ file: f.file, name: put.name, dataset: f.dataset });
          dropped.push(...put.dropped);
        }
        const table = what.file === undefined ? undefined : tables[0];
        // A Set: reloading the file the page shows makes it both the old view and the replaced table.
        for (const gone of new Set([old, ...dropped])) if (gone && !s.tables.holds(gone) && gone !== s.current) void free(eng, gone, log);
        // Awaited: once /load answers, a replacement server must be able to reload this session.
        if (what.file !== undefined) await registry.put(id, what.file).catch((err: unknown) => log.warn('session registry write failed', { session: id, error: err }));
        // The agent's summary first, then the page's histograms. Started only now: DuckDB then takes both cores,
        // and every await before the answer goes out (the registry write above) would wait behind it.
        void loaded.stats.get(leadingColumns(dataset)).catch(() => {});
        log.info(what.file === undefined ? 'query' : 'loaded', { session: id, path: what.label, format: dataset.format, rows: dataset.rows, columns: dataset.columns.length, ms: Math.round(dataset.loadMs) });
        const sides = made.sides?.map((f) => ({ ...f, name: s.tables.byFile(f.file)?.name ?? '' }));
        return { loaded, replaced: old !== undefined, table: table?.name, tables, compare: made.compare, sides };
      } catch (err) {
        if (previous && s.current === previous) previous.stats.resume();
        // DuckDB's "INTERRUPT Error" is not the file's fault: the page keeps its table and no error sticks.
        if (signal?.aborted) throw cancelled(what.label);
        if (err instanceof EngineError && what.file !== undefined) s.lastError = err;
        throw err;
      } finally {
        if (s.loading === progress) s.loading = undefined;
      }
    };
    const p = s.chain.then(run, run);
    s.chain = p.catch(() => {});
    return p;
  };

  const load = (id: string, file: string, signal?: AbortSignal): Promise<Replaced> =>
    replace(
      id,
      {
        label: file,
        file,
        produce: async (c, nextId, _s, _eng, hooks) => {
          const ds = await loadDataset(c, { id: nextId(), file, signal, onReaderPercent: hooks.onReaderPercent });
          return { dataset: ds, files: [{ file, dataset: ds }] };
        },
      },
      signal,
    );

  const query = (id: string, sql: string, signal?: AbortSignal, timeoutMs?: number): Promise<Replaced> =>
    replace(
      id,
      { label: 'the query', produce: async (c, nextId, s) => ({ dataset: await runQueryDataset(c, { id: nextId(), sql, schema: s.schema, tables: s.tables.list(), timeoutMs }), files: [] }) },
      signal,
    );

  const compare = (id: string, left: string, right: string, keys: string[] | undefined, signal?: AbortSignal): Promise<Replaced> =>
    replace(id, compareProducer({ session: id, left, right, keys, signal, log }), signal);

  return {
    load,
    query,
    compare,
    tables: (id) => sessions.get(id)?.tables.list().map((t) => t.name) ?? [],
    async get(id) {
      if (!isValidSessionId(id)) throw unknownSession(id);
      const s = sessions.get(id);
      if (s) {
        await s.chain;
        if (s.current) return s.current;
        throw s.lastError ?? new EngineError('E_NO_DATASET', `Session ${id} has no data loaded yet.`, 'Ask the agent to call view_data.');
      }
      // Concurrent first requests (rows, stats, meta of a reconnecting page) share one reload.
      let reload = reloads.get(id);
      if (!reload) {
        reload = (async () => {
          const entry = await registry.get(id);
          if (!entry) throw unknownSession(id);
          log.info('reloading session from registry', { session: id, path: entry.path });
          return (await load(id, entry.path)).loaded;
        })();
        reloads.set(id, reload);
        void reload.catch(() => {}).finally(() => reloads.delete(id));
      }
      return reload;
    },
    loading: (id) => sessions.get(id)?.loading,
    lastError: (id) => sessions.get(id)?.lastError,
    known: (id) => sessions.has(id),
  };
}

/** The columns whose stats are computed as soon as the dataset is loaded. */
export function leadingColumns(ds: Dataset, n = PREFETCH_STATS_COLUMNS): number[] {
  return Array.from({ length: Math.min(n, ds.columns.length) }, (_, i) => i);
}

/** Waits for the preview, or PREVIEW_HEAD_START_MS, whichever comes first; its failure is the page's news, not the load's. */
async function headStart(preview: Promise<unknown>): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([preview.catch(() => {}), new Promise<void>((r) => (timer = setTimeout(r, PREVIEW_HEAD_START_MS)))]);
  clearTimeout(timer);
}

function cancelled(what: string): EngineError {
  return new EngineError('E_CANCELLED', `Loading ${what} was cancelled; the session keeps what it showed.`, 'Call the tool again to load it.');
}

function unknownSession(id: string): EngineError {
  return new EngineError('E_UNKNOWN_SESSION', `Unknown session ${JSON.stringify(id)}.`, 'The session may have expired; ask the agent to call view_data again.');
}

async function free(eng: Engine, old: LoadedDataset, log: Logger): Promise<void> {
  old.stats.cancel();
  try {
    await eng.withConnection(async (c) => {
      await old.rows.dispose(c);
      await dropDataset(c, old.dataset);
    });
  } catch (err) {
    log.warn('could not drop the previous dataset', { id: old.dataset.id, error: err });
  }
}
