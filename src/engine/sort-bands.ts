// The bands (sort-band.ts) of one dataset's sorts, kept so the windows next to a first sorted window (the page
// scrolling) read from the same small table instead of selecting again, until the sort's whole table is built.
// Also remembers each column's count of non-null values, which places the NULLs.

import type { DuckDBConnection } from '@duckdb/node-api';
import type { Engine } from './duckdb.ts';
import type { Dataset } from './load.ts';
import { readNumbers } from './row-fetch.ts';
import { nullWindowSql, selectSortBand, type SortBand, type SortKey } from './sort-band.ts';
import { quoteIdent } from './sql.ts';

/** Bands kept per dataset (each a few thousand to a few hundred thousand row numbers); the oldest is dropped. */
const BANDS_KEPT = 4;

export interface SortBands {
  /** Row numbers at positions [offset, offset + limit) of the sort, or undefined when the sample missed. */
  window(key: SortKey, offset: number, limit: number): Promise<number[] | undefined>;
  /** Lets the sort's bands go (its whole table is built). */
  drop(key: SortKey): Promise<void>;
  dispose(conn: DuckDBConnection): Promise<void>;
}

interface Kept {
  key: string;
  band: SortBand;
  /** Windows reading it now: a band is dropped only once none is. */
  readers: number;
  dropped: boolean;
}

/** `aside` runs a selection (three scans of the column) with background work paused; reusing a band needs no pause. */
export function createSortBands(engine: Pick<Engine, 'withConnection'>, ds: Dataset, aside: <T>(fn: () => Promise<T>) => Promise<T> = (fn) => fn()): SortBands {
  const kept: Kept[] = [];
  const nonNull = new Map<string, number>();
  let next = 0;
  let disposed = false;
  const keyOf = (key: SortKey): string => JSON.stringify([key.column, key.dir]);

  const release = async (conn: DuckDBConnection, k: Kept): Promise<void> => {
    if (k.dropped && k.readers === 0) await conn.run(`drop table if exists ${k.band.table}`);
  };
  const letGo = (conn: DuckDBConnection, k: Kept): Promise<void> => {
    const at = kept.indexOf(k);
    if (at >= 0) kept.splice(at, 1);
    k.dropped = true;
    return release(conn, k);
  };

  return {
    window: (key, offset, limit) =>
      engine.withConnection(async (conn) => {
        const k = keyOf(key);
        let m = nonNull.get(key.column);
        const covers = (b: SortBand): boolean => b.start <= offset && Math.min(offset + limit, m!) <= b.start + b.rows;
        let hit = m === undefined || offset >= m ? undefined : kept.find((x) => x.key === k && covers(x.band));
        if (m === undefined || (offset < m && !hit)) {
          const got = await aside(() => selectSortBand(conn, ds, key, offset, limit, quoteIdent(`bt_ds_${ds.id}_b${next++}`)));
          if (!got) return undefined;
          m = got.nonNull;
          nonNull.set(key.column, m);
          if (got.band) {
            hit = { key: k, band: got.band, readers: 0, dropped: disposed };
            if (disposed) await release(conn, hit);
            else {
              kept.push(hit);
              while (kept.length > BANDS_KEPT) await letGo(conn, kept[0]!);
            }
          }
        }
        const numbers: number[] = [];
        if (hit && offset < m) {
          hit.readers++;
          try {
            const { start, table } = hit.band;
            numbers.push(...(await readNumbers(conn, `select r from ${table} where rowid >= $1 and rowid < $2 order by rowid`, [BigInt(offset - start), BigInt(Math.min(offset + limit, m) - start)])));
          } finally {
            hit.readers--;
            await release(conn, hit);
          }
        }
        const nulls = nullWindowSql(ds, key.column, m, offset, limit);
        if (nulls) numbers.push(...(await readNumbers(conn, nulls)));
        return numbers;
      }),
    async drop(key) {
      const k = keyOf(key);
      const mine = kept.filter((x) => x.key === k);
      if (mine.length > 0) await engine.withConnection(async (conn) => {
        for (const x of mine) if (!x.dropped) await letGo(conn, x);
      });
    },
    async dispose(conn) {
      disposed = true;
      for (const x of [...kept]) await letGo(conn, x);
    },
  };
}
