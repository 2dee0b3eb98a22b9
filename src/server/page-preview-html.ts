// A loading file's first rows written into the viewer page's own HTML (#18): a person reads them as soon as the
// HTML arrives, before the viewer's script (AG Grid, ~0.75 MB to evaluate while DuckDB holds the cores) has run.
// The page's grid then takes them over in place (src/web/html-preview.ts), from the JSON copy beside the table.

import path from 'node:path';
import type { PreviewAnswer } from '../contract/data-api.ts';
import { isNumericType } from '../contract/dtype.ts';
import { displayValue, HTML_PREVIEW_DATA_ID, HTML_PREVIEW_ID, PREVIEW_WAITS_TEXT, previewCountsText, previewRowsText } from '../contract/preview-text.ts';
import type { LoadProgress } from '../engine/sessions.ts';
import { PREVIEW_ROWS } from '../engine/preview.ts';
import { escapeHtml } from './html.ts';

/**
 * How long the page's HTML waits for the head read (~0.15 s usually; 1-2 s seen with the machine's load at 20).
 * The page shows "Connecting…" meanwhile and fetches and compiles its script, which runs once the HTML is
 * complete (and would have waited for the same head read to show a preview).
 */
export const HTML_PREVIEW_WAIT_MS = 5_000;
/** How long the document's end waits after the preview's rows, for the browser to paint them before its script runs. */
export const HTML_PREVIEW_PAINT_MS = 100;
/** A wide file's HTML preview has fewer rows (the grid shows them all once the script runs): HTML stays small. */
export const HTML_PREVIEW_MAX_CELLS = 20_000;
/** A cell's text in the HTML stops here: a cell shows a few dozen characters; the JSON copy holds the whole value. */
export const HTML_CELL_MAX_CHARS = 1_000;

/** A cell as the grid shows it: numbers right-aligned, null in muted italics. */
const cellHtml = (v: unknown, numeric: boolean): string => {
  const num = numeric ? ' bt-num' : '';
  if (v === null || v === undefined) return `<td class="bt-null${num}">null</td>`;
  const text = displayValue(v);
  return `<td${numeric ? ' class="bt-num"' : ''}>${escapeHtml(text.length > HTML_CELL_MAX_CHARS ? `${text.slice(0, HTML_CELL_MAX_CHARS)}…` : text)}</td>`;
};

/** JSON inside a <script> element: `<` escaped so no value can close the element or open a comment. */
export const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');

/** The preview as the page shows it (toolbar, label, table of rows with their dtype), then its JSON copy. */
export function previewHtml(p: PreviewAnswer): string {
  const cols = p.columns;
  const numeric = cols.map((c) => isNumericType(c.dtype));
  const shown = Math.min(p.rows.length, Math.max(1, Math.floor(HTML_PREVIEW_MAX_CELLS / Math.max(1, cols.length))));
  const name = path.basename(p.path) || p.path;
  const header = `<tr><th class="bt-index"></th>${cols.map((c, j) => `<th${numeric[j] ? ' class="bt-num"' : ''} title="${escapeHtml(`${c.name} · ${c.dtype}`)}">${escapeHtml(c.name)}</th>`).join('')}</tr>`;
  // The grid's pinned rows: the dtypes, and the histograms' row (empty until the full load's stats).
  const dtypes = `<tr class="bt-html-dtype"><th class="bt-index">dtype</th>${cols.map((c, j) => `<td${numeric[j] ? ' class="bt-num"' : ''}>${escapeHtml(c.dtype)}</td>`).join('')}</tr>
<tr class="bt-html-hist"><th class="bt-index">histogram</th>${cols.map(() => '<td></td>').join('')}</tr>`;
  const rows = p.rows
    .slice(0, shown)
    .map((r, i) => `<tr><th class="bt-index">${i}</th>${cols.map((_, j) => cellHtml(r[j], numeric[j]!)).join('')}</tr>`)
    .join('\n');
  return `<div id="${HTML_PREVIEW_ID}" class="bt-html-preview" data-rows="${shown}">
<header class="bt-toolbar"><div class="bt-title"><span class="bt-file" title="${escapeHtml(p.path)}">${escapeHtml(name)}</span><span class="bt-format">preview</span></div><span class="bt-counts">${escapeHtml(previewCountsText(shown, cols.length))}</span></header>
<div class="bt-preview" role="status"><span class="bt-preview-text">${escapeHtml(previewRowsText(shown))} — loading…</span><progress max="1"></progress><span class="bt-preview-waits">${escapeHtml(PREVIEW_WAITS_TEXT)}</span></div>
<div class="bt-html-scroll"><table class="bt-html-table" aria-label="${escapeHtml(`${previewRowsText(shown)} of ${name}`)}"><thead>${header}${dtypes}</thead><tbody>
${rows}
</tbody></table></div>
</div>
<script type="application/json" id="${HTML_PREVIEW_DATA_ID}">${scriptJson(p)}</script>`;
}

/**
 * The loading session's preview as HTML, or undefined when there is none to write (JSON, another encoding, a
 * failed or slow head read): the page's script then shows what it always did. Never rejects.
 */
export async function htmlPreviewOf(session: string, loading: LoadProgress, waitMs = HTML_PREVIEW_WAIT_MS): Promise<string | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), waitMs)));
  try {
    const p = await Promise.race([loading.preview().catch(() => undefined), late]);
    if (!p || 'none' in p) return undefined;
    return previewHtml({ session, path: loading.path, preview: true, columns: p.columns, rows: p.rows, preview_rows: PREVIEW_ROWS });
  } finally {
    clearTimeout(timer);
  }
}
