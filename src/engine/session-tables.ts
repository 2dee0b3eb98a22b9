// The files a session has loaded, each under its SQL table name (table-names.ts), for query_data. Loading the
// same file again replaces its table; past MAX_SESSION_TABLES the oldest file is let go, so a session that
// views file after file does not keep every one in memory.

import type { QueryTable } from './query.ts';
import type { LoadedDataset } from './sessions.ts';
import { tableNameFor } from './table-names.ts';

/** Files a session keeps queryable; the oldest beyond this is dropped (the page never shows it by then). */
export const MAX_SESSION_TABLES = 8;

interface Entry {
  file: string;
  loaded: LoadedDataset;
}

export class SessionTables {
  /** Insertion order is load order: the first entry is the oldest. */
  readonly #byName = new Map<string, Entry>();

  /**
   * Files `loaded` under its table name (`preferred` when free: the name it had before a server replacement);
   * answers that name and the datasets no longer held (to be freed).
   */
  put(file: string, loaded: LoadedDataset, reserved: ReadonlySet<string>, preferred?: string): { name: string; dropped: LoadedDataset[] } {
    const taken = new Map([...this.#byName].map(([name, e]) => [name, e.file]));
    const free = preferred !== undefined && !taken.has(preferred) && !reserved.has(preferred) && !this.byFile(file);
    const name = free ? preferred : tableNameFor(file, taken, reserved);
    const dropped: LoadedDataset[] = [];
    const previous = this.#byName.get(name);
    if (previous) {
      this.#byName.delete(name);
      dropped.push(previous.loaded);
    }
    this.#byName.set(name, { file, loaded });
    while (this.#byName.size > MAX_SESSION_TABLES) {
      const [oldest, entry] = this.#byName.entries().next().value as [string, Entry];
      this.#byName.delete(oldest);
      dropped.push(entry.loaded);
    }
    return { name, dropped };
  }

  /** The table of `file`, if the session has loaded it. */
  byFile(file: string): { name: string; loaded: LoadedDataset } | undefined {
    for (const [name, e] of this.#byName) if (e.file === file) return { name, loaded: e.loaded };
    return undefined;
  }

  /** The table whose dataset has this id. */
  byDatasetId(id: number): LoadedDataset | undefined {
    for (const e of this.#byName.values()) if (e.loaded.dataset.id === id) return e.loaded;
    return undefined;
  }

  holds(loaded: LoadedDataset): boolean {
    for (const e of this.#byName.values()) if (e.loaded === loaded) return true;
    return false;
  }

  /** Each file with its table name, oldest first (what the registry keeps for a replacement server). */
  files(): { path: string; name: string }[] {
    return [...this.#byName].map(([name, e]) => ({ path: e.file, name }));
  }

  list(): QueryTable[] {
    return [...this.#byName].map(([name, e]) => ({ name, dataset: e.loaded.dataset }));
  }
}
