// compare_data's producer for the session store: both files as tables — one the session holds unchanged (same
// size and modification time) is reused, so view_data then compare_data, or compare_data twice, reads each file
// once — then the diff (compare.ts) as what the session shows.

import fs from 'node:fs';
import type { Logger } from '../log.ts';
import { runCompare } from './compare.ts';
import { dropDataset, loadDataset, type Dataset } from './load.ts';
import type { Produce } from './sessions.ts';

export interface CompareRequest {
  session: string;
  left: string;
  right: string;
  keys: string[] | undefined;
  signal: AbortSignal | undefined;
  log: Logger;
}

export function compareProducer(o: CompareRequest): Produce {
  return {
    label: `${o.left} and ${o.right}`,
    statsAfterAnswer: true,
    produce: async (c, nextId, s, _eng, hooks) => {
      const made: { file: string; dataset: Dataset }[] = [];
      const side = async (file: string): Promise<Dataset> => {
        const held = s.tables.byFile(file)?.loaded.dataset;
        if (held && (await unchanged(file, held))) {
          o.log.info('compare reuses the loaded file', { session: o.session, path: file });
          return held;
        }
        const again = made.find((m) => m.file === file); // left and right the same file
        if (again) return again.dataset;
        const ds = await loadDataset(c, { id: nextId(), file, signal: o.signal, onReaderPercent: hooks.onReaderPercent });
        o.log.info('loaded for compare', { session: o.session, path: file, rows: ds.rows, ms: Math.round(ds.loadMs) });
        made.push({ file, dataset: ds });
        return ds;
      };
      try {
        const l = await side(o.left);
        const r = await side(o.right);
        const onSteps = (steps: Record<string, number>): void => o.log.info('compare steps', { session: o.session, ...steps });
        const diff = await runCompare(c, { id: nextId(), left: l, right: r, keys: o.keys, onSteps });
        return { dataset: diff.dataset, files: made, compare: diff.counts, sides: [{ file: o.left, dataset: l }, { file: o.right, dataset: r }] };
      } catch (err) {
        for (const m of made) await dropDataset(c, m.dataset).catch(() => {});
        throw err;
      }
    },
  };
}

/** Whether `file` is still what `ds` was loaded from (same size and modification time). */
async function unchanged(file: string, ds: Dataset): Promise<boolean> {
  try {
    const st = await fs.promises.stat(file);
    return ds.mtimeMs !== undefined && st.mtimeMs === ds.mtimeMs && st.size === ds.bytes;
  } catch {
    return false; // gone or unreadable: loading it again names the problem
  }
}
