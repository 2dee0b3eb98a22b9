// What a session showed before its current dataset, kept a little longer so an older view (a chat app instance
// of an earlier view_data, query_data or compare_data) can still read its own rows, by dataset id. Files stay
// readable as long as the session keeps them as tables (session-tables.ts); this ring adds the last few query
// results and diffs, which nothing else holds.

import { DIFF_FORMAT } from '../contract/diff.ts';
import type { Logger } from '../log.ts';
import type { Engine } from './duckdb.ts';
import { dropDataset } from './load.ts';
import type { LoadedDataset } from './sessions.ts';

/** Earlier datasets a session keeps readable besides its tables: a query result can be as big as its file. */
export const MAX_KEPT_VIEWS = 3;

/**
 * The first dataset id a server hands out. Ids restart with every server, and an app instance keeps its id
 * across a server replacement: starting at the server's start time in ms makes an old id unknown to the new
 * server (E_DATASET_GONE) instead of naming another dataset. An old server would have to have made more than
 * one dataset per millisecond of its life for its ids to reach the new server's.
 */
export function firstDatasetId(startMs: number): number {
  return Math.floor(startMs);
}

/**
 * Whether a dataset the session stops showing goes into the ring: a query result or a diff. A file is not: it stays
 * readable while it is a table, and an older view of a file reloaded or let go finds it again by path; keeping old
 * loads of a file too would keep copies of a big file each time the agent shows it again.
 */
export function keptWhenReplaced(loaded: LoadedDataset): boolean {
  return loaded.dataset.format === 'query' || loaded.dataset.format === DIFF_FORMAT;
}

export class KeptViews {
  /** Oldest first. */
  readonly #kept: LoadedDataset[] = [];

  /** Keeps `loaded` (the dataset a session just stopped showing); answers the ones let go to make room. */
  keep(loaded: LoadedDataset): LoadedDataset[] {
    if (!this.#kept.includes(loaded)) this.#kept.push(loaded);
    return this.#kept.splice(0, Math.max(0, this.#kept.length - MAX_KEPT_VIEWS));
  }

  holds(loaded: LoadedDataset): boolean {
    return this.#kept.includes(loaded);
  }

  byId(id: number): LoadedDataset | undefined {
    return this.#kept.find((k) => k.dataset.id === id);
  }
}

/** Lets a dataset go: its stats stop, its table is dropped (nobody waits for it). */
export async function freeDataset(eng: Engine, old: LoadedDataset, log: Logger): Promise<void> {
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
