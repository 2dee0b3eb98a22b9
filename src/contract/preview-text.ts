// What a person reads in a loading file's preview, shared by the viewer page (src/web) and the preview the
// server writes into the page's own HTML (src/server/page-preview-html.ts): the hand-over from the one to the
// other must not change a word or a value on screen.

/** What waits for the full load, said beside a preview's label. */
export const PREVIEW_WAITS_TEXT = 'Sorting, search and stats wait for the full load.';

/** "Preview: first 200 rows" (the label's start; the page adds the load's progress). */
export function previewRowsText(rows: number): string {
  return `Preview: first ${rows.toLocaleString('en-US')} row${rows === 1 ? '' : 's'}`;
}

/** "200 preview rows × 4 columns", for the toolbar's counts. */
export function previewCountsText(rows: number, columns: number): string {
  return `${rows.toLocaleString('en-US')} preview rows × ${columns.toLocaleString('en-US')} column${columns === 1 ? '' : 's'}`;
}

/** Text for a data value. Values JSON cannot carry exactly arrive as strings or small objects; show them whole. */
export function displayValue(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>);
    // A tagged scalar such as {"$decimal": "1.10"} or {"value": "…", "type": "HUGEINT"}.
    const tagged = entries.find(([k, x]) => (k === 'value' || k.startsWith('$')) && typeof x === 'string');
    if (tagged && entries.length <= 2) return tagged[1] as string;
    return JSON.stringify(v);
  }
  return String(v);
}

/** The preview the server writes into the page's HTML, and its rows as JSON for the page's grid to take over. */
export const HTML_PREVIEW_ID = 'bt-html-preview';
export const HTML_PREVIEW_DATA_ID = 'bt-html-preview-data';
