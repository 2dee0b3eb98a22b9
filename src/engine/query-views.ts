// A session's tables as views named for their files, in a schema of the session's own (`bt_q_<n>`), so
// query_data's SQL reads `sales`, never our internal tables. Made again only when the session's tables changed
// since its last query: dropping the schema and making a view per table took 2–7 ms of every query (issue 16).

import type { DuckDBConnection } from '@duckdb/node-api';
import type { Dataset } from './load.ts';
import { quoteIdent } from './sql.ts';

export interface QueryTable {
  name: string;
  dataset: Dataset;
}

/** What the views stand for: each name, the table behind it and its columns. A loaded table never changes. Pure. */
export function viewsKey(tables: readonly QueryTable[]): string {
  return JSON.stringify(tables.map((t) => [t.name, t.dataset.relation, t.dataset.columns.map((c) => c.name)]));
}

export class QueryViews {
  /** The key of the views the schema holds now; undefined while none are known to be complete. */
  #defined: string | undefined;

  constructor(readonly schema: string) {}

  /** Makes the schema hold exactly `tables` as views, unless it already does. */
  async define(conn: DuckDBConnection, tables: readonly QueryTable[]): Promise<void> {
    const key = viewsKey(tables);
    if (key === this.#defined) return;
    // Half made if a cancel interrupts what follows: the next query then makes them again.
    this.#defined = undefined;
    const s = quoteIdent(this.schema);
    await conn.run(`drop schema if exists ${s} cascade`);
    await conn.run(`create schema ${s}`);
    for (const t of tables) {
      const cols = t.dataset.columns.map((c) => quoteIdent(c.name)).join(', ');
      await conn.run(`create view ${s}.${quoteIdent(t.name)} as select ${cols} from main.${t.dataset.relation}`);
    }
    this.#defined = key;
  }
}
