// Sessions: one agent process's view, showing one dataset (a file or a query_data result) and keeping the files
// it loaded queryable by table name (session-tables.ts). A new load or query replaces what the session shows.
// A session this process has never seen is reloaded from the registry, so a viewer page survives a server
// replacement: its last file first (what the page waits for), then its other tables under their names, behind
// it on the session's chain (a query waits for them). Query results and diffs are not restored. What it showed before stays
// readable by dataset id for a while (session-views.ts), for the chat app's older instances.

import fs from 'node:fs';
import { isValidSessionId, SESSION_ID_RULE } from '../contract/session-id.ts';
import type { Logger } from '../log.ts';
import type { Engine } from './duckdb.ts';
import { EngineError } from './errors.ts';
import { dropDataset, loadDataset, type Dataset } from './load.ts';
import { compareProducer } from './session-compare.ts';
import { previewPlan, readPreview, type NoPreview, type Preview } from './preview.ts';
import { QueryViews } from './query-views.ts';
import { queryProducer } from './session-query.ts';
import { createRowsReader } from './rows.ts';
import type { SessionRegistry } from './session-registry.ts';
import { SessionTables } from './session-tables.ts';
import { firstDatasetId, freeDataset, keptWhenReplaced, KeptViews } from './session-views.ts';
import { createStatsCache, createStatsGate, leadingColumns } from './stats.ts';
export { leadingColumns, PREFETCH_STATS_COLUMNS } from './stats.ts';
import type { LoadedDataset, LoadProgress, Produce, Replaced } from './session-types.ts';
export type { LoadedDataset, LoadProgress, Produce, Produced, ProduceHooks, Replaced, SessionView } from './session-types.ts';
import { createValueConverter } from './values.ts';

/** After a cancel, how often DuckDB is interrupted again until the load or query stops. */
const INTERRUPT_REPEAT_MS = 50;

/** The longest a load waits for its preview (read once per load) before it starts: a few ms is usual. */
const PREVIEW_HEAD_START_MS = 250;
/**
 * Below this size a whole load takes about as long as the preview would (a few hundred ms at most), so the load
 * does not wait for a head read first; the page can still ask for the preview while it runs.
 */
const PREVIEW_WAIT_MIN_BYTES = 16 * 1024 * 1024;

interface Session {
  id: string;
  current?: LoadedDataset;
  /** Every file loaded in the session, by its SQL table name: what query_data reads. */
  tables: SessionTables;
  /** Query results and diffs it showed before, still readable by dataset id. */
  kept: KeptViews;
  /** The session's tables as views in its own DuckDB schema, for query_data. */
  views: QueryViews;
  loading?: LoadProgress;
  /** The file the session last showed (a query or diff after it leaves it so), for the registry. */
  shownFile?: string;
  /** The latest load of this session; later loads wait for it so the last request wins. */
  chain: Promise<unknown>;
  lastError?: EngineError;
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
  /**
   * Dataset `id` of the session, shown now or before and still kept (a table, or one of the last results), at
   * once: a load running meanwhile does not hold an older view up. E_DATASET_GONE when it is no longer kept.
   */
  dataset(session: string, id: number): LoadedDataset;
  /** Resolves once the session's running work (a load, a query) is over. */
  idle(session: string): Promise<void>;
  /** A loading session's progress, for meta and MCP progress notifications. */
  loading(session: string): LoadProgress | undefined;
  lastError(session: string): EngineError | undefined;
  known(session: string): boolean;
}

export function createSessionStore(engine: () => Promise<Engine>, registry: SessionRegistry, log: Logger, startMs = Date.now()): SessionStore {
  const sessions = new Map<string, Session>();
  const reloads = new Map<string, Promise<LoadedDataset>>();
  let nextDatasetId = firstDatasetId(startMs);
  let nextSchema = 1;
  const statsGate = createStatsGate(); // closed while a load, query or comparison runs

  const sessionOf = (id: string): Session => {
    let s = sessions.get(id);
    if (!s) sessions.set(id, (s = { id, chain: Promise.resolve(), tables: new SessionTables(), kept: new KeptViews(), views: new QueryViews(`bt_q_${nextSchema++}`) }));
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
      // Readers of the session wait for this load, so the current dataset's background stats would only slow it.
      const previous = s.current;
      previous?.stats.suspend();
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
      if (what.file !== undefined && (await fileSize(what.file)) >= PREVIEW_WAIT_MIN_BYTES) await headStart(progress.preview());
      const eng = await engine().catch((err: unknown) => {
        if (s.loading === progress) s.loading = undefined;
        previous?.stats.resume();
        throw err;
      });
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
        const wrap = (ds: Dataset): LoadedDataset => ({ dataset: ds, stats: createStatsCache(eng, ds, statsGate), rows: createRowsReader(eng, ds, { aside: statsGate.whilePaused }) });
        const dataset = made.dataset;
        const loaded = wrap(dataset);
        const old = s.current;
        s.current = loaded;
        s.lastError = undefined;
        // No longer in the way of a load: an older view may still ask for its stats.
        previous?.stats.resume();
        // A file stays queryable under its table name after the page moves on; a replaced file or an evicted
        // one, or a result nothing shows any more, is freed. Nobody waits for that.
        const tables: Replaced['tables'] = [];
        const dropped: LoadedDataset[] = [];
        for (const f of made.files) {
          const put = s.tables.put(f.file, f.dataset === dataset ? loaded : wrap(f.dataset), eng.reservedWords, f.name);
          tables.push({ file: f.file, name: put.name, dataset: f.dataset });
          dropped.push(...put.dropped);
        }
        const table = what.file === undefined ? undefined : tables[0];
        // What the session showed stays readable for an older view while kept; a file as long as it is a table.
        const letGo = old && keptWhenReplaced(old) ? s.kept.keep(old) : old ? [old] : [];
        // A Set: reloading the file the page shows makes it both the old view and the replaced table.
        for (const gone of new Set([...letGo, ...dropped])) if (!s.tables.holds(gone) && !s.kept.holds(gone) && gone !== s.current) void freeDataset(eng, gone, log);
        if (what.file !== undefined) s.shownFile = what.file;
        // Awaited: once /load answers, a replacement server must be able to reload this session and its tables.
        const registered = s.shownFile ?? made.files.at(-1)?.file;
        if (registered !== undefined && made.files.length > 0) {
          await registry.put(id, registered, s.tables.files()).catch((err: unknown) => log.warn('session registry write failed', { session: id, error: err }));
        }
        // The agent's summary first, then the page's histograms. Started only now: DuckDB then takes both cores,
        // and every await before the answer goes out (the registry write above) would wait behind it.
        let statsStarted: Promise<unknown> | undefined;
        const prefetchStats = (): void => void (statsStarted ??= loaded.stats.get(leadingColumns(dataset)).catch(() => {}));
        if (!what.statsAfterAnswer) prefetchStats();
        log.info(what.file === undefined ? 'query' : 'loaded', { session: id, path: what.label, format: dataset.format, rows: dataset.rows, columns: dataset.columns.length, ms: Math.round(dataset.loadMs) });
        const sides = made.sides?.map((f) => ({ ...f, name: s.tables.byFile(f.file)?.name ?? '' }));
        return { loaded, replaced: old !== undefined, table: table?.name, tables, compare: made.compare, sides, prefetchStats };
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
    // Every session's background stats wait meanwhile (stats-gate.ts; a second at most), from the first step on:
    // with a small pool even the file-size check and the preview's head read queue behind stats queries.
    const runAlone = (): Promise<Replaced> => statsGate.whilePaused(run);
    const p = s.chain.then(runAlone, runAlone);
    s.chain = p.catch(() => {});
    return p;
  };

  /** `name`: the table name the file had before a server replacement (restoring only). */
  const load = (id: string, file: string, signal?: AbortSignal, name?: string): Promise<Replaced> =>
    replace(
      id,
      {
        label: file,
        file,
        produce: async (c, nextId, _s, _eng, hooks) => {
          const ds = await loadDataset(c, { id: nextId(), file, signal, onReaderPercent: hooks.onReaderPercent });
          return { dataset: ds, files: [{ file, dataset: ds, name }] };
        },
      },
      signal,
    );

  /**
   * A restored session's other files, as tables under their old names, behind its chain; what the session shows
   * stays. A file that cannot be read any more is left out (logged): query_data then lists what there is.
   */
  const restoreTables = (id: string, tables: { path: string; name: string }[]): void => {
    const s = sessionOf(id);
    const run = async (): Promise<void> => {
      const eng = await engine();
      for (const t of tables) {
        if (s.tables.byFile(t.path)) continue;
        try {
          const ds = await eng.withConnection((c) => loadDataset(c, { id: nextDatasetId++, file: t.path }));
          const put = s.tables.put(t.path, { dataset: ds, stats: createStatsCache(eng, ds, statsGate), rows: createRowsReader(eng, ds, { aside: statsGate.whilePaused }) }, eng.reservedWords, t.name);
          for (const gone of put.dropped) if (!s.kept.holds(gone) && gone !== s.current) void freeDataset(eng, gone, log);
          log.info('restored a table from the registry', { session: id, path: t.path, table: put.name });
        } catch (err) {
          log.warn('could not restore a table from the registry', { session: id, path: t.path, error: err });
        }
      }
      // The shown file's reload wrote an entry with itself alone: the restored tables go back in.
      if (s.shownFile !== undefined) await registry.put(id, s.shownFile, s.tables.files()).catch((err: unknown) => log.warn('session registry write failed', { session: id, error: err }));
    };
    s.chain = s.chain.then(run, run).catch(() => {});
  };

  const query = (id: string, sql: string, signal?: AbortSignal, timeoutMs?: number): Promise<Replaced> =>
    replace(id, queryProducer({ session: id, sql, timeoutMs, log }), signal);

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
          log.info('reloading session from registry', { session: id, path: entry.path, tables: entry.tables?.length ?? 0 });
          const shown = entry.tables?.find((t) => t.path === entry.path);
          const loaded = (await load(id, entry.path, undefined, shown?.name)).loaded;
          restoreTables(id, (entry.tables ?? []).filter((t) => t.path !== entry.path));
          return loaded;
        })();
        reloads.set(id, reload);
        void reload.catch(() => {}).finally(() => reloads.delete(id));
      }
      return reload;
    },
    dataset(id, datasetId) {
      const s = sessions.get(id);
      const found = s?.current?.dataset.id === datasetId ? s.current : (s?.tables.byDatasetId(datasetId) ?? s?.kept.byId(datasetId));
      if (found) return found;
      throw new EngineError('E_DATASET_GONE', `The data of this view (dataset ${datasetId}) was replaced and is no longer kept.`, 'The newest result in the conversation shows the current data; ask the agent to show this one again.');
    },
    idle: async (id) => {
      await sessions.get(id)?.chain;
    },
    loading: (id) => sessions.get(id)?.loading,
    lastError: (id) => sessions.get(id)?.lastError,
    known: (id) => sessions.has(id),
  };
}

/** 0 when it cannot be read: the load then says why. */
const fileSize = (file: string): Promise<number> => fs.promises.stat(file).then((st) => st.size, () => 0);

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
