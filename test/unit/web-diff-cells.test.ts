import type { CellClassParams, RowClassParams } from 'ag-grid-community';
import { describe, expect, it } from 'vitest';
import type { DatasetMeta } from '../../src/web/api.ts';
import { diffCellRules, diffRowClass } from '../../src/web/diff-cells.ts';

interface Row {
  values: unknown[];
}
const meta = (names: string[], format = 'diff'): DatasetMeta => ({ session: 's', datasetId: 1, path: '/a.csv → /b.csv', format, rows: 1, columns: names.map((name) => ({ name, dtype: 'VARCHAR' })) });
const rowParams = (values: unknown[]) => ({ node: { rowPinned: undefined }, data: { values } }) as unknown as RowClassParams<Row>;
const cellParams = (values: unknown[]) => ({ node: { rowPinned: undefined }, data: { values } }) as unknown as CellClassParams<Row>;

describe('how the page marks a diff', () => {
  it('colours one-sided rows and highlights changed cells', () => {
    const m = meta(['change', 'id', 'name', 'changed_columns']);
    expect(diffRowClass(m, rowParams(['only in left', 1, 'a', []]))).toBe('bt-diff-left');
    expect(diffCellRules<Row>(m, 'name')['bt-diff-changed']!(cellParams(['changed', 1, 'a → b', ['name']]))).toBe(true);
  });

  it('reads the diff\'s own first and last columns when a file column took the name change', () => {
    const m = meta(['diff_change', 'id', 'change', 'changed_columns', 'diff_changed_columns']);
    const changed = ['changed', 2, 'fixed → refixed', 'b', ['change']];
    expect(diffRowClass(m, rowParams(changed))).toBeUndefined();
    expect(diffRowClass(m, rowParams(['only in right', 4, 'new', 'd', []]))).toBe('bt-diff-right');
    expect(diffCellRules<Row>(m, 'change')['bt-diff-changed']!(cellParams(changed))).toBe(true);
    expect(diffCellRules<Row>(m, 'changed_columns')['bt-diff-changed']!(cellParams(changed))).toBe(false);
  });

  it('marks nothing in a dataset that is not a diff', () => {
    expect(diffCellRules<Row>(meta(['change', 'changed_columns'], 'csv'), 'change')).toEqual({});
  });
});
