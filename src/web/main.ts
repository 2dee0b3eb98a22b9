// The viewer page for one session (`/s/<session>`): shows the session's dataset in a grid, follows the agent
// (a new load switches the table in place), and survives the server going away and coming back.

import './style.css';
import type { GridApi } from 'ag-grid-community';
import { api, type DatasetMeta, type PreviewRows } from './api.ts';
import { connect, type ServerIdentity } from './connection.ts';
import { createMainGrid, type MainGrid, type MainGridHooks } from './grid.ts';
import { createDispatcher } from './dispatcher.ts';
import { HTML_PREVIEW_ID } from '../contract/preview-text.ts';
import { adoptHtmlPreview } from './html-preview.ts';
import { failureOf, initialPageState, reducePage, type Effect, type PageEvent } from './page-state.ts';
import { createQueryBar } from './query-bar.ts';
import { showDatasetTitle } from './dataset-title.ts';
import { createSummaryGrid } from './summary-grid.ts';
import { createView } from './view.ts';

/** Typing pauses this long before the search goes to the server. */
const SEARCH_DEBOUNCE_MS = 200;
/** While the server says a load is running, ask again this often. */
const LOADING_POLL_MS = 300;

function sessionFromPage(): string {
  const fromMeta = document.querySelector<HTMLMetaElement>('meta[name="bt-session"]')?.content;
  return fromMeta || decodeURIComponent(location.pathname.split('/').filter(Boolean)[1] ?? '');
}

/**
 * The server that served this page. The live stream may never greet it (killed before the stream opened, on a
 * busy machine); comparing the first greeting with it still tells the person the server was replaced.
 */
function serverFromPage(): ServerIdentity | undefined {
  const version = document.querySelector<HTMLMetaElement>('meta[name="bt-version"]')?.content;
  const pid = Number(document.querySelector<HTMLMetaElement>('meta[name="bt-pid"]')?.content);
  return version && Number.isInteger(pid) && pid > 0 ? { version, pid } : undefined;
}

function followColorScheme(): void {
  const dark = window.matchMedia('(prefers-color-scheme: dark)');
  const apply = (): void => {
    document.body.dataset.agThemeMode = dark.matches ? 'dark' : 'light';
  };
  apply();
  dark.addEventListener('change', apply);
}

/**
 * Runs the page: events go through `reducePage`, and this shell carries out the effects it returns on the
 * view, the grids and the data API. It holds only what cannot live in a pure state: the grids themselves.
 */
export function startViewer(root: HTMLElement, session: string): void {
  followColorScheme();
  const htmlPreview = adoptHtmlPreview(root);
  const view = createView(root);
  htmlPreview?.cover();
  const queryBar = createQueryBar(root);

  let grid: MainGrid | undefined;
  let summary: GridApi | undefined;
  /** An empty grid made ahead of time (see the `fetch-meta` effect). */
  let spare: MainGrid | undefined;
  /** Resolves the current dataset's "first rows are in" promise. */
  let firstWindowSeen: () => void = () => {};
  let firstWindow: Promise<void> = Promise.resolve();
  const gridHooks: MainGridHooks = {
    rows: (q) => api.rows(session, q),
    search: () => page.state().search,
    onWindow: (w) => {
      dispatch({ type: 'rows-answered', window: w });
      firstWindowSeen();
    },
    onError: (err) => {
      firstWindowSeen();
      dispatch({ type: 'rows-failed', failure: failureOf(err) });
    },
    onCopy: (text) => dispatch({ type: 'copied', text }),
  };

  const fetchMeta = (seq: number): void => {
    const asked = api.meta(session);
    // Set the next grid up while the request is in flight: its start-up cost then overlaps the wait.
    spare ??= createMainGrid(view.grid, gridHooks);
    asked.then(
      (answer) => {
        if (answer.status === 'ready') performance.mark('bt-meta');
        dispatch({ type: 'meta-answered', seq, answer });
      },
      (err: unknown) => dispatch({ type: 'meta-failed', seq, failure: failureOf(err) }),
    );
  };

  const showTable = (meta: DatasetMeta, inPlace: boolean): void => {
    firstWindow = new Promise<void>((r) => (firstWindowSeen = r));
    // In place: the preview's grid takes the full table where the person scrolled to.
    if (!inPlace || !grid) {
      grid = spare ?? createMainGrid(view.grid, gridHooks);
      spare = undefined;
    }
    grid.show(meta);
    performance.mark('bt-grid-created');
    htmlPreview?.handOver(view.grid);
  };

  const showPreview = (p: PreviewRows): void => {
    grid?.destroy(); // a preview of an earlier file
    grid = spare ?? createMainGrid(view.grid, gridHooks);
    spare = undefined;
    grid.showPreview(p.columns, p.rows);
    performance.mark('bt-preview-shown');
    const top = htmlPreview?.topRow() ?? 0;
    if (top > 0) grid.api.ensureIndexVisible(Math.min(top, p.rows.length - 1), 'top');
    htmlPreview?.handOver(view.grid);
  };

  const fetchPreview = (path: string): void => {
    // The preview the page's HTML carried, when it is this file's: no second trip to the server.
    const inHtml = htmlPreview?.take(path);
    if (inHtml) {
      queueMicrotask(() => dispatch({ type: 'preview-answered', preview: inHtml }));
      return;
    }
    htmlPreview?.handOver();
    api.preview(session).then(
      (preview) => dispatch({ type: 'preview-answered', preview }),
      (err: unknown) => dispatch({ type: 'preview-failed', path, failure: failureOf(err) }),
    );
  };

  const fetchStats = (seq: number): void => {
    // Stats rows are drawn after the first rows have been painted: rows first is what the person waits for.
    const afterFirstPaint = firstWindow.then(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
    Promise.all([api.stats(session), afterFirstPaint]).then(
      ([body]) => dispatch({ type: 'stats-answered', seq, body }),
      (err: unknown) => dispatch({ type: 'stats-failed', seq, message: failureOf(err).message }),
    );
  };

  const run = (e: Effect): void => {
    switch (e.type) {
      case 'screen':
        // The HTML's preview covers the page until a grid shows rows; a panel with news must be seen at once.
        if (e.screen === 'error' || e.screen === 'gone' || e.screen === 'waiting') htmlPreview?.handOver();
        return view.setState(e.screen, e.detail);
      case 'live':
        return view.setLive(e.live);
      case 'banner':
        return view.banner(e.text, e.tone);
      case 'file':
        return showDatasetTitle(view, queryBar, e.path, e.format);
      case 'title':
        document.title = e.text;
        return;
      case 'counts':
        return view.setCounts(e.text);
      case 'toast':
        return view.toast(e.text);
      case 'stream-role':
        document.body.dataset.stream = e.role; // for a person (or a test) asking which tab holds the stream
        return;
      case 'connect':
        connect(session, dispatch);
        return;
      case 'take-preloads':
        return api.takePreloads(session);
      case 'forget-preloads':
        return api.forgetPreloads();
      case 'fetch-meta':
        return fetchMeta(e.seq);
      case 'poll-meta':
        setTimeout(() => dispatch({ type: 'poll-due', seq: e.seq }), LOADING_POLL_MS);
        return;
      case 'drop-table':
        grid?.destroy();
        summary?.destroy();
        view.summaryGrid.replaceChildren();
        grid = summary = undefined;
        return;
      case 'clear-search':
        view.search.value = '';
        return;
      case 'show-table':
        return showTable(e.meta, e.inPlace === true);
      case 'fetch-preview':
        return fetchPreview(e.path);
      case 'show-preview':
        return showPreview(e.preview);
      case 'preview-bar':
        return view.setPreview(e.text, e.progress);
      case 'controls':
        return view.setWaiting(e.waiting);
      case 'fetch-stats':
        return fetchStats(e.seq);
      case 'reload-rows':
        return grid?.reload();
      case 'set-stats':
        return grid?.setStats(e.stats);
      case 'summary':
        return view.setSummary(e.on);
      case 'summary-pending':
        return view.summaryPending();
      case 'build-summary':
        view.summaryGrid.replaceChildren();
        summary = createSummaryGrid(view.summaryGrid, e.meta, e.stats);
        return;
    }
  };

  // An effect may dispatch (a grid hook, the connection's first role): its events wait (dispatcher.ts).
  const page = createDispatcher(initialPageState(serverFromPage()), reducePage, run);
  function dispatch(event: PageEvent): void {
    page.dispatch(event);
  }

  dispatch({ type: 'boot' });

  let searchTimer: ReturnType<typeof setTimeout> | undefined;
  view.search.addEventListener('input', () => {
    if (searchTimer) clearTimeout(searchTimer);
    searchTimer = setTimeout(() => dispatch({ type: 'search', term: view.search.value.trim() }), SEARCH_DEBOUNCE_MS);
  });
  view.search.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      view.search.value = '';
      view.search.dispatchEvent(new Event('input'));
      view.search.blur();
    }
  });
  view.summaryButton.addEventListener('click', () => dispatch({ type: 'summary-toggled' }));
  document.addEventListener('keydown', (e) => {
    const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement;
    if (e.key === '/' && !typing) {
      e.preventDefault();
      view.search.focus();
    }
  });
}

const root = document.getElementById('app');
/** A frame painted: the HTML's preview rows are on screen before the grid's set-up holds the page for a while. */
const afterPaint = (): Promise<void> => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
if (root) {
  if (document.getElementById(HTML_PREVIEW_ID)) void afterPaint().then(() => startViewer(root, sessionFromPage()));
  else startViewer(root, sessionFromPage());
}
