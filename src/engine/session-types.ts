// The shapes the session store (sessions.ts) shares with its producers (a file load, a query, a comparison) and
// with the routes that read it.

import type { DuckDBConnection } from '@duckdb/node-api';
import type { CompareCounts } from './compare.ts';
import type { Engine } from './duckdb.ts';
import type { Dataset } from './load.ts';
import type { NoPreview, Preview } from './preview.ts';
import type { QueryViews } from './query-views.ts';
import type { RowsReader } from './rows.ts';
import type { SessionTables } from './session-tables.ts';
import type { StatsCache } from './stats.ts';

/** What a producer may read of its session. */
export interface SessionView {
  /** Every file loaded in the session, by its SQL table name: what query_data reads. */
  tables: SessionTables;
  /** The session's tables as views in its own DuckDB schema, for query_data. */
  views: QueryViews;
}

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

/** What a session's new dataset was made with: the files loaded on the way, kept as tables (none for a query). */
export interface Produced {
  dataset: Dataset;
  /** `name`: the table name the file had before a server replacement, kept when free. */
  files: { file: string; dataset: Dataset; name?: string }[];
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
  /**
   * The route starts the new dataset's stats (Replaced.prefetchStats) once its answer is out: a query's or a
   * diff's answer needs no stats, and on two cores they would run beside its first window and the answer.
   */
  statsAfterAnswer?: boolean;
  produce(c: DuckDBConnection, nextId: () => number, s: SessionView, eng: Engine, hooks: ProduceHooks): Promise<Produced>;
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
  /** Starts computing the leading columns' stats for the page (once; the store already did unless statsAfterAnswer). */
  prefetchStats(): void;
}
