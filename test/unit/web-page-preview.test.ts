// The page while a file loads with nothing on screen (#18): its first rows as a labelled preview with the load's
// progress, then the full table in place; the texts of that progress (src/web/page-preview.ts).

import { describe, expect, it } from 'vitest';
import type { DatasetMeta, PreviewRows } from '../../src/web/api.ts';
import { bytesText, etaText, loadingBannerText, loadingPanel, previewLabel } from '../../src/web/page-preview.ts';
import { initialPageState, reducePage, type Effect, type PageEvent, type PageState } from '../../src/web/page-state.ts';

const PATH = '/d/big.csv';
const GB = 1_000_000_000;
const loading = (seq: number, read = 1.2 * GB, path = PATH): PageEvent => ({
  type: 'meta-answered',
  seq,
  answer: { status: 'loading', path, percent: (read / (4 * GB)) * 100, bytes: 4 * GB, bytesRead: read, etaMs: 12_000 },
});
const rows: PreviewRows = { path: PATH, columns: [{ name: 'i', dtype: 'BIGINT' }, { name: 'label', dtype: 'VARCHAR' }], rows: Array.from({ length: 200 }, (_, i) => [i, `row-${i}`]) };
const previewed: PageEvent = { type: 'preview-answered', preview: rows };
const full = (path = PATH): DatasetMeta => ({ session: 's', datasetId: 7, path, format: 'csv', rows: 5_000_000, columns: rows.columns });
const ready = (seq: number, path = PATH): PageEvent => ({ type: 'meta-answered', seq, answer: { status: 'ready', meta: full(path) } });

function page(events: PageEvent[]): { state: PageState; effects: Effect[] } {
  let state = initialPageState({ version: '0.1.0', pid: 1 });
  let effects: Effect[] = [];
  for (const e of events) ({ state, effects } = reducePage(state, e));
  return { state, effects };
}
const after = (events: PageEvent[], next: PageEvent): Effect[] => reducePage(page(events).state, next).effects;
const types = (effects: Effect[]): string[] => effects.map((e) => e.type);

/** A page opened at load start: booted, told the load runs, its preview on screen. */
const PREVIEWING: PageEvent[] = [{ type: 'boot' }, loading(1), previewed];

describe('a load with nothing on screen', () => {
  it('asks for the preview once per file while the panel shows the progress in bytes', () => {
    const effects = after([{ type: 'boot' }], loading(1));
    expect(effects).toContainEqual({ type: 'fetch-preview', path: PATH });
    expect(effects).toContainEqual({ type: 'screen', screen: 'loading', detail: { title: 'Loading big.csv…', message: '1.2 GB of 4.0 GB read, about 12 s left', progress: 0.3 } });
    // The next poll of the same load does not ask again.
    expect(types(after([{ type: 'boot' }, loading(1), { type: 'poll-due', seq: 1 }], loading(2, 2 * GB)))).not.toContain('fetch-preview');
  });

  it('shows the preview labelled, with its progress, and sorting search and stats waiting', () => {
    const { state, effects } = page(PREVIEWING);
    expect(types(effects)).toEqual(['file', 'counts', 'show-preview', 'controls', 'preview-bar', 'screen']);
    expect(effects).toContainEqual({ type: 'file', path: PATH, format: 'preview' });
    expect(effects).toContainEqual({ type: 'counts', text: '200 preview rows × 2 columns' });
    expect(effects).toContainEqual({ type: 'controls', waiting: true });
    expect(effects).toContainEqual({ type: 'preview-bar', text: 'Preview: first 200 rows — loading 1.2 GB of 4.0 GB, about 12 s left', progress: 0.3 });
    expect(state.screen).toBe('ready');
    expect(state.table).toBeUndefined();
  });

  it('moves the progress bar on each poll without covering the preview', () => {
    const polled = [...PREVIEWING, { type: 'poll-due', seq: 1 } as const];
    expect(types(page(polled).effects)).toEqual(['forget-preloads', 'fetch-meta']); // no loading panel over the rows
    expect(after(polled, loading(2, 3 * GB))).toContainEqual({ type: 'preview-bar', text: 'Preview: first 200 rows — loading 3.0 GB of 4.0 GB, about 12 s left', progress: 0.75 });
    expect(page([...polled, loading(2, 3 * GB)]).state.screen).toBe('ready');
  });

  it('switches to the full table in place when the load completes', () => {
    const effects = after([...PREVIEWING, { type: 'loaded' }], ready(2));
    expect(effects).not.toContainEqual({ type: 'drop-table' });
    expect(effects).toContainEqual({ type: 'show-table', meta: full(), inPlace: true });
    expect(effects).toContainEqual({ type: 'preview-bar', text: undefined });
    expect(effects).toContainEqual({ type: 'controls', waiting: false });
    expect(effects).toContainEqual({ type: 'counts', text: '5,000,000 rows × 2 columns' });
    expect(effects.at(-1)).toEqual({ type: 'fetch-stats', seq: 2 });
    const { state } = page([...PREVIEWING, { type: 'loaded' }, ready(2)]);
    expect(state.preview).toBeUndefined();
    expect(state.table?.meta.rows).toBe(5_000_000);
  });

  it('shows another file in a fresh grid, not in the preview of the first', () => {
    const effects = after([...PREVIEWING, { type: 'loaded' }], ready(2, '/d/other.csv'));
    expect(types(effects)[0]).toBe('drop-table');
    expect(effects).toContainEqual({ type: 'show-table', meta: full('/d/other.csv') });
  });

  it('keeps the progress bar without rows for a file that gets no preview, saying why', () => {
    const none: PageEvent = { type: 'preview-failed', path: PATH, failure: { reason: 'error', status: 409, code: 'E_NO_PREVIEW', message: 'Only CSV and TSV files are previewed.' } };
    const { state, effects } = page([{ type: 'boot' }, loading(1), none]);
    expect(effects).toEqual([{ type: 'screen', screen: 'loading', detail: { title: 'Loading big.csv…', message: '1.2 GB of 4.0 GB read, about 12 s left', progress: 0.3, hint: 'Only CSV and TSV files are previewed.' } }]);
    expect(state.preview?.phase).toBe('none');
    // Later polls neither ask again nor lose the note.
    const polled = after([{ type: 'boot' }, loading(1), none, { type: 'poll-due', seq: 1 }], loading(2, 2 * GB));
    expect(types(polled)).not.toContain('fetch-preview');
    expect(polled).toContainEqual(expect.objectContaining({ type: 'screen', detail: expect.objectContaining({ hint: 'Only CSV and TSV files are previewed.' }) }));
  });

  it('ignores a preview that comes after the full table', () => {
    expect(after([{ type: 'boot' }, loading(1), { type: 'loaded' }, ready(2)], previewed)).toEqual([]);
  });

  it('drops the preview and shows the failure in the panel when the load fails', () => {
    const failedLoad: PageEvent = { type: 'load-failed', path: PATH, message: 'Loading big.csv ran out of temporary disk space.', code: 'E_OUT_OF_SPACE' };
    const { state, effects } = page([...PREVIEWING, failedLoad]);
    expect(types(effects)).toEqual(['drop-table', 'preview-bar', 'controls', 'screen']);
    expect(effects.at(-1)).toEqual({ type: 'screen', screen: 'error', detail: { message: 'Loading big.csv ran out of temporary disk space.' } });
    expect(state.preview).toBeUndefined();
    expect(after([...PREVIEWING, failedLoad], { type: 'poll-due', seq: 1 })).toEqual([]); // polling stopped
  });

  it('keeps the preview under a warning when the connection drops', () => {
    expect(after(PREVIEWING, { type: 'lost' })).toEqual([
      { type: 'live', live: 'down' },
      { type: 'banner', text: 'Lost the connection to the server — reconnecting…', tone: 'warn' },
    ]);
  });

  it('shows no preview over a table already on screen: the banner tells the progress', () => {
    const shown: PageEvent[] = [{ type: 'boot' }, ready(1, '/d/small.csv'), { type: 'loading', path: PATH, percent: undefined }];
    const effects = after(shown, loading(2));
    expect(types(effects)).not.toContain('fetch-preview');
    expect(effects).toContainEqual({ type: 'banner', text: 'Loading big.csv… 30% (1.2 GB of 4.0 GB, about 12 s left)', tone: 'info' });
  });
});

describe('the progress in words', () => {
  it('writes sizes as file managers do', () => {
    expect([bytesText(512), bytesText(12_300), bytesText(340_000_000), bytesText(1_234_000_000), bytesText(40 * GB)]).toEqual(['512 bytes', '12 KB', '340 MB', '1.2 GB', '40 GB']);
  });

  it('writes the time left in seconds then minutes', () => {
    expect([etaText(400), etaText(12_400), etaText(89_000), etaText(200_000)]).toEqual(['less than a second left', 'about 12 s left', 'about 89 s left', 'about 3 min left']);
  });

  it('falls back to the percent, then to nothing, while DuckDB cannot tell', () => {
    expect(previewLabel(200, undefined)).toBe('Preview: first 200 rows — loading…');
    expect(previewLabel(1, { path: PATH, percent: 30 })).toBe('Preview: first 1 row — loading 30%');
    expect(loadingBannerText({ path: PATH, percent: undefined })).toBe('Loading big.csv…');
    expect(loadingPanel({ path: PATH, percent: undefined })).toEqual({ title: 'Loading big.csv…', message: 'Reading the file into the table.', progress: undefined });
  });
});
