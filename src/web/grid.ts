// The main AG Grid table: the infinite row model fetches rows in windows from the server, where they are sorted
// and searched, so a 10 M-row file scrolls to its end; the dtype and histogram rows are pinned on top. Also the
// AG Grid set-up both grids share (modules, theme, column widths).

import {
  CellStyleModule,
  ColumnApiModule,
  EventApiModule,
  InfiniteRowModelModule,
  ModuleRegistry,
  PinnedRowModule,
  RenderApiModule,
  RowApiModule,
  RowStyleModule,
  ScrollApiModule,
  TooltipModule,
  colorSchemeVariable,
  createGrid,
  themeQuartz,
  type CellKeyDownEvent,
  type ColDef,
  type GridApi,
  type GridOptions,
  type ICellRendererParams,
  type IDatasource,
  type IGetRowsParams,
} from 'ag-grid-community';
import { FIRST_WINDOW_ROWS } from '../contract/data-limits.ts';
import { isNumericType, isTextType } from '../contract/dtype.ts';
import type { ColumnMeta, DatasetMeta, RowQuery, RowWindow } from './api.ts';
import { displayValue, renderDtype, renderSparkline, renderValue } from './cells.ts';
import { diffCellRules, diffRowClass } from './diff-cells.ts';
import type { ColumnStats } from './stats.ts';

ModuleRegistry.registerModules([
  InfiniteRowModelModule,
  PinnedRowModule,
  TooltipModule,
  CellStyleModule,
  RowStyleModule,
  ScrollApiModule,
  RowApiModule,
  RenderApiModule,
  ColumnApiModule,
  EventApiModule,
]);

/** Rows per request: one screen is ~30 rows, so one window covers several screens of scrolling. */
/** The first block is the window the page preloads. */
const BLOCK_ROWS = FIRST_WINDOW_ROWS;
/** Blocks kept in the page; older ones are dropped and re-fetched if scrolled back to. */
const MAX_BLOCKS = 40;
/**
 * A short wait before fetching windows: a scrollbar drag over 1 M rows (60 frames) then asks for ~20 windows
 * instead of 60, and its last frame settles in ~50 ms instead of ~150 ms; the first paint pays ~10 ms for it.
 */
const BLOCK_DEBOUNCE_MS = 10;
const ROW_HEIGHT_PX = 28;
export const HISTOGRAM_ROW_HEIGHT_PX = 40;
export const INDEX_COLUMN_WIDTH_PX = 92;
const MIN_COLUMN_WIDTH_PX = 80;
const MAX_COLUMN_WIDTH_PX = 320;
/** Approximate width of one character of the grid's font, for the first column widths. */
const CHAR_WIDTH_PX = 7.5;

/** The light/dark choice follows `prefers-color-scheme` through the `data-ag-theme-mode` attribute. */
export const gridTheme = themeQuartz.withPart(colorSchemeVariable).withParams({
  fontSize: 13,
  headerFontSize: 13,
  rowHeight: ROW_HEIGHT_PX,
  headerHeight: 32,
  spacing: 6,
  wrapperBorder: false,
  wrapperBorderRadius: 0,
});

export interface GridRow {
  /** Position for data rows (or the original row number when the server sends it); undefined for stats rows. */
  index?: number;
  /** Label of a pinned stats row ('dtype', 'histogram', …). */
  stat?: string;
  values: unknown[];
}

/** The server searches only text columns; the page highlights matches in those. */
export const isTextColumn = (c: ColumnMeta): boolean => isTextType(c.dtype);
export const isNumericColumn = (c: ColumnMeta): boolean => isNumericType(c.dtype);

/** A first width from the header, the type and sample values (a window of rows, or the stats' extremes). */
export function initialWidth(c: ColumnMeta, samples: readonly unknown[]): number {
  const texts = [c.name, c.dtype, ...samples.map(displayValue)];
  const chars = Math.max(...texts.map((x) => x.length));
  return Math.min(MAX_COLUMN_WIDTH_PX, Math.max(MIN_COLUMN_WIDTH_PX, Math.round(chars * CHAR_WIDTH_PX + 36)));
}

/** Rows of the first window used to size columns once; more would cost time for little gain. */
const WIDTH_SAMPLE_ROWS = 50;

export interface MainGridHooks {
  /** Fetches a window of rows: from the data server over HTTP (browser page) or through the host (chat app). */
  rows(q: RowQuery): Promise<RowWindow>;
  /** The current search term (server-side filter, highlighted in text cells). */
  search(): string;
  /** A window arrived: counts for the toolbar. */
  onWindow(w: RowWindow): void;
  /** A window failed: the page shows the server's sentence. */
  onError(err: unknown): void;
  onCopy(text: string): void;
}

export interface MainGrid {
  api: GridApi<GridRow>;
  /**
   * Fills the grid with a dataset's columns and starts fetching rows; once per grid. After a preview, in place:
   * its column widths and the row at the top of the view are kept.
   */
  show(meta: DatasetMeta): void;
  /** Fills the (empty) grid with a loading file's first rows, held here and not sortable, until `show`. */
  showPreview(columns: ColumnMeta[], rows: unknown[][]): void;
  setStats(stats: Map<string, ColumnStats>): void;
  /** Starts over from the first row with the current sort and search. */
  reload(): void;
  destroy(): void;
}

function pinnedRows(meta: DatasetMeta, stats: Map<string, ColumnStats>): GridRow[] {
  return [
    { stat: 'dtype', values: meta.columns.map((c) => stats.get(c.name)?.dtype ?? c.dtype) },
    { stat: 'histogram', values: meta.columns.map((c) => stats.get(c.name)?.histogram ?? []) },
  ];
}

function copyOnKey(e: CellKeyDownEvent<GridRow>, onCopy: (text: string) => void): void {
  const ke = e.event as KeyboardEvent | null | undefined;
  if (!ke || !(ke.ctrlKey || ke.metaKey) || ke.key.toLowerCase() !== 'c') return;
  if (window.getSelection()?.toString()) return; // the person selected text: the browser copies that
  const text = typeof e.value === 'string' ? e.value : displayValue(e.value);
  // The Clipboard API needs a secure context; http://127.0.0.1 is one, other hosts may refuse silently.
  navigator.clipboard?.writeText(text).then(
    () => onCopy(text),
    () => {},
  );
}

function renderStatCell(p: ICellRendererParams<GridRow>): HTMLElement {
  if (p.data?.stat === 'histogram') return renderSparkline((p.value as ColumnStats['histogram'] | undefined) ?? []);
  return renderDtype(typeof p.value === 'string' ? p.value : undefined);
}

/**
 * Creates the grid empty, so its set-up (theme CSS, layout) runs while the page still waits for `meta`;
 * `show` then adds the columns and the datasource.
 */
export function createMainGrid(el: HTMLElement, hooks: MainGridHooks): MainGrid {
  let meta: DatasetMeta | undefined;
  let stats = new Map<string, ColumnStats>();
  const renderHighlighted = (p: ICellRendererParams<GridRow>): HTMLElement | string => renderValue(p.value, hooks.search());
  const dataColumns = (m: DatasetMeta, preview = false): ColDef<GridRow>[] =>
    m.columns.map((c, i) => {
      const text = isTextColumn(c);
      return {
        colId: `c${i}`,
        headerName: c.name,
        headerTooltip: preview ? `${c.name} · ${c.dtype} · sorting waits for the full load` : `${c.name} · ${c.dtype}`,
        valueGetter: (p) => p.data?.values[i],
        sortable: !preview,
        resizable: true,
        // A preview's widths carry over to the full table, so the columns do not jump as it comes in.
        width: gridApi.getColumn(`c${i}`)?.getActualWidth() ?? initialWidth(c, []),
        type: isNumericColumn(c) ? 'rightAligned' : undefined,
        // Plain data cells use AG Grid's own text renderer (the fastest path); a component only where needed:
        // the pinned stats rows, and text cells while a search term is highlighted.
        valueFormatter: (p) => (p.value === null ? 'null' : displayValue(p.value)),
        cellClassRules: { 'bt-null': (p) => p.value === null && !p.node.rowPinned, ...diffCellRules<GridRow>(m, c.name) },
        cellRendererSelector: (p) => {
          if (p.node.rowPinned) return { component: renderStatCell };
          return text && hooks.search() && p.data ? { component: renderHighlighted } : undefined;
        },
      };
    });
  const indexColumn: ColDef<GridRow> = {
    colId: '__index',
    headerName: '',
    pinned: 'left',
    width: INDEX_COLUMN_WIDTH_PX,
    sortable: false,
    resizable: true,
    suppressMovable: true,
    cellClass: 'bt-index',
    valueGetter: (p) => (p.node?.rowPinned ? p.data?.stat : (p.data?.index ?? p.node?.rowIndex ?? '')),
  };

  // Columns are sized once, from the first window, so they do not jump while the person reads.
  let sized = false;
  const sizeColumns = (m: DatasetMeta, sample: unknown[][]): void => {
    sized = true;
    gridApi.setColumnWidths(m.columns.map((c, i) => ({ key: `c${i}`, newWidth: initialWidth(c, sample.map((r) => r[i])) })));
  };
  let generation = 0;
  /** The row at the top of a preview when the full table replaced it: scrolled back to once its rows come. */
  let keepTop: number | undefined;
  const datasource = (m: DatasetMeta): IDatasource => {
    const gen = ++generation;
    const columnByColId = new Map(m.columns.map((c, i) => [`c${i}`, c]));
    return {
      rowCount: hooks.search() ? undefined : m.rows,
      getRows(params: IGetRowsParams) {
        const sort = params.sortModel[0];
        const sortColumn = sort ? columnByColId.get(sort.colId) : undefined;
        hooks
          .rows({
            offset: params.startRow,
            limit: params.endRow - params.startRow,
            sort: sortColumn?.name,
            dir: sort?.sort === 'desc' ? 'desc' : 'asc',
            search: hooks.search() || undefined,
          })
          .then(
            (w) => {
              if (gen !== generation) return params.failCallback();
              const rows: GridRow[] = w.rows.map((values, k) => ({ values, index: w.rowNumbers[k] ?? params.startRow + k }));
              if (params.startRow === 0) performance.mark('bt-first-window');
              params.successCallback(rows, w.filtered);
              if (!sized && params.startRow === 0) sizeColumns(m, w.rows.slice(0, WIDTH_SAMPLE_ROWS));
              if (keepTop !== undefined) {
                gridApi.ensureIndexVisible(keepTop, 'top');
                keepTop = undefined;
              }
              hooks.onWindow(w);
            },
            (err: unknown) => {
              params.failCallback();
              if (gen === generation) hooks.onError(err);
            },
          );
      },
    };
  };

  const options: GridOptions<GridRow> = {
    theme: gridTheme,
    rowModelType: 'infinite',
    cacheBlockSize: BLOCK_ROWS,
    maxBlocksInCache: MAX_BLOCKS,
    blockLoadDebounceMillis: BLOCK_DEBOUNCE_MS,
    maxConcurrentDatasourceRequests: 4,
    infiniteInitialRowCount: BLOCK_ROWS,
    rowBuffer: 10,
    columnDefs: [indexColumn],
    defaultColDef: { sortingOrder: ['asc', 'desc', null], unSortIcon: false, minWidth: 48 },
    suppressMultiSort: true,
    getRowHeight: (p) => (p.node.rowPinned && p.data?.stat === 'histogram' ? HISTOGRAM_ROW_HEIGHT_PX : undefined),
    getRowClass: (p) => (p.node.rowPinned ? `bt-stat-row bt-stat-${p.data?.stat ?? ''}` : diffRowClass(meta, p)),
    enableBrowserTooltips: true,
    enableCellTextSelection: true,
    animateRows: false,
    suppressDragLeaveHidesColumns: true,
    onCellKeyDown: (e) => {
      if ('column' in e) copyOnKey(e as CellKeyDownEvent<GridRow>, hooks.onCopy);
    },
  };
  /** Serves a preview's rows from the page: there is no table on the server to ask yet. */
  const previewSource = (rows: unknown[][]): IDatasource => ({
    rowCount: rows.length,
    getRows(params: IGetRowsParams) {
      const slice = rows.slice(params.startRow, params.endRow).map((values, k) => ({ values, index: params.startRow + k }));
      params.successCallback(slice, rows.length);
    },
  });
  let previewing = false;
  const gridApi: GridApi<GridRow> = createGrid(el, options);
  return {
    api: gridApi,
    showPreview(columns, rows) {
      if (meta || previewing) throw new Error('showPreview() is called once, on an empty grid');
      previewing = true;
      const m: DatasetMeta = { session: '', path: '', format: 'preview', rows: rows.length, columns };
      gridApi.updateGridOptions({ columnDefs: [indexColumn, ...dataColumns(m, true)], pinnedTopRowData: pinnedRows(m, stats), datasource: previewSource(rows) });
      sizeColumns(m, rows.slice(0, WIDTH_SAMPLE_ROWS));
    },
    show(m) {
      if (meta) throw new Error('show() is called once per grid');
      meta = m;
      // The row at the top of the view (the first *displayed* row includes the buffer rendered above it).
      if (previewing) keepTop = Math.round(gridApi.getVerticalPixelRange().top / ROW_HEIGHT_PX);
      gridApi.updateGridOptions({
        columnDefs: [indexColumn, ...dataColumns(m)],
        pinnedTopRowData: pinnedRows(m, stats),
        datasource: datasource(m),
      });
    },
    setStats(next) {
      if (!meta) return;
      const m = meta;
      stats = next;
      gridApi.setGridOption('pinnedTopRowData', pinnedRows(m, stats));
      // The first window may not show a column's longest values; the stats' extremes do. Only ever widen.
      const wider = m.columns.flatMap((c, i) => {
        const s = stats.get(c.name);
        const now = gridApi.getColumn(`c${i}`)?.getActualWidth() ?? 0;
        const want = initialWidth(c, s ? [s.min, s.max] : []);
        return want > now ? [{ key: `c${i}`, newWidth: want }] : [];
      });
      if (wider.length > 0) gridApi.setColumnWidths(wider);
    },
    reload() {
      if (meta) gridApi.setGridOption('datasource', datasource(meta));
    },
    destroy() {
      generation++;
      gridApi.destroy();
    },
  };
}
