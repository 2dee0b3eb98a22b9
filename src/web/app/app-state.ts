// The chat app's state and every decision about it, as one pure function (like page-state.ts for the browser
// page): the host's notifications (tool input, tool result), the app-only tools' answers and the person's input
// give the next state and the effects the shell runs. Unlike the browser page, an app instance never follows
// the agent to another file: it reads its own tool result's dataset by id (a file, a query result, a diff) while
// the server keeps it, and says clearly when a later call replaced it for good. A file whose dataset is gone
// (a server replacement reloaded it under a new id) is looked up again by its path.

import type { StatsAnswer } from '../../contract/data-api.ts';
import { DIFF_FORMAT } from '../../contract/diff.ts';
import type { ViewerTableRef } from '../../contract/viewer-app.ts';
import type { DatasetMeta, MetaAnswer, RowWindow } from '../api.ts';
import { countsText, type Effect as PageEffect, type Failure } from '../page-state.ts';
import { parseStats, type ColumnStats } from '../stats.ts';
import { basename, type Screen } from '../view.ts';

/** What the tool result said to show; `datasetId` undefined once the app follows the session's file by path. */
export type TableRef = Pick<ViewerTableRef, 'session' | 'path' | 'url'> & { datasetId: number | undefined; kind: 'file' | 'query' | 'diff'; name: string };

interface Table {
  meta: DatasetMeta;
  stats?: Map<string, ColumnStats>;
  summaryBuilt: boolean;
}

export interface AppState {
  ref?: TableRef;
  /** Answers to earlier meta requests are dropped. */
  seq: number;
  table?: Table;
  screen: Screen;
  search: string;
  summaryOn: boolean;
}

export type AppEvent =
  | { type: 'tool-input'; args: Record<string, unknown> | undefined }
  | { type: 'tool-result'; isError: boolean; text: string; ref: TableRef | undefined }
  | { type: 'tool-cancelled'; reason: string | undefined }
  | { type: 'meta-answered'; seq: number; answer: MetaAnswer }
  | { type: 'meta-failed'; seq: number; failure: Failure }
  | { type: 'poll-due'; seq: number }
  | { type: 'rows-answered'; window: RowWindow }
  | { type: 'rows-failed'; failure: Failure }
  | { type: 'stats-answered'; body: StatsAnswer }
  | { type: 'stats-failed'; message: string }
  | { type: 'search'; term: string }
  | { type: 'summary-toggled' }
  | { type: 'copied'; text: string };

/** The browser page's effects the app shares (no live stream, no preloads), and asking for meta by sequence. */
export type AppEffect =
  | Extract<PageEffect, { type: 'screen' | 'banner' | 'file' | 'counts' | 'toast' | 'drop-table' | 'clear-search' | 'show-table' | 'reload-rows' | 'set-stats' | 'summary' | 'summary-pending' | 'build-summary' | 'poll-meta' | 'fetch-meta' }>
  | { type: 'fetch-stats' };

export interface AppUpdate {
  state: AppState;
  effects: AppEffect[];
}

/** A copied value longer than this is cut short in the toast. */
const TOAST_VALUE_CHARS = 40;

export const initialAppState: AppState = { seq: 0, screen: 'waiting', search: '', summaryOn: false };

const pathOf = (side: unknown): string | undefined => (typeof side === 'object' && side !== null && typeof (side as { path?: unknown }).path === 'string' ? (side as { path: string }).path : undefined);

/**
 * Reads the structuredContent of view_data (a file), query_data (its sql) or compare_data (its left and right);
 * undefined when it is not a table to show.
 */
export function tableRefOf(structured: Record<string, unknown> | undefined): TableRef | undefined {
  if (!structured || typeof structured.session !== 'string') return undefined;
  const id = structured.dataset_id;
  const base = { session: structured.session, url: typeof structured.url === 'string' ? structured.url : '', datasetId: typeof id === 'number' ? id : undefined };
  if (typeof structured.path === 'string') return { ...base, path: structured.path, kind: 'file', name: basename(structured.path) };
  if (base.datasetId === undefined) return undefined;
  if (typeof structured.sql === 'string') return { ...base, kind: 'query', name: 'This query result' };
  const left = pathOf(structured.left);
  const right = pathOf(structured.right);
  if (left && right) return { ...base, kind: 'diff', name: `${basename(left)} → ${basename(right)}` };
  return undefined;
}

/** What the tool's input says is coming, for the loading screen. */
export function loadingTitle(args: Record<string, unknown> | undefined): string {
  if (typeof args?.path === 'string') return `Loading ${basename(args.path)}…`;
  if (typeof args?.sql === 'string') return 'Running the query…';
  if (typeof args?.left === 'string' && typeof args.right === 'string') return `Comparing ${basename(args.left)} → ${basename(args.right)}…`;
  return 'Loading…';
}

/** How a dataset the session shows is named in a sentence. */
function shownName(meta: Pick<DatasetMeta, 'path' | 'format'> | undefined): string {
  if (!meta) return 'other data';
  if (meta.format === 'query') return 'a query result';
  if (meta.format === DIFF_FORMAT) return 'a comparison';
  return basename(meta.path);
}

export function replacedText(ref: TableRef, now: Pick<DatasetMeta, 'path' | 'format'> | undefined): { title: string; message: string; hint: string } {
  const mine = ref.name;
  return {
    title: `${mine} was replaced`,
    message: `A later call showed ${shownName(now)} in this session and this view's data is no longer kept, so this view can no longer read ${ref.kind === 'file' ? mine : 'it'}. The newest result in the conversation shows the current table.`,
    hint: `To see ${ref.kind === 'file' ? mine : 'it'} here again, ask the agent to show it again.`,
  };
}

function screen(s: AppState, effect: Extract<AppEffect, { type: 'screen' }>, more: AppEffect[] = []): AppUpdate {
  return { state: { ...s, screen: effect.screen }, effects: [effect, ...more] };
}

function fetchMeta(s: AppState): AppUpdate {
  const seq = s.seq + 1;
  return { state: { ...s, seq }, effects: [{ type: 'fetch-meta', seq }] };
}

function summaryEffects(s: AppState): AppUpdate {
  const effects: AppEffect[] = [{ type: 'summary', on: s.summaryOn }];
  const t = s.table;
  if (!s.summaryOn || !t || t.summaryBuilt) return { state: s, effects };
  if (!t.stats) return { state: s, effects: [...effects, { type: 'summary-pending' }] };
  return { state: { ...s, table: { ...t, summaryBuilt: true } }, effects: [...effects, { type: 'build-summary', meta: t.meta, stats: t.stats }] };
}

function replaced(s: AppState, now: Pick<DatasetMeta, 'path' | 'format'> | undefined): AppUpdate {
  const ref = s.ref!;
  const text = replacedText(ref, now);
  // Rows of another file must never appear under this file's headers: the table goes.
  return screen({ ...s, table: undefined }, { type: 'screen', screen: 'error', detail: text }, [{ type: 'drop-table' }, { type: 'banner', text: undefined, tone: 'info' }]);
}

function metaAnswered(s: AppState, seq: number, answer: MetaAnswer): AppUpdate {
  if (seq !== s.seq || !s.ref) return { state: s, effects: [] };
  if (answer.status === 'loading') {
    // Only a file followed by path hears "loading" (a dataset asked for by id answers at once).
    if (answer.path !== s.ref.path) return replaced(s, { path: answer.path, format: '' });
    const pct = answer.percent === undefined ? '' : ` ${Math.round(answer.percent)}%`;
    return screen(s, { type: 'screen', screen: 'loading', detail: { title: `Loading ${basename(answer.path)}…${pct}` } }, [{ type: 'poll-meta', seq }]);
  }
  const meta = answer.meta;
  // Our dataset; or our file loaded again (the agent showed it twice, or a restarted server reloaded it).
  const ours = (s.ref.datasetId !== undefined && meta.datasetId === s.ref.datasetId) || (s.ref.kind === 'file' && meta.path === s.ref.path);
  if (!ours) return replaced(s, meta);
  if (s.table && s.table.meta.datasetId === meta.datasetId) return { state: s, effects: [] };
  const shown: AppState = { ...s, table: { meta, summaryBuilt: false }, search: '', screen: 'ready' };
  const effects: AppEffect[] = [
    { type: 'drop-table' },
    { type: 'clear-search' },
    { type: 'file', path: meta.path, format: meta.format },
    { type: 'counts', text: countsText(meta, '') },
    { type: 'show-table', meta },
    { type: 'screen', screen: 'ready' },
  ];
  const drawn = summaryEffects(shown);
  return { state: drawn.state, effects: [...effects, ...drawn.effects, { type: 'fetch-stats' }] };
}

function metaFailed(s: AppState, seq: number, f: Failure): AppUpdate {
  if (seq !== s.seq || !s.ref) return { state: s, effects: [] };
  // Our dataset is no longer kept (E_DATASET_GONE): a file may still be the session's, under a new id.
  if (f.reason === 'no-data' && s.ref.kind === 'file' && s.ref.datasetId !== undefined) return fetchMeta({ ...s, ref: { ...s.ref, datasetId: undefined } });
  // The session holds nothing (a data server that lost it and has no record of it): nothing of ours to show.
  if (f.reason === 'no-data') return replaced(s, undefined);
  if (s.table) return { state: s, effects: [{ type: 'banner', text: `Could not reach the data: ${f.message}`, tone: 'error' }] };
  return screen(s, { type: 'screen', screen: 'error', detail: { message: f.message, hint: f.hint } });
}

export function reduceApp(s: AppState, e: AppEvent): AppUpdate {
  switch (e.type) {
    case 'tool-input': {
      if (s.ref) return { state: s, effects: [] };
      const path = typeof e.args?.path === 'string' ? e.args.path : undefined;
      return screen(s, { type: 'screen', screen: 'loading', detail: { title: loadingTitle(e.args) } }, path ? [{ type: 'file', path, format: '' }] : []);
    }
    case 'tool-result': {
      if (e.isError) return screen({ ...s, ref: undefined }, { type: 'screen', screen: 'error', detail: { message: e.text } });
      if (!e.ref) return screen(s, { type: 'screen', screen: 'error', detail: { message: 'The tool result names no table to show (an older buckaroo-table?).' } });
      return fetchMeta({ ...s, ref: e.ref });
    }
    case 'tool-cancelled':
      if (s.ref) return { state: s, effects: [] };
      return screen(s, { type: 'screen', screen: 'error', detail: { title: 'Cancelled', message: e.reason ?? 'The tool call was cancelled; nothing was shown.' } });
    case 'meta-answered':
      return metaAnswered(s, e.seq, e.answer);
    case 'meta-failed':
      return metaFailed(s, e.seq, e.failure);
    case 'poll-due':
      return e.seq === s.seq ? fetchMeta(s) : { state: s, effects: [] };
    case 'rows-answered': {
      const t = s.table;
      // Rows of a later load of the session: ask what it holds now (the same file again, or a replacement).
      if (t && e.window.datasetId !== undefined && t.meta.datasetId !== undefined && e.window.datasetId !== t.meta.datasetId) return fetchMeta(s);
      return { state: s, effects: [{ type: 'counts', text: countsText(t?.meta, s.search, e.window) }] };
    }
    case 'rows-failed': {
      if (e.failure.reason === 'unreachable') return { state: s, effects: [{ type: 'banner', text: e.failure.message, tone: 'warn' }] };
      // Often the sign of a later load (an unknown column, a dataset gone): ask what the session holds now.
      const asked = fetchMeta(s);
      return { state: asked.state, effects: [{ type: 'banner', text: `Could not read rows: ${e.failure.message}`, tone: 'error' }, ...asked.effects] };
    }
    case 'stats-answered': {
      const t = s.table;
      if (!t || (t.meta.datasetId !== undefined && e.body.dataset_id !== t.meta.datasetId)) return { state: s, effects: [] };
      const stats = parseStats(e.body);
      const next = summaryEffects({ ...s, table: { ...t, stats } });
      return { state: next.state, effects: [{ type: 'set-stats', stats }, ...next.effects] };
    }
    case 'stats-failed':
      return s.table ? { state: s, effects: [{ type: 'banner', text: `Column stats are not available: ${e.message}`, tone: 'warn' }] } : { state: s, effects: [] };
    case 'search':
      if (e.term === s.search) return { state: s, effects: [] };
      return { state: { ...s, search: e.term }, effects: [{ type: 'counts', text: countsText(s.table?.meta, e.term) }, { type: 'reload-rows' }] };
    case 'summary-toggled':
      return summaryEffects({ ...s, summaryOn: !s.summaryOn });
    case 'copied':
      return { state: s, effects: [{ type: 'toast', text: `Copied ${e.text.length > TOAST_VALUE_CHARS ? `${e.text.slice(0, TOAST_VALUE_CHARS)}…` : e.text}` }] };
  }
}
