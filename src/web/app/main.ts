// The table inside the chat: the viewer page as an MCP App. The host hands it view_data's input and result
// (ext-apps' `App`, over postMessage); it reads rows, stats and search results through the app-only tools,
// never over the network; it follows the host's theme, size and display mode. Decisions are in app-state.ts.

import '../style.css';
import { App, applyDocumentTheme, type McpUiHostContext } from '@modelcontextprotocol/ext-apps';
import type { GridApi } from 'ag-grid-community';
import { createMainGrid, type MainGrid, type MainGridHooks } from '../grid.ts';
import { showDatasetTitle } from '../dataset-title.ts';
import { createDispatcher } from '../dispatcher.ts';
import { createQueryBar } from '../query-bar.ts';
import { failureOf } from '../page-state.ts';
import { createSummaryGrid } from '../summary-grid.ts';
import { createView } from '../view.ts';
import { initialAppState, reduceApp, tableRefOf, type AppEffect, type AppEvent } from './app-state.ts';
import { requestedHeight, toggledMode, type HostLayoutContext } from './host-layout.ts';
import { toolApi, type DataRef } from './tool-api.ts';

const SEARCH_DEBOUNCE_MS = 200;
/** While the data server says a load is running, ask again this often. */
const LOADING_POLL_MS = 300;

/** Sets the app up on `root`; returns what to run once the host has answered `ui/initialize` (its context is known). */
export function startApp(root: HTMLElement, app: App): { connected(): void } {
  document.documentElement.dataset.host = 'app';
  const view = createView(root);
  const queryBar = createQueryBar(root);
  const data = toolApi(app);
  let grid: MainGrid | undefined;
  let summary: GridApi | undefined;
  let firstWindowSeen: () => void = () => {};
  let firstWindow: Promise<void> = Promise.resolve();

  /** The instance's own data: its tool result's dataset, or the session's file once followed by path. */
  const ref = (): DataRef => ({ session: events.state().ref?.session ?? '', dataset: events.state().ref?.datasetId });
  const gridHooks: MainGridHooks = {
    rows: (q) => data.rows(ref(), q),
    search: () => events.state().search,
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

  // Host layout: theme, the height to ask for, the full-screen button.
  const fullscreen = Object.assign(document.createElement('button'), { className: 'bt-button', type: 'button', id: 'bt-fullscreen', hidden: true, textContent: '⤢' });
  const openBrowser = Object.assign(document.createElement('button'), { className: 'bt-button', type: 'button', id: 'bt-open-browser', hidden: true, textContent: '↗', title: 'Open in the browser' });
  view.toolbar.append(fullscreen, openBrowser);
  let lastHeight: number | undefined;
  const applyHost = (): void => {
    const ctx = (app.getHostContext() ?? {}) as McpUiHostContext & HostLayoutContext;
    const dark = ctx.theme ? ctx.theme === 'dark' : window.matchMedia('(prefers-color-scheme: dark)').matches;
    if (ctx.theme) applyDocumentTheme(ctx.theme);
    document.body.dataset.agThemeMode = dark ? 'dark' : 'light';
    document.documentElement.dataset.displayMode = ctx.displayMode ?? 'inline';
    const next = toggledMode(ctx);
    fullscreen.hidden = next === undefined;
    fullscreen.title = next === 'inline' ? 'Back into the conversation' : 'Full screen';
    fullscreen.setAttribute('aria-pressed', String(ctx.displayMode === 'fullscreen'));
    const height = requestedHeight(ctx, events.state().table?.meta.rows);
    if (height !== undefined && height !== lastHeight) {
      lastHeight = height;
      void app.sendSizeChanged({ height });
    }
  };
  fullscreen.addEventListener('click', () => {
    const next = toggledMode((app.getHostContext() ?? {}) as HostLayoutContext);
    if (next) void app.requestDisplayMode({ mode: next }).then(applyHost, () => {});
  });
  openBrowser.addEventListener('click', () => {
    const url = events.state().ref?.url;
    if (url) void app.openLink({ url });
  });

  /**
   * An empty grid made while the tool runs or the meta request is in flight, so AG Grid's set-up overlaps the
   * wait. Made on a later task: made at once, it held the main thread before the request had even been posted.
   */
  let spare: MainGrid | undefined;
  const prepareGrid = (): void => {
    setTimeout(() => {
      if (!grid) spare ??= createMainGrid(view.grid, gridHooks);
    }, 0);
  };
  const fetchMeta = (seq: number): void => {
    const asked = data.meta(ref());
    prepareGrid();
    asked.then(
      (answer) => {
        performance.mark('bt-meta');
        dispatch({ type: 'meta-answered', seq, answer });
      },
      (err: unknown) => dispatch({ type: 'meta-failed', seq, failure: failureOf(err) }),
    );
  };
  const fetchStats = (): void => {
    // Rows first is what the person waits for; the stats rows are drawn once the first rows are painted.
    const afterFirstPaint = firstWindow.then(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
    Promise.all([data.stats(ref()), afterFirstPaint]).then(
      ([body]) => dispatch({ type: 'stats-answered', body }),
      (err: unknown) => dispatch({ type: 'stats-failed', message: failureOf(err).message }),
    );
  };

  const run = (e: AppEffect): void => {
    switch (e.type) {
      case 'screen':
        return view.setState(e.screen, e.detail);
      case 'banner':
        return view.banner(e.text, e.tone);
      case 'file':
        showDatasetTitle(view, queryBar, e.path, e.format);
        openBrowser.hidden = !events.state().ref?.url;
        return;
      case 'counts':
        return view.setCounts(e.text);
      case 'toast':
        return view.toast(e.text);
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
        firstWindow = new Promise<void>((r) => (firstWindowSeen = r));
        grid = spare ?? createMainGrid(view.grid, gridHooks);
        spare = undefined;
        grid.show(e.meta);
        performance.mark('bt-grid-shown');
        return;
      case 'fetch-stats':
        return fetchStats();
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

  // As in the browser page (dispatcher.ts); once the queue is empty the row count decides the inline height.
  const events = createDispatcher(initialAppState, reduceApp, run, () => applyHost());
  function dispatch(event: AppEvent): void {
    events.dispatch(event);
  }

  view.setState('waiting', { title: 'Waiting for the tool result', message: 'The table appears when the tool has its data ready.' });
  app.ontoolinput = (p) => {
    prepareGrid(); // the tool is still loading the file: set the grid up meanwhile
    dispatch({ type: 'tool-input', args: p.arguments });
  };
  app.ontoolresult = (r) => {
    performance.mark('bt-tool-result');
    dispatch({
      type: 'tool-result',
      isError: r.isError === true,
      text: r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n'),
      ref: tableRefOf(r.structuredContent as Record<string, unknown> | undefined),
    });
  };
  app.ontoolcancelled = (p) => dispatch({ type: 'tool-cancelled', reason: p.reason });
  app.onhostcontextchanged = applyHost;
  app.onteardown = async () => {
    grid?.destroy();
    summary?.destroy();
    return {};
  };

  let searchTimer: ReturnType<typeof setTimeout> | undefined;
  view.search.addEventListener('input', () => {
    if (searchTimer) clearTimeout(searchTimer);
    searchTimer = setTimeout(() => dispatch({ type: 'search', term: view.search.value.trim() }), SEARCH_DEBOUNCE_MS);
  });
  view.summaryButton.addEventListener('click', () => dispatch({ type: 'summary-toggled' }));
  return { connected: applyHost };
}

const root = document.getElementById('app');
if (root) {
  // autoResize off: the grid fills the frame, so measuring the page would only echo the frame's own height.
  const app = new App({ name: 'buckaroo-table', version: '1' }, {}, { autoResize: false });
  const started = startApp(root, app);
  app.connect().then(
    () => {
      performance.mark('bt-connected');
      started.connected();
    },
    (err: unknown) => {
      root.textContent = `Could not connect to the chat host: ${(err as Error).message}`;
    },
  );
}
