// The Σ view: a second, client-side grid with one row per stat (counts, moments, quartiles, top values,
// histogram) and one column per data column, built from the stats the page already has.

import { createGrid, type ColDef, type GridApi, type ICellRendererParams } from 'ag-grid-community';
import type { DatasetMeta } from './api.ts';
import { renderDtype, renderSparkline, renderValue } from './cells.ts';
import { gridTheme, HISTOGRAM_ROW_HEIGHT_PX, INDEX_COLUMN_WIDTH_PX, initialWidth } from './grid.ts';
import { SUMMARY_ROWS, type ColumnStats } from './stats.ts';

interface SummaryRow {
  stat: string;
  values: unknown[];
}

/** Top values are the widest summary cells; leave room for the first two. */
const SUMMARY_MIN_WIDTH_PX = 130;
const summaryRowsSample = (s: ColumnStats | undefined): unknown[] => (s ? [s.min, s.max, s.mean] : []);

/** The Σ view: one row per stat, one column per data column, everything held in the page. */
export function createSummaryGrid(el: HTMLElement, meta: DatasetMeta, stats: Map<string, ColumnStats>): GridApi<SummaryRow> {
  const rows: SummaryRow[] = SUMMARY_ROWS.map((r) => ({
    stat: r.label,
    values: meta.columns.map((c) => {
      const s = stats.get(c.name);
      return s ? r.value(s) : '';
    }),
  }));
  rows.push({ stat: 'histogram', values: meta.columns.map((c) => stats.get(c.name)?.histogram ?? []) });
  const columnDefs: ColDef<SummaryRow>[] = [
    { colId: '__stat', headerName: 'Σ', pinned: 'left', width: INDEX_COLUMN_WIDTH_PX, valueGetter: (p) => p.data?.stat, cellClass: 'bt-index' },
    ...meta.columns.map(
      (c, i): ColDef<SummaryRow> => ({
        colId: `c${i}`,
        headerName: c.name,
        headerTooltip: `${c.name} · ${c.dtype}`,
        width: Math.max(SUMMARY_MIN_WIDTH_PX, initialWidth(c, summaryRowsSample(stats.get(c.name)))),
        resizable: true,
        sortable: false,
        tooltipValueGetter: (p) => (p.data?.stat === 'top values' ? String(p.value ?? '') : undefined),
        valueGetter: (p) => p.data?.values[i],
        cellRenderer: (p: ICellRendererParams<SummaryRow>) => {
          if (p.data?.stat === 'histogram') return renderSparkline((p.value as ColumnStats['histogram'] | undefined) ?? []);
          if (p.data?.stat === 'dtype') return renderDtype(String(p.value ?? ''));
          return renderValue(p.value === '' ? '' : p.value, undefined);
        },
      }),
    ),
  ];
  return createGrid<SummaryRow>(el, {
    theme: gridTheme,
    rowData: rows,
    columnDefs,
    getRowHeight: (p) => (p.data?.stat === 'histogram' ? HISTOGRAM_ROW_HEIGHT_PX * 2 : undefined),
    getRowClass: (p) => `bt-summary-row bt-stat-${(p.data?.stat ?? '').replace(/[^a-z0-9]+/gi, '-')}`,
    enableBrowserTooltips: true,
    enableCellTextSelection: true,
    animateRows: false,
  });
}
