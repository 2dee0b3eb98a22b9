// The page's frame around the grid: toolbar (file, counts, search, Σ, connection dot), a banner for news
// (server restarted, connection lost), and the state panel that replaces the table while there is none
// (connecting, waiting for data, loading, error, server gone), and a preview's label with the load's progress.
// Nothing here knows about AG Grid.

import { PREVIEW_WAITS_TEXT } from '../contract/preview-text.ts';

/** What the panel shows instead of the table ('ready': the table itself). */
export type Screen = 'connecting' | 'waiting' | 'loading' | 'ready' | 'error' | 'gone';

export type Tone = 'info' | 'warn' | 'error';

export interface ScreenDetail {
  title?: string;
  message?: string;
  hint?: string;
  progress?: number;
}

export interface View {
  /** The toolbar, for a shell to add its own buttons to (the chat app's full screen, open in browser). */
  toolbar: HTMLElement;
  grid: HTMLElement;
  summaryGrid: HTMLElement;
  search: HTMLInputElement;
  summaryButton: HTMLButtonElement;
  setState(state: Screen, detail?: ScreenDetail): void;
  setFile(path: string, format: string): void;
  setCounts(text: string): void;
  setLive(live: 'up' | 'down' | 'connecting'): void;
  banner(text: string | undefined, tone?: Tone): void;
  toast(text: string): void;
  setSummary(on: boolean): void;
  /** Fills the Σ area with a note while the stats are still being computed. */
  summaryPending(): void;
  /** The label over a preview with the load's progress bar (share 0–1); undefined text hides it. */
  setPreview(text: string | undefined, progress?: number): void;
  /** Search and Σ wait for the full load (a preview is on screen), and say so. */
  setWaiting(waiting: boolean): void;
}

const TOAST_MS = 1_600;
const SEARCH_PLACEHOLDER = 'Search text…  ( / )';
const SUMMARY_TITLE = 'Summary statistics for every column';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
}

const STATE_TEXT: Record<Exclude<Screen, 'ready'>, { title: string; message: string }> = {
  connecting: { title: 'Connecting…', message: 'Reaching the buckaroo-table server on this machine.' },
  waiting: { title: 'Waiting for data', message: 'Nothing is loaded in this session yet: ask your agent to call view_data with a file path. This page will show it as soon as it is loaded.' },
  loading: { title: 'Loading…', message: 'Reading the file into the table.' },
  error: { title: 'Could not show this data', message: '' },
  gone: { title: 'The server is not running', message: 'The buckaroo-table server stopped or is restarting. This page reconnects by itself and shows the table again; if it stays here, ask your agent to call view_data again.' },
};

export function basename(p: string): string {
  const parts = p.split(/[\\/]/);
  return parts[parts.length - 1] || p;
}

export function createView(root: HTMLElement): View {
  const file = el('span', { className: 'bt-file', textContent: 'buckaroo-table' });
  const format = el('span', { className: 'bt-format', hidden: true });
  const counts = el('span', { className: 'bt-counts', id: 'bt-counts' });
  const search = el('input', { type: 'search', id: 'bt-search', placeholder: SEARCH_PLACEHOLDER, spellcheck: false, autocomplete: 'off' });
  search.setAttribute('aria-label', 'Search text columns');
  const summaryButton = el('button', { id: 'bt-summary-toggle', className: 'bt-button', type: 'button', textContent: 'Σ', title: SUMMARY_TITLE });
  summaryButton.setAttribute('aria-pressed', 'false');
  const live = el('span', { className: 'bt-live', id: 'bt-live', title: 'Connecting…' });
  const bannerEl = el('div', { className: 'bt-banner', id: 'bt-banner', hidden: true, role: 'status' } as Partial<HTMLDivElement>);
  const grid = el('div', { className: 'bt-grid', id: 'bt-grid' });
  const summaryGrid = el('div', { className: 'bt-grid', id: 'bt-summary-grid', hidden: true });
  const panelTitle = el('h1');
  const panelMessage = el('p', { className: 'bt-state-message' });
  const panelHint = el('p', { className: 'bt-state-hint' });
  const progress = el('progress', { max: 1 });
  const panel = el('div', { className: 'bt-state', id: 'bt-state' }, el('div', { className: 'bt-state-box' }, panelTitle, panelMessage, progress, panelHint));
  const toastEl = el('div', { className: 'bt-toast', hidden: true });
  const previewText = el('span', { className: 'bt-preview-text' });
  const previewProgress = el('progress', { max: 1 });
  const previewBar = el(
    'div',
    { className: 'bt-preview', id: 'bt-preview', hidden: true, role: 'status' } as Partial<HTMLDivElement>,
    previewText,
    previewProgress,
    el('span', { className: 'bt-preview-waits', textContent: PREVIEW_WAITS_TEXT }),
  );
  const toolbar = el('header', { className: 'bt-toolbar' }, el('div', { className: 'bt-title' }, file, format), counts, el('div', { className: 'bt-spacer' }), search, summaryButton, live);
  root.replaceChildren(
    toolbar,
    bannerEl,
    previewBar,
    el('main', { className: 'bt-main' }, grid, summaryGrid, panel),
    toastEl,
  );

  let toastTimer: ReturnType<typeof setTimeout> | undefined;
  return {
    toolbar,
    grid,
    summaryGrid,
    search,
    summaryButton,
    setState(state, detail = {}) {
      document.body.dataset.state = state;
      panel.hidden = state === 'ready';
      if (state === 'ready') return;
      const text = STATE_TEXT[state];
      panel.dataset.kind = state;
      panelTitle.textContent = detail.title ?? text.title;
      panelMessage.textContent = detail.message ?? text.message;
      panelHint.textContent = detail.hint ?? '';
      panelHint.hidden = !detail.hint;
      progress.hidden = detail.progress === undefined;
      if (detail.progress !== undefined) progress.value = detail.progress;
    },
    setFile(path, fmt) {
      file.textContent = basename(path);
      file.title = path;
      format.textContent = fmt;
      format.hidden = fmt === '';
      document.title = `${basename(path)} — buckaroo-table`;
    },
    setCounts(text) {
      counts.textContent = text;
    },
    setLive(state) {
      live.dataset.live = state;
      live.title = state === 'up' ? 'Live: follows your agent' : state === 'down' ? 'Disconnected: reconnecting…' : 'Connecting…';
    },
    banner(text, tone = 'info') {
      bannerEl.hidden = text === undefined;
      bannerEl.textContent = text ?? '';
      bannerEl.dataset.tone = tone;
    },
    toast(text) {
      toastEl.textContent = text;
      toastEl.hidden = false;
      if (toastTimer) clearTimeout(toastTimer);
      toastTimer = setTimeout(() => (toastEl.hidden = true), TOAST_MS);
    },
    summaryPending() {
      summaryGrid.replaceChildren(el('div', { className: 'bt-summary-pending', textContent: 'Computing column statistics…' }));
    },
    setPreview(text, share) {
      previewBar.hidden = text === undefined;
      document.body.dataset.preview = text === undefined ? 'off' : 'on'; // for a person (or a test) asking what shows
      previewText.textContent = text ?? '';
      // Without a share the bar is indeterminate (DuckDB has not told yet).
      if (share === undefined) previewProgress.removeAttribute('value');
      else previewProgress.value = share;
    },
    setWaiting(waiting) {
      search.disabled = waiting;
      summaryButton.disabled = waiting;
      search.placeholder = waiting ? 'Search waits for the full load' : SEARCH_PLACEHOLDER;
      summaryButton.title = waiting ? 'Statistics wait for the full load' : SUMMARY_TITLE;
    },
    setSummary(on) {
      summaryButton.setAttribute('aria-pressed', String(on));
      grid.hidden = on;
      summaryGrid.hidden = !on;
    },
  };
}
