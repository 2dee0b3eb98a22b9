// The page's state and every decision about it, as one pure function: an event (the live stream, an answer
// of the data API, the person's input) and the state give the next state and the effects the shell runs.

import type { StatsAnswer } from '../contract/data-api.ts';
import { isNoDataError, ServerError, UnreachableError, type DatasetMeta, type LoadingProgress, type MetaAnswer, type PreviewRows, type RowWindow } from './api.ts';
import type { ConnectionEvent, ServerIdentity, StreamRole } from './connection.ts';
import { loadingBannerText, loadingPanel, previewLabel, previewShownEffects, progressShare, type PreviewState } from './page-preview.ts';
import { parseStats, type ColumnStats } from './stats.ts';
import { basename, type Screen, type ScreenDetail, type Tone } from './view.ts';

/** A failed request, read once from the error so the decisions need no error classes. */
export interface Failure {
  /** 'no-data': the session holds nothing yet; 'unreachable': no server answered at all. */
  reason: 'no-data' | 'unreachable' | 'error';
  status?: number;
  /** The server's error code (E_NO_PREVIEW…). */
  code?: string;
  message: string;
  hint?: string;
}

/** The dataset on screen. */
interface Table {
  /** The load that showed it: answers for any other load are not for this table. */
  seq: number;
  meta: DatasetMeta;
  stats?: Map<string, ColumnStats>;
  /** The Σ grid has been built for this table (it is built once, when first shown with stats). */
  summaryBuilt: boolean;
}

export interface PageState {
  /** The server that served the page (meta bt-pid): the live stream may never greet it. */
  servedBy?: ServerIdentity;
  /** The server as last greeted on the live stream. */
  server?: ServerIdentity;
  serverUp: boolean;
  /** "Server restarted (a → b)" until the next load: a later reconnect must not wipe that news. */
  restartNote?: string;
  /** The latest request for the session's dataset; answers to earlier ones are dropped. */
  load: { seq: number; force: boolean };
  table?: Table;
  /** While a file loads with no table on screen: its first rows (preview-first, #18). */
  preview?: PreviewState;
  /** The running load's progress as last told. */
  progress?: LoadingProgress;
  screen: Screen;
  summaryOn: boolean;
  search: string;
}

export type PageEvent =
  | { type: 'boot' }
  | ConnectionEvent
  | { type: 'meta-answered'; seq: number; answer: MetaAnswer }
  | { type: 'meta-failed'; seq: number; failure: Failure }
  /** The wait before asking again about a running load is over. */
  | { type: 'poll-due'; seq: number }
  | { type: 'preview-answered'; preview: PreviewRows }
  | { type: 'preview-failed'; path: string; failure: Failure }
  | { type: 'rows-answered'; window: RowWindow }
  | { type: 'rows-failed'; failure: Failure }
  | { type: 'stats-answered'; seq: number; body: StatsAnswer }
  | { type: 'stats-failed'; seq: number; message: string }
  | { type: 'search'; term: string }
  | { type: 'summary-toggled' }
  | { type: 'copied'; text: string };

export type Effect =
  | { type: 'screen'; screen: Screen; detail?: ScreenDetail }
  | { type: 'live'; live: 'up' | 'down' | 'connecting' }
  | { type: 'banner'; text: string | undefined; tone: Tone }
  | { type: 'file'; path: string; format: string }
  | { type: 'title'; text: string }
  | { type: 'counts'; text: string }
  | { type: 'toast'; text: string }
  | { type: 'stream-role'; role: StreamRole }
  | { type: 'connect' }
  | { type: 'take-preloads' }
  | { type: 'forget-preloads' }
  /** Ask for the session's meta (and set a spare grid up while the answer is on its way). */
  | { type: 'fetch-meta'; seq: number }
  /** Dispatch `poll-due` for this load after the polling pause. */
  | { type: 'poll-meta'; seq: number }
  | { type: 'drop-table' }
  | { type: 'clear-search' }
  /** Ask for the loading file's first rows; answer with `preview-answered` or `preview-failed` for `path`. */
  | { type: 'fetch-preview'; path: string }
  /** Fill a fresh grid with a loading file's first rows (not sortable). */
  | { type: 'show-preview'; preview: PreviewRows }
  /** The preview's label and progress bar (undefined text: hidden). */
  | { type: 'preview-bar'; text: string | undefined; progress?: number }
  /** Search, sort and Σ wait for the full load (true) or work (false). */
  | { type: 'controls'; waiting: boolean }
  /** Fill a grid with this dataset; its rows start coming. In place: the preview's grid, scroll position kept. */
  | { type: 'show-table'; meta: DatasetMeta; inPlace?: boolean }
  /** Ask for the shown table's stats; answer with `stats-answered` once its first rows are painted too. */
  | { type: 'fetch-stats'; seq: number }
  | { type: 'reload-rows' }
  | { type: 'set-stats'; stats: Map<string, ColumnStats> }
  | { type: 'summary'; on: boolean }
  | { type: 'summary-pending' }
  | { type: 'build-summary'; meta: DatasetMeta; stats: Map<string, ColumnStats> };

export interface Update {
  state: PageState;
  effects: Effect[];
}

const LOST_TEXT = 'Lost the connection to the server — reconnecting…';
const WAITING_TITLE = 'Waiting for data — buckaroo-table';
/** A copied value longer than this is cut short in the toast. */
const TOAST_VALUE_CHARS = 40;

export function initialPageState(servedBy: ServerIdentity | undefined): PageState {
  return { servedBy, serverUp: false, load: { seq: 0, force: false }, screen: 'connecting', summaryOn: false, search: '' };
}

export function failureOf(err: unknown): Failure {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof UnreachableError) return { reason: 'unreachable', message };
  const reason = isNoDataError(err) ? 'no-data' : 'error';
  if (err instanceof ServerError) return { reason, status: err.status, code: err.code, message, hint: err.hint };
  return { reason, message };
}

const fmt = (n: number): string => n.toLocaleString('en-US');

/** The toolbar's "N rows × M columns" (or "K of N rows" while a search filters, once a window tells K). */
export function countsText(meta: DatasetMeta | undefined, search: string, w?: RowWindow): string {
  if (!meta) return '';
  const cols = `${fmt(meta.columns.length)} column${meta.columns.length === 1 ? '' : 's'}`;
  const total = w?.total ?? meta.rows;
  return search && w ? `${fmt(w.filtered)} of ${fmt(total)} rows × ${cols}` : `${fmt(total)} rows × ${cols}`;
}

export function restartText(before: ServerIdentity, now: ServerIdentity): string {
  return `Server restarted (${before.version === now.version ? now.version : `${before.version} → ${now.version}`})`;
}

/** Shows a file being read: in the banner over the table on screen, the preview's label, or the panel. */
function loadingEffects(s: PageState, p: LoadingProgress): Effect[] {
  if (s.table) return [{ type: 'banner', text: loadingBannerText(p), tone: 'info' }];
  if (s.preview?.phase === 'shown') return [{ type: 'preview-bar', text: previewLabel(s.preview.rows ?? 0, p), progress: progressShare(p) }];
  return [{ type: 'screen', screen: 'loading', detail: loadingPanel(p, s.preview?.note) }];
}

/** The preview goes: its label, and the controls it disabled come back (its grid is dropped, or kept for the table). */
function previewEnded(s: PageState): Effect[] {
  return s.preview ? [{ type: 'preview-bar', text: undefined }, { type: 'controls', waiting: false }] : [];
}

/** Applies the effects that change what the state remembers of the screen. */
function withEffects(s: PageState, effects: Effect[]): Update {
  const screen = effects.reduce<Screen>((at, e) => (e.type === 'screen' ? e.screen : at), s.screen);
  return { state: screen === s.screen ? s : { ...s, screen }, effects };
}

/** Asks the server what the session holds; a table already on screen stays until the new one is ready. */
function startLoad(s: PageState, force = false): Update {
  const seq = s.load.seq + 1;
  const effects: Effect[] = [];
  if (seq > 1) effects.push({ type: 'forget-preloads' }); // only the boot request may use the boot answers
  // A loading panel already up keeps its progress until the answer updates it (no flicker on every poll).
  if (!s.table && s.preview?.phase !== 'shown' && s.screen !== 'loading') effects.push({ type: 'screen', screen: 'loading' });
  effects.push({ type: 'fetch-meta', seq });
  return withEffects({ ...s, load: { seq, force } }, effects);
}

/** What Σ shows: the grid (off), a note while the stats are computed, or the summary, built once per table. */
function summaryEffects(s: PageState): Update {
  const effects: Effect[] = [{ type: 'summary', on: s.summaryOn }];
  const t = s.table;
  if (!s.summaryOn || !t || t.summaryBuilt) return { state: s, effects };
  if (!t.stats) return { state: s, effects: [...effects, { type: 'summary-pending' }] };
  effects.push({ type: 'build-summary', meta: t.meta, stats: t.stats });
  return { state: { ...s, table: { ...t, summaryBuilt: true } }, effects };
}

/** One update, then another from the state the first left. */
function followedBy(first: Update, next: (s: PageState) => Update): Update {
  const second = next(first.state);
  return { state: second.state, effects: [...first.effects, ...second.effects] };
}

function showDataset(s: PageState, seq: number, meta: DatasetMeta): Update {
  // The full table of the file previewed: the preview's grid takes it, where the person scrolled to.
  const inPlace = s.preview?.phase === 'shown' && s.preview.path === meta.path;
  const shown: PageState = { ...s, table: { seq, meta, summaryBuilt: false }, search: '', preview: undefined, progress: undefined };
  const effects: Effect[] = [
    ...(inPlace ? [] : [{ type: 'drop-table' } as const]),
    { type: 'clear-search' },
    { type: 'file', path: meta.path, format: meta.format },
    { type: 'counts', text: countsText(meta, '') },
    { type: 'show-table', meta, ...(inPlace ? { inPlace } : {}) },
    ...previewEnded(s),
    { type: 'screen', screen: 'ready' },
  ];
  const drawn = followedBy(withEffects(shown, effects), summaryEffects);
  return { state: drawn.state, effects: [...drawn.effects, { type: 'fetch-stats', seq }] };
}

function metaAnswered(s: PageState, seq: number, answer: MetaAnswer): Update {
  const current = seq === s.load.seq;
  if (answer.status === 'loading') {
    if (!current) return { state: s, effects: [{ type: 'forget-preloads' }] };
    const { status: _, ...progress } = answer;
    const next: PageState = { ...s, progress };
    const effects: Effect[] = [{ type: 'forget-preloads' }];
    // A text file's first rows come in milliseconds: ask once per file while nothing else is on screen.
    if (!s.table && s.preview?.path !== answer.path) {
      next.preview = { path: answer.path, phase: 'asked' };
      effects.push({ type: 'fetch-preview', path: answer.path });
    }
    // The `loaded` event normally ends this; polling covers a page that connected mid-load, and the progress.
    return withEffects(next, [...effects, ...loadingEffects(next, progress), { type: 'poll-meta', seq }]);
  }
  if (!current) return { state: s, effects: [] };
  const next = answer.meta;
  const onScreen = s.table?.meta;
  // Same dataset as on screen (e.g. asked while a new load had not begun yet): keep the table as it is.
  if (!s.load.force && onScreen && next.datasetId !== undefined && next.datasetId === onScreen.datasetId) return { state: s, effects: [] };
  return showDataset(s, seq, next);
}

/** The loading file's first rows: shown, labelled, unless a table or another file got there first. */
function previewAnswered(s: PageState, p: PreviewRows): Update {
  if (s.table || s.preview?.path !== p.path || s.preview.phase !== 'asked') return { state: s, effects: [] };
  return withEffects({ ...s, preview: { path: p.path, phase: 'shown', rows: p.rows.length } }, previewShownEffects(p, s.progress));
}

/** No preview for this file (JSON, another encoding: the server's sentence) or none any more: the progress bar only. */
function previewFailed(s: PageState, path: string, f: Failure): Update {
  if (s.preview?.path !== path || s.preview.phase !== 'asked') return { state: s, effects: [] };
  const next: PageState = { ...s, preview: { path, phase: 'none', ...(f.code === 'E_NO_PREVIEW' ? { note: f.message } : {}) } };
  return withEffects(next, s.table ? [] : loadingEffects(next, s.progress ?? { path, percent: undefined }));
}

function metaFailed(s: PageState, seq: number, f: Failure): Update {
  const effects: Effect[] = [{ type: 'forget-preloads' }]; // the boot answers belong to no dataset
  if (seq !== s.load.seq) return { state: s, effects };
  if (f.reason === 'no-data') {
    effects.push({ type: 'drop-table' }, ...previewEnded(s), { type: 'file', path: '', format: '' }, { type: 'title', text: WAITING_TITLE }, { type: 'counts', text: '' }, { type: 'screen', screen: 'waiting' });
    return withEffects({ ...s, table: undefined, preview: undefined }, effects);
  }
  if (f.reason === 'unreachable') return withEffects(s, s.table ? effects : [...effects, { type: 'screen', screen: 'gone' }]);
  if (s.table) return withEffects(s, [...effects, { type: 'banner', text: `Could not load the new data: ${f.message}`, tone: 'error' }]);
  const dropped: Effect[] = s.preview ? [{ type: 'drop-table' }, ...previewEnded(s)] : [];
  return withEffects({ ...s, preview: undefined }, [...effects, ...dropped, { type: 'screen', screen: 'error', detail: { message: f.message, hint: f.hint } }]);
}

function hello(s: PageState, server: ServerIdentity): Update {
  const previous = s.server;
  const up: PageState = { ...s, server, serverUp: true };
  const live: Effect = { type: 'live', live: 'up' };
  const before = previous ?? s.servedBy;
  if (before && before.pid !== server.pid) {
    const restartNote = restartText(before, server);
    // Dataset ids restart with the server: load again even if the id on screen matches.
    return followedBy({ state: { ...up, restartNote }, effects: [live, { type: 'banner', text: restartNote, tone: 'info' }] }, (n) => startLoad(n, true));
  }
  if (s.serverUp) return { state: up, effects: [live] };
  // Back after a blip: the connection warning goes, the news of a restart (if any) stays.
  const back: Update = { state: up, effects: [live, { type: 'banner', text: s.restartNote, tone: 'info' }] };
  // The first load runs at boot without waiting for this hello; repeat it only if it found no server.
  if (!s.table && (previous || s.screen === 'gone')) return followedBy(back, startLoad);
  return back;
}

function statsAnswered(s: PageState, seq: number, body: StatsAnswer): Update {
  const t = s.table;
  if (!t || t.seq !== seq) return { state: s, effects: [] };
  // Stats of another load of this session (it was replaced meanwhile): the `loaded` event brings ours.
  if (t.meta.datasetId !== undefined && body.dataset_id !== t.meta.datasetId) return { state: s, effects: [] };
  const stats = parseStats(body);
  return followedBy({ state: { ...s, table: { ...t, stats } }, effects: [{ type: 'set-stats', stats }] }, summaryEffects);
}

export function reducePage(s: PageState, e: PageEvent): Update {
  switch (e.type) {
    case 'boot':
      return followedBy(withEffects(s, [{ type: 'screen', screen: 'connecting' }, { type: 'live', live: 'connecting' }, { type: 'connect' }, { type: 'take-preloads' }]), startLoad);
    case 'hello':
      return hello(s, e.server);
    case 'lost': {
      const shown: Effect = s.table || s.preview?.phase === 'shown' ? { type: 'banner', text: LOST_TEXT, tone: 'warn' } : { type: 'screen', screen: 'gone' };
      return withEffects({ ...s, serverUp: false }, [{ type: 'live', live: 'down' }, shown]);
    }
    case 'loaded':
      return followedBy({ state: { ...s, restartNote: undefined }, effects: [{ type: 'banner', text: undefined, tone: 'info' }] }, startLoad);
    case 'loading':
      // meta answers `loading` with DuckDB's percent until the load ends; the load polls it.
      return followedBy(withEffects(s, loadingEffects(s, s.progress?.path === e.path ? s.progress : { path: e.path, percent: e.percent })), startLoad);
    case 'load-failed': {
      // Stop polling meta for the load that failed; its preview (if any) goes with it.
      const stopped: PageState = { ...s, load: { seq: s.load.seq + 1, force: false }, preview: undefined, progress: undefined };
      const unpreviewed: Effect[] = s.preview ? [{ type: 'drop-table' }, ...previewEnded(s)] : [];
      if (e.code === 'E_CANCELLED') {
        // The agent gave up on that file: nothing is wrong, and what was on screen stays (or is read again).
        if (s.table) return { state: stopped, effects: [{ type: 'banner', text: `Loading ${e.path ? basename(e.path) : 'the new file'} was cancelled.`, tone: 'info' }] };
        return followedBy(withEffects(stopped, unpreviewed), startLoad);
      }
      const message = e.message ?? 'The load failed.';
      if (s.table) return { state: stopped, effects: [{ type: 'banner', text: `Could not load ${e.path ? basename(e.path) : 'the new file'}: ${message}`, tone: 'error' }] };
      return withEffects(stopped, [...unpreviewed, { type: 'screen', screen: 'error', detail: { message } }]);
    }
    case 'stream-role':
      return { state: s, effects: [{ type: 'stream-role', role: e.role }] };
    case 'meta-answered':
      return metaAnswered(s, e.seq, e.answer);
    case 'meta-failed':
      return metaFailed(s, e.seq, e.failure);
    case 'preview-answered':
      return previewAnswered(s, e.preview);
    case 'preview-failed':
      return previewFailed(s, e.path, e.failure);
    case 'poll-due':
      return e.seq === s.load.seq ? startLoad(s) : { state: s, effects: [] };
    case 'rows-answered':
      return { state: s, effects: [{ type: 'counts', text: countsText(s.table?.meta, s.search, e.window) }] };
    case 'rows-failed':
      if (e.failure.reason === 'unreachable') return { state: s, effects: [{ type: 'banner', text: LOST_TEXT, tone: 'warn' }] };
      if (e.failure.status === 404) return startLoad(s);
      return { state: s, effects: [{ type: 'banner', text: `Could not read rows: ${e.failure.message}`, tone: 'error' }] };
    case 'stats-answered':
      return statsAnswered(s, e.seq, e.body);
    case 'stats-failed':
      if (s.table?.seq !== e.seq) return { state: s, effects: [] };
      return { state: s, effects: [{ type: 'banner', text: `Column stats are not available: ${e.message}`, tone: 'warn' }] };
    case 'search': {
      if (e.term === s.search) return { state: s, effects: [] };
      const next = { ...s, search: e.term };
      return { state: next, effects: [{ type: 'counts', text: countsText(s.table?.meta, e.term) }, { type: 'reload-rows' }] };
    }
    case 'summary-toggled':
      return summaryEffects({ ...s, summaryOn: !s.summaryOn });
    case 'copied':
      return { state: s, effects: [{ type: 'toast', text: `Copied ${e.text.length > TOAST_VALUE_CHARS ? `${e.text.slice(0, TOAST_VALUE_CHARS)}…` : e.text}` }] };
  }
}
