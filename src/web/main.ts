// The viewer page for one session (`/s/<session>`): shows the session's dataset in a grid, follows the agent
// (a new load switches the table in place), and survives the server going away and coming back.

import './style.css';
import type { GridApi } from 'ag-grid-community';
import { api, isNoDataError, ServerError, UnreachableError, type DatasetMeta, type RowWindow } from './api.ts';
import { connect, type ServerIdentity } from './connection.ts';
import { createMainGrid, type MainGrid, type MainGridHooks } from './grid.ts';
import { createSummaryGrid } from './summary-grid.ts';
import { parseStats, type ColumnStats } from './stats.ts';
import { createView, basename } from './view.ts';

/** Typing pauses this long before the search goes to the server. */
const SEARCH_DEBOUNCE_MS = 200;
/** While the server says a load is running, ask again this often. */
const LOADING_POLL_MS = 300;

const fmt = (n: number): string => n.toLocaleString('en-US');

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

function errorText(err: unknown): { message: string; hint?: string } {
  if (err instanceof ServerError) return { message: err.message, hint: err.hint };
  return { message: (err as Error)?.message ?? String(err) };
}

export function startViewer(root: HTMLElement, session: string): void {
  followColorScheme();
  const view = createView(root);
  view.setState('connecting');
  view.setLive('connecting');

  let meta: DatasetMeta | undefined;
  let grid: MainGrid | undefined;
  let summary: GridApi | undefined;
  let stats: Map<string, ColumnStats> | undefined;
  let summaryOn = false;
  let search = '';
  let loadSeq = 0;
  let serverUp = false;
  /** "Server restarted (a → b)" until the next load: a later reconnect must not wipe that news. */
  let restartNote: string | undefined;
  const servedBy = serverFromPage();

  const counts = (w?: RowWindow): void => {
    if (!meta) return view.setCounts('');
    const cols = `${fmt(meta.columns.length)} column${meta.columns.length === 1 ? '' : 's'}`;
    const total = w?.total ?? meta.rows;
    view.setCounts(search && w ? `${fmt(w.filtered)} of ${fmt(total)} rows × ${cols}` : `${fmt(total)} rows × ${cols}`);
  };

  const showSummary = (): void => {
    view.setSummary(summaryOn);
    if (!summaryOn || !meta || summary) return;
    if (!stats) return view.summaryPending();
    view.summaryGrid.replaceChildren();
    summary = createSummaryGrid(view.summaryGrid, meta, stats);
  };

  const dropTable = (): void => {
    grid?.destroy();
    summary?.destroy();
    view.summaryGrid.replaceChildren();
    grid = summary = undefined;
    meta = stats = undefined;
  };

  const showLoading = (path: string, percent: number | undefined): void => {
    const name = path ? basename(path) : 'the file';
    const pct = percent === undefined ? '' : ` ${Math.round(percent)}%`;
    if (grid) view.banner(`Loading ${name}…${pct}`, 'info');
    else view.setState('loading', { title: `Loading ${name}…`, message: pct ? `${pct.trim()} read` : 'Reading the file into the table.', progress: percent === undefined ? undefined : percent / 100 });
  };

  /** An empty grid made ahead of time (see loadDataset). */
  let spare: MainGrid | undefined;
  /** Resolves the current dataset's "first rows are in" promise. */
  let firstWindowSeen: () => void = () => {};
  const gridHooks: MainGridHooks = {
    search: () => search,
    onWindow: (w) => {
      counts(w);
      firstWindowSeen();
    },
    onError: (err) => {
      firstWindowSeen();
      onRowsError(err);
    },
    onCopy: (text) => view.toast(`Copied ${text.length > 40 ? `${text.slice(0, 40)}…` : text}`),
  };

  const onRowsError = (err: unknown): void => {
    if (err instanceof UnreachableError) return view.banner('Lost the connection to the server — reconnecting…', 'warn');
    if (err instanceof ServerError && err.status === 404) return void loadDataset();
    view.banner(`Could not read rows: ${errorText(err).message}`, 'error');
  };

  /** Asks the server what this session holds and shows it; a table already on screen stays until the new one is ready. */
  async function loadDataset(opts: { force?: boolean } = {}): Promise<void> {
    const seq = ++loadSeq;
    if (seq > 1) api.forgetPreloads(); // only the boot request may use the boot answers
    if (!grid) view.setState('loading');
    const asked = api.meta(session);
    // Set the next grid up while the request is in flight: its start-up cost then overlaps the wait.
    spare ??= createMainGrid(view.grid, session, gridHooks);
    let next: DatasetMeta;
    try {
      const answer = await asked;
      if (answer.status === 'loading') {
        api.forgetPreloads();
        if (seq !== loadSeq) return;
        showLoading(answer.path, answer.percent);
        // The `loaded` event normally ends this; polling covers a page that connected mid-load.
        setTimeout(() => seq === loadSeq && void loadDataset(), LOADING_POLL_MS);
        return;
      }
      next = answer.meta;
      performance.mark('bt-meta');
    } catch (err) {
      api.forgetPreloads(); // the boot answers belong to no dataset
      if (seq !== loadSeq) return;
      if (isNoDataError(err)) {
        dropTable();
        view.setFile('', '');
        document.title = 'Waiting for data — buckaroo-table';
        counts();
        return view.setState('waiting');
      }
      if (err instanceof UnreachableError) return grid ? undefined : view.setState('gone');
      const { message, hint } = errorText(err);
      if (grid) return view.banner(`Could not load the new data: ${message}`, 'error');
      return view.setState('error', { message, hint });
    }
    if (seq !== loadSeq) return;
    // Same dataset as on screen (e.g. asked while a new load had not begun yet): keep the table as it is.
    if (!opts.force && grid && meta && next.datasetId !== undefined && next.datasetId === meta.datasetId) return;
    dropTable();
    const firstWindow = new Promise<void>((r) => (firstWindowSeen = r));
    meta = next;
    search = '';
    view.search.value = '';
    view.setFile(meta.path, meta.format);
    counts();
    grid = spare ?? createMainGrid(view.grid, session, gridHooks);
    spare = undefined;
    grid.show(meta);
    performance.mark('bt-grid-created');
    view.setState('ready');
    showSummary();
    const forMeta = meta;
    // Stats rows are drawn after the first rows have been painted: rows first is what the person waits for.
    const afterFirstPaint = firstWindow.then(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
    Promise.all([api.stats(session), afterFirstPaint]).then(
      ([body]) => {
        if (meta !== forMeta || !grid) return;
        // Stats of another load of this session (it was replaced meanwhile): the `loaded` event brings ours.
        const forDataset = (body as { dataset_id?: unknown } | undefined)?.dataset_id;
        if (typeof forDataset === 'number' && forMeta.datasetId !== undefined && forDataset !== forMeta.datasetId) return;
        stats = parseStats(body);
        grid.setStats(stats);
        showSummary();
      },
      (err: unknown) => {
        if (meta === forMeta) view.banner(`Column stats are not available: ${errorText(err).message}`, 'warn');
      },
    );
  }

  connect(session, {
    onHello(server: ServerIdentity, previous: ServerIdentity | undefined) {
      view.setLive('up');
      const wasDown = !serverUp;
      serverUp = true;
      const before = previous ?? servedBy;
      if (before && before.pid !== server.pid) {
        const versions = before.version === server.version ? server.version : `${before.version} → ${server.version}`;
        restartNote = `Server restarted (${versions})`;
        view.banner(restartNote, 'info');
        void loadDataset({ force: true }); // dataset ids restart with the server
      } else if (wasDown) {
        // Back after a blip: the connection warning goes, the news of a restart (if any) stays.
        view.banner(restartNote, 'info');
        // The first load runs at boot without waiting for this hello; repeat it only if it found no server.
        if (!grid && (previous || document.body.dataset.state === 'gone')) void loadDataset();
      }
    },
    onLoaded() {
      restartNote = undefined;
      view.banner(undefined);
      void loadDataset();
    },
    onLoading(data) {
      const d = (data ?? {}) as { path?: string; percent?: number };
      showLoading(d.path ?? '', typeof d.percent === 'number' ? d.percent : undefined);
      // meta answers `loading` with DuckDB's percent until the load ends; loadDataset polls it.
      void loadDataset();
    },
    onLoadFailed(data) {
      loadSeq++; // stop polling meta for the load that failed
      const d = (data ?? {}) as { message?: string; path?: string };
      const message = d.message ?? 'The load failed.';
      if (grid) view.banner(`Could not load ${d.path ? basename(d.path) : 'the new file'}: ${message}`, 'error');
      else view.setState('error', { message });
    },
    onRole(role) {
      document.body.dataset.stream = role; // for a person (or a test) asking which tab holds the stream
    },
    onLost() {
      serverUp = false;
      view.setLive('down');
      if (grid) view.banner('Lost the connection to the server — reconnecting…', 'warn');
      else view.setState('gone');
    },
  });

  api.takePreloads(session);
  void loadDataset();

  let searchTimer: ReturnType<typeof setTimeout> | undefined;
  view.search.addEventListener('input', () => {
    if (searchTimer) clearTimeout(searchTimer);
    searchTimer = setTimeout(() => {
      const term = view.search.value.trim();
      if (term === search) return;
      search = term;
      counts();
      grid?.reload();
    }, SEARCH_DEBOUNCE_MS);
  });
  view.search.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      view.search.value = '';
      view.search.dispatchEvent(new Event('input'));
      view.search.blur();
    }
  });
  view.summaryButton.addEventListener('click', () => {
    summaryOn = !summaryOn;
    showSummary();
  });
  document.addEventListener('keydown', (e) => {
    const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement;
    if (e.key === '/' && !typing) {
      e.preventDefault();
      view.search.focus();
    }
  });
}

const root = document.getElementById('app');
if (root) startViewer(root, sessionFromPage());
