// How the page marks a compare_data diff (contract/diff.ts): rows only in one side get a row colour, and in a
// changed row the cells that changed (their text is "old → new") are highlighted. Nothing for other datasets.

import type { CellClassParams, RowClassParams } from 'ag-grid-community';
import { CHANGE, CHANGE_COLUMN, CHANGED_COLUMNS_COLUMN, DIFF_FORMAT } from '../contract/diff.ts';
import type { DatasetMeta } from './api.ts';

interface DiffRow {
  values: unknown[];
}

/**
 * Where the diff's own columns sit in a row's values, or undefined when the dataset is not a diff: first and
 * last, by position, since a file with a column named `change` gets them renamed (`diff_change`, engine/compare.ts).
 */
function diffIndexes(m: DatasetMeta): { change: number; changed: number } | undefined {
  if (m.format !== DIFF_FORMAT || m.columns.length < 2) return undefined;
  const changed = m.columns.length - 1;
  const named = (i: number, base: string): boolean => m.columns[i]!.name === base || m.columns[i]!.name.startsWith(`diff_${base}`);
  return named(0, CHANGE_COLUMN) && named(changed, CHANGED_COLUMNS_COLUMN) ? { change: 0, changed } : undefined;
}

/** Cell class rules for column `name` of `m`: 'bt-diff-changed' on a changed cell. */
export function diffCellRules<R extends DiffRow>(m: DatasetMeta, name: string): Record<string, (p: CellClassParams<R>) => boolean> {
  const at = diffIndexes(m);
  if (!at) return {};
  return {
    'bt-diff-changed': (p) => {
      if (p.node.rowPinned || !p.data) return false;
      const list = p.data.values[at.changed];
      return Array.isArray(list) && list.includes(name);
    },
  };
}

/** The row class of a diff row ('bt-diff-left' / 'bt-diff-right'), or undefined. */
export function diffRowClass<R extends DiffRow>(m: DatasetMeta | undefined, p: RowClassParams<R>): string | undefined {
  if (!m || p.node.rowPinned || !p.data) return undefined;
  const at = diffIndexes(m);
  if (!at) return undefined;
  const side = p.data.values[at.change];
  return side === CHANGE.onlyLeft ? 'bt-diff-left' : side === CHANGE.onlyRight ? 'bt-diff-right' : undefined;
}
