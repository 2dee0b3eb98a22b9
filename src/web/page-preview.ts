// What the page says while a file loads: the progress in words (bytes read of the file, time left) for the
// banner, the loading panel or the preview's label. Pure, like page-state.ts, which decides when each shows.

import { previewCountsText, previewRowsText } from '../contract/preview-text.ts';
import type { LoadingProgress, PreviewRows } from './api.ts';
import type { Effect } from './page-state.ts';
import { basename, type ScreenDetail } from './view.ts';

/** A loading file with no table on screen: its first rows are shown (labelled) until the full table is in. */
export interface PreviewState {
  /** The file a preview is asked for or shown; a load of another file asks again. */
  path: string;
  /** asked: on its way; shown: on screen; none: this file gets none (its load shows the progress bar only). */
  phase: 'asked' | 'shown' | 'none';
  /** Rows the preview shows (the server's limit, or fewer when the file has fewer). */
  rows?: number;
  /** Why there is none (the server's sentence), said under the progress bar. */
  note?: string;
}

const UNITS = ['bytes', 'KB', 'MB', 'GB', 'TB'] as const;

/** 1.2 GB, 340 MB, 12 KB (powers of 1000, as file managers show sizes). */
export function bytesText(n: number): string {
  let v = n;
  let u = 0;
  while (v >= 1000 && u < UNITS.length - 1) {
    v /= 1000;
    u++;
  }
  return u === 0 ? `${Math.round(v)} bytes` : `${v < 10 ? v.toFixed(1) : Math.round(v)} ${UNITS[u]}`;
}

/** "about 12 s left", "about 3 min left"; under a second says so. */
export function etaText(ms: number): string {
  if (ms < 1_000) return 'less than a second left';
  const s = Math.round(ms / 1_000);
  return s < 90 ? `about ${s} s left` : `about ${Math.round(s / 60)} min left`;
}

/** How much is read: "1.2 GB of 4.0 GB", or "30%" when the size is unknown; undefined before DuckDB tells. */
function readText(p: LoadingProgress): string | undefined {
  if (p.bytes !== undefined && p.bytesRead !== undefined) return `${bytesText(p.bytesRead)} of ${bytesText(p.bytes)}`;
  return p.percent === undefined ? undefined : `${Math.round(p.percent)}%`;
}

/** "1.2 GB of 4.0 GB, about 12 s left"; undefined before DuckDB tells. */
export function progressText(p: LoadingProgress, suffix = ''): string | undefined {
  const read = readText(p);
  if (read === undefined) return undefined;
  return p.etaMs === undefined ? `${read}${suffix}` : `${read}${suffix}, ${etaText(p.etaMs)}`;
}

/** The preview's label: "Preview: first 200 rows — loading 1.2 GB of 4.0 GB, about 12 s left". */
export function previewLabel(rows: number, p: LoadingProgress | undefined): string {
  const done = p ? progressText(p) : undefined;
  return `${previewRowsText(rows)} — loading${done ? ` ${done}` : '…'}`;
}

/** The share of the file read (0–1) for a progress bar; undefined while DuckDB cannot tell. */
export function progressShare(p: LoadingProgress | undefined): number | undefined {
  return p?.percent === undefined ? undefined : p.percent / 100;
}

/** The banner over a table still on screen while another file loads: "Loading big.csv… 42% (1.2 GB of 4.0 GB, …)". */
export function loadingBannerText(p: LoadingProgress): string {
  const name = p.path ? basename(p.path) : 'the file';
  const pct = p.percent === undefined ? '' : ` ${Math.round(p.percent)}%`;
  const more = p.bytes !== undefined && p.bytesRead !== undefined ? ` (${progressText(p)})` : '';
  return `Loading ${name}…${pct}${more}`;
}

/** The loading panel shown while nothing is on screen (no table, no preview yet, or a file that gets none). */
export function loadingPanel(p: LoadingProgress, note?: string): ScreenDetail {
  const name = p.path ? basename(p.path) : 'the file';
  const detail: ScreenDetail = { title: `Loading ${name}…`, message: progressText(p, ' read') ?? 'Reading the file into the table.', progress: progressShare(p) };
  return note ? { ...detail, hint: note } : detail;
}

/** What shows a preview: its file, its counts, its rows, the controls that wait, its label; the table's screen. */
export function previewShownEffects(p: PreviewRows, progress: LoadingProgress | undefined): Effect[] {
  return [
    { type: 'file', path: p.path, format: 'preview' },
    { type: 'counts', text: previewCountsText(p.rows.length, p.columns.length) },
    { type: 'show-preview', preview: p },
    { type: 'controls', waiting: true },
    { type: 'preview-bar', text: previewLabel(p.rows.length, progress), progress: progressShare(progress) },
    { type: 'screen', screen: 'ready' },
  ];
}
