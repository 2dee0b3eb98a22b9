import { describe, expect, it } from 'vitest';
import { ServerError, UnreachableError, type DatasetMeta, type RowWindow } from '../../src/web/api.ts';
import type { ServerIdentity } from '../../src/web/connection.ts';
import { countsText, failureOf, initialPageState, reducePage, type Effect, type Failure, type PageEvent, type PageState } from '../../src/web/page-state.ts';

const OLD: ServerIdentity = { version: '0.0.1', pid: 100 };
const NEW: ServerIdentity = { version: '0.1.0', pid: 200 };

const meta = (datasetId: number, path = '/d/small.csv'): DatasetMeta => ({
  session: 's',
  datasetId,
  path,
  format: 'csv',
  rows: 5,
  columns: [
    { name: 'name', dtype: 'VARCHAR' },
    { name: 'score', dtype: 'DOUBLE' },
  ],
});
const ready = (seq: number, m = meta(1)): PageEvent => ({ type: 'meta-answered', seq, answer: { status: 'ready', meta: m } });
const failed = (seq: number, failure: Failure): PageEvent => ({ type: 'meta-failed', seq, failure });
const unreachable: Failure = { reason: 'unreachable', message: 'The buckaroo-table server is not answering (x).' };

/** Runs the events from a fresh page served by `servedBy` ('unsaid': its html named no server): the last state and the last event's effects. */
function page(events: PageEvent[], servedBy: ServerIdentity | 'unsaid' = OLD): { state: PageState; effects: Effect[] } {
  let state = initialPageState(servedBy === 'unsaid' ? undefined : servedBy);
  let effects: Effect[] = [];
  for (const e of events) ({ state, effects } = reducePage(state, e));
  return { state, effects };
}
const after = (events: PageEvent[], next: PageEvent, servedBy?: ServerIdentity | 'unsaid'): Effect[] => reducePage(page(events, servedBy).state, next).effects;
const types = (effects: Effect[]): string[] => effects.map((e) => e.type);
type Banner = Extract<Effect, { type: 'banner' }>;
const banners = (effects: Effect[]): Banner[] => effects.filter((e): e is Banner => e.type === 'banner');

/** A page showing the dataset of its boot load, its server greeted. */
const SHOWN: PageEvent[] = [{ type: 'boot' }, ready(1), { type: 'hello', server: OLD }];

describe('booting', () => {
  it('shows connecting, opens the stream and asks what the session holds, keeping the preloaded answers', () => {
    const { state, effects } = page([{ type: 'boot' }]);
    expect(types(effects)).toEqual(['screen', 'live', 'connect', 'take-preloads', 'screen', 'fetch-meta']);
    expect(effects.at(-1)).toEqual({ type: 'fetch-meta', seq: 1 });
    expect(state.screen).toBe('loading');
  });

  it('shows the dataset in the order the person sees it: file, counts, rows, then stats', () => {
    const { state, effects } = page([{ type: 'boot' }, ready(1)]);
    expect(types(effects)).toEqual(['drop-table', 'clear-search', 'file', 'counts', 'show-table', 'screen', 'summary', 'fetch-stats']);
    expect(effects).toContainEqual({ type: 'counts', text: '5 rows × 2 columns' });
    expect(effects.at(-1)).toEqual({ type: 'fetch-stats', seq: 1 });
    expect(state.screen).toBe('ready');
  });

  it('says waiting for data when the session holds nothing yet', () => {
    const { state, effects } = page([{ type: 'boot' }, failed(1, { reason: 'no-data', status: 404, message: 'Unknown session' })]);
    expect(effects).toContainEqual({ type: 'title', text: 'Waiting for data — buckaroo-table' });
    expect(state.screen).toBe('waiting');
    expect(state.table).toBeUndefined();
  });

  it('says the server is gone when it cannot be reached and nothing is on screen', () => {
    expect(page([{ type: 'boot' }, failed(1, unreachable)]).state.screen).toBe('gone');
  });

  it('shows the server sentence and hint when the first load fails', () => {
    const { effects } = page([{ type: 'boot' }, failed(1, { reason: 'error', status: 404, message: 'File not found', hint: 'Check the path.' })]);
    expect(effects).toContainEqual({ type: 'screen', screen: 'error', detail: { message: 'File not found', hint: 'Check the path.' } });
  });
});

describe('following the agent', () => {
  it('drops the preloaded answers for any load after the first', () => {
    expect(types(after(SHOWN, { type: 'loaded' }))).toEqual(['banner', 'forget-preloads', 'fetch-meta']);
  });

  it('ignores an answer to a request that a newer one replaced', () => {
    const events: PageEvent[] = [...SHOWN, { type: 'loaded' }, { type: 'loaded' }];
    expect(after(events, ready(2, meta(2)))).toEqual([]);
    expect(types(after(events, ready(3, meta(2))))).toContain('show-table');
  });

  it('keeps the table as it is when the answer names the dataset already on screen', () => {
    expect(after([...SHOWN, { type: 'loaded' }], ready(2, meta(1)))).toEqual([]);
  });

  it('shows a running load in the banner over the table and polls until it ends', () => {
    const events: PageEvent[] = [...SHOWN, { type: 'loading', path: '/d/million.csv', percent: 41.6 }];
    expect(page(events).effects[0]).toEqual({ type: 'banner', text: 'Loading million.csv… 42%', tone: 'info' });
    const answer: PageEvent = { type: 'meta-answered', seq: 2, answer: { status: 'loading', path: '/d/million.csv', percent: 50 } };
    expect(after(events, answer)).toEqual([
      { type: 'forget-preloads' },
      { type: 'banner', text: 'Loading million.csv… 50%', tone: 'info' },
      { type: 'poll-meta', seq: 2 },
    ]);
    expect(types(after([...events, answer], { type: 'poll-due', seq: 2 }))).toEqual(['forget-preloads', 'fetch-meta']);
  });

  it('shows a running load with its progress in the panel while no table is on screen', () => {
    const answer: PageEvent = { type: 'meta-answered', seq: 1, answer: { status: 'loading', path: '/d/big.csv', percent: 25 } };
    expect(after([{ type: 'boot' }], answer)).toContainEqual({ type: 'screen', screen: 'loading', detail: { title: 'Loading big.csv…', message: '25% read', progress: 0.25 } });
  });

  it('keeps the table and says why when the next load fails, and stops polling for it', () => {
    const events: PageEvent[] = [...SHOWN, { type: 'loading', path: '/d/missing.csv', percent: undefined }];
    const failedLoad: PageEvent = { type: 'load-failed', path: '/d/missing.csv', message: 'File not found' };
    expect(after(events, failedLoad)).toEqual([{ type: 'banner', text: 'Could not load missing.csv: File not found', tone: 'error' }]);
    expect(after([...events, failedLoad], { type: 'poll-due', seq: 2 })).toEqual([]);
    expect(page([...events, failedLoad]).state.screen).toBe('ready');
  });

  it('keeps the table without an error when the agent cancelled the next load', () => {
    const events: PageEvent[] = [...SHOWN, { type: 'loading', path: '/d/big.csv', percent: 10 }];
    const cancelled: PageEvent = { type: 'load-failed', path: '/d/big.csv', message: 'cancelled', code: 'E_CANCELLED' };
    expect(after(events, cancelled)).toEqual([{ type: 'banner', text: 'Loading big.csv was cancelled.', tone: 'info' }]);
    expect(page([...events, cancelled]).state.screen).toBe('ready');
    // With nothing on screen yet, the page asks the server again what the session shows.
    expect(types(after([{ type: 'boot' }], cancelled))).toContain('fetch-meta');
  });

  it('shows the failure in the panel when the load fails before any table was shown', () => {
    expect(after([{ type: 'boot' }], { type: 'load-failed', path: undefined, message: undefined })).toEqual([
      { type: 'screen', screen: 'error', detail: { message: 'The load failed.' } },
    ]);
  });

  it('keeps the table but says the new data could not be loaded when meta fails', () => {
    expect(after([...SHOWN, { type: 'loaded' }], failed(2, { reason: 'error', message: 'boom' }))).toContainEqual({
      type: 'banner',
      text: 'Could not load the new data: boom',
      tone: 'error',
    });
  });
});

describe('the server going away and coming back', () => {
  it('warns over the table when the connection drops, or says the server is gone without one', () => {
    expect(after(SHOWN, { type: 'lost' })).toEqual([
      { type: 'live', live: 'down' },
      { type: 'banner', text: 'Lost the connection to the server — reconnecting…', tone: 'warn' },
    ]);
    expect(page([{ type: 'boot' }, { type: 'lost' }]).state.screen).toBe('gone');
  });

  it('clears the warning when the same server greets again, without reloading the table', () => {
    expect(after([...SHOWN, { type: 'lost' }], { type: 'hello', server: OLD })).toEqual([
      { type: 'live', live: 'up' },
      { type: 'banner', text: undefined, tone: 'info' },
    ]);
  });

  it('tells of a restart by a newer version and reloads even the same dataset id', () => {
    const events: PageEvent[] = [...SHOWN, { type: 'lost' }, { type: 'hello', server: NEW }];
    expect(banners(page(events).effects)).toEqual([{ type: 'banner', text: 'Server restarted (0.0.1 → 0.1.0)', tone: 'info' }]);
    expect(types(after(events, ready(2, meta(1))))).toContain('show-table');
  });

  it('names one version when the server restarted without an upgrade', () => {
    const effects = after(SHOWN, { type: 'hello', server: { version: '0.0.1', pid: 101 } });
    expect(banners(effects)).toEqual([{ type: 'banner', text: 'Server restarted (0.0.1)', tone: 'info' }]);
  });

  it('tells of the restart even when the old server died before the stream greeted the page', () => {
    const effects = after([{ type: 'boot' }, ready(1)], { type: 'hello', server: NEW });
    expect(banners(effects)).toEqual([{ type: 'banner', text: 'Server restarted (0.0.1 → 0.1.0)', tone: 'info' }]);
  });

  it('says nothing of a restart when the first greeting comes from the server that served the page', () => {
    expect(banners(after([{ type: 'boot' }, ready(1)], { type: 'hello', server: OLD }))).toEqual([{ type: 'banner', text: undefined, tone: 'info' }]);
  });

  it('compares greetings with each other when the page does not say who served it', () => {
    expect(banners(after([{ type: 'boot' }], { type: 'hello', server: NEW }, 'unsaid'))[0]?.text).toBeUndefined();
    const events: PageEvent[] = [{ type: 'boot' }, { type: 'hello', server: OLD }];
    expect(banners(after(events, { type: 'hello', server: NEW }, 'unsaid'))[0]?.text).toBe('Server restarted (0.0.1 → 0.1.0)');
  });

  it('keeps the restart news through a later reconnect, until the next load', () => {
    const restarted: PageEvent[] = [...SHOWN, { type: 'lost' }, { type: 'hello', server: NEW }, ready(2), { type: 'lost' }];
    expect(banners(after(restarted, { type: 'hello', server: NEW }))).toEqual([{ type: 'banner', text: 'Server restarted (0.0.1 → 0.1.0)', tone: 'info' }]);
    const loaded: PageEvent[] = [...restarted.slice(0, -1), { type: 'loaded' }, ready(3, meta(2)), { type: 'lost' }];
    expect(banners(after(loaded, { type: 'hello', server: NEW }))).toEqual([{ type: 'banner', text: undefined, tone: 'info' }]);
  });

  it('loads again on the greeting after the server was gone before any table was shown', () => {
    const gone: PageEvent[] = [{ type: 'boot' }, failed(1, unreachable)];
    expect(types(after(gone, { type: 'hello', server: OLD }))).toEqual(['live', 'banner', 'forget-preloads', 'screen', 'fetch-meta']);
    // Still booting (no answer yet): the boot load is on its way, a greeting does not ask twice.
    expect(types(after([{ type: 'boot' }], { type: 'hello', server: OLD }))).toEqual(['live', 'banner']);
  });
});

describe('rows, stats and the person', () => {
  const window = (total: number, filtered: number): RowWindow => ({ rows: [], rowNumbers: [], total, filtered });
  /** The stats answer of dataset 1 (the columns' stats do not matter to the decisions). */
  const body = { session: 's', dataset_id: 1, path: '/d/small.csv', rows: 5, columns_total: 2, distinct_approx: false, wait_ms: 0, columns: [] };

  it('counts the filtered rows only while a search is on', () => {
    expect(after(SHOWN, { type: 'rows-answered', window: window(5, 5) })).toEqual([{ type: 'counts', text: '5 rows × 2 columns' }]);
    const searching: PageEvent[] = [...SHOWN, { type: 'search', term: 'par' }];
    expect(after(searching, { type: 'rows-answered', window: window(5, 2) })).toEqual([{ type: 'counts', text: '2 of 5 rows × 2 columns' }]);
  });

  it('reloads the rows when the search term changes, and only then', () => {
    expect(types(after(SHOWN, { type: 'search', term: 'par' }))).toEqual(['counts', 'reload-rows']);
    expect(after([...SHOWN, { type: 'search', term: 'par' }], { type: 'search', term: 'par' })).toEqual([]);
  });

  it('clears the search when a new dataset is shown', () => {
    const { state } = page([...SHOWN, { type: 'search', term: 'par' }, { type: 'loaded' }, ready(2, meta(2))]);
    expect(state.search).toBe('');
  });

  it('warns of a lost connection, reloads on a 404 and shows any other failure of a rows request', () => {
    expect(banners(after(SHOWN, { type: 'rows-failed', failure: unreachable }))[0]).toMatchObject({ tone: 'warn' });
    expect(types(after(SHOWN, { type: 'rows-failed', failure: { reason: 'no-data', status: 404, message: 'gone' } }))).toEqual(['forget-preloads', 'fetch-meta']);
    expect(after(SHOWN, { type: 'rows-failed', failure: { reason: 'error', status: 400, message: 'bad sort' } })).toEqual([
      { type: 'banner', text: 'Could not read rows: bad sort', tone: 'error' },
    ]);
  });

  it('sets the stats of the table on screen and ignores stats of a replaced table or another dataset', () => {
    expect(types(after(SHOWN, { type: 'stats-answered', seq: 1, body }))).toEqual(['set-stats', 'summary']);
    expect(after(SHOWN, { type: 'stats-answered', seq: 1, body: { ...body, dataset_id: 7 } })).toEqual([]);
    expect(after([...SHOWN, { type: 'loaded' }, ready(2, meta(2))], { type: 'stats-answered', seq: 1, body })).toEqual([]);
  });

  it('warns that stats are missing only for the table still on screen', () => {
    expect(after(SHOWN, { type: 'stats-failed', seq: 1, message: 'boom' })).toEqual([{ type: 'banner', text: 'Column stats are not available: boom', tone: 'warn' }]);
    expect(after([...SHOWN, { type: 'loaded' }, ready(2, meta(2))], { type: 'stats-failed', seq: 1, message: 'boom' })).toEqual([]);
  });

  it('shows a note in the summary until the stats arrive, then builds it once', () => {
    const on: PageEvent[] = [...SHOWN, { type: 'summary-toggled' }];
    expect(page(on).effects).toEqual([{ type: 'summary', on: true }, { type: 'summary-pending' }]);
    const withStats: PageEvent[] = [...on, { type: 'stats-answered', seq: 1, body }];
    expect(types(page(withStats).effects)).toEqual(['set-stats', 'summary', 'build-summary']);
    expect(after([...withStats, { type: 'summary-toggled' }], { type: 'summary-toggled' })).toEqual([{ type: 'summary', on: true }]);
  });

  it('toasts a copied value, cut short when long', () => {
    expect(after(SHOWN, { type: 'copied', text: 'Paris' })).toEqual([{ type: 'toast', text: 'Copied Paris' }]);
    expect(after(SHOWN, { type: 'copied', text: 'x'.repeat(50) })).toEqual([{ type: 'toast', text: `Copied ${'x'.repeat(40)}…` }]);
  });
});

describe('reading failures and counts', () => {
  it('tells no data, an unreachable server and other failures apart', () => {
    expect(failureOf(new ServerError(404, 'E_UNKNOWN_SESSION', 'Unknown session'))).toEqual({ reason: 'no-data', status: 404, code: 'E_UNKNOWN_SESSION', message: 'Unknown session', hint: undefined });
    expect(failureOf(new ServerError(500, 'E_INTERNAL', 'boom', 'try again'))).toEqual({ reason: 'error', status: 500, code: 'E_INTERNAL', message: 'boom', hint: 'try again' });
    expect(failureOf(new UnreachableError('not answering'))).toEqual({ reason: 'unreachable', message: 'not answering' });
    expect(failureOf('odd')).toEqual({ reason: 'error', message: 'odd' });
  });

  it('writes counts with thousands separators and a singular column', () => {
    expect(countsText({ ...meta(1), rows: 1_000_000, columns: [{ name: 'a', dtype: 'BIGINT' }] }, '')).toBe('1,000,000 rows × 1 column');
    expect(countsText(undefined, '')).toBe('');
  });
});
