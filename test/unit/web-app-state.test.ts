import { describe, expect, it } from 'vitest';
import type { StatsAnswer } from '../../src/contract/data-api.ts';
import type { DatasetMeta } from '../../src/web/api.ts';
import { initialAppState, reduceApp, tableRefOf, type AppEffect, type AppEvent, type AppState, type TableRef } from '../../src/web/app/app-state.ts';

const REF: TableRef = { session: 'sess-0001', path: '/d/small.csv', url: 'http://127.0.0.1:9870/s/sess-0001', datasetId: 3, kind: 'file', name: 'small.csv' };
const meta = (datasetId: number, path = '/d/small.csv'): DatasetMeta => ({ session: REF.session, datasetId, path, format: 'csv', rows: 5, columns: [{ name: 'name', dtype: 'VARCHAR' }] });
const ready = (seq: number, m = meta(3)): AppEvent => ({ type: 'meta-answered', seq, answer: { status: 'ready', meta: m } });
const result: AppEvent = { type: 'tool-result', isError: false, text: 'small.csv — 5 rows', ref: REF };

function run(events: AppEvent[]): { state: AppState; effects: AppEffect[] } {
  let state = initialAppState;
  let effects: AppEffect[] = [];
  for (const e of events) ({ state, effects } = reduceApp(state, e));
  return { state, effects };
}
const types = (effects: AppEffect[]): string[] => effects.map((e) => e.type);
const SHOWN: AppEvent[] = [{ type: 'tool-input', args: { path: REF.path } }, result, ready(1)];

describe('the chat app', () => {
  it('reads the table to show from view_data structuredContent, and nothing from a result without one', () => {
    expect(tableRefOf({ session: 's1234567', path: '/a.csv', url: 'u', dataset_id: 7, rows: 3 })).toEqual({ session: 's1234567', path: '/a.csv', url: 'u', datasetId: 7, kind: 'file', name: 'a.csv' });
    expect(tableRefOf({ summary: 'x' })).toBeUndefined();
    expect(tableRefOf(undefined)).toBeUndefined();
  });

  it('shows loading on the tool input, asks for meta on the result, and shows its own file when meta names it', () => {
    expect(run([{ type: 'tool-input', args: { path: REF.path } }]).effects).toContainEqual({ type: 'screen', screen: 'loading', detail: { title: 'Loading small.csv…' } });
    expect(run([result]).effects).toEqual([{ type: 'fetch-meta', seq: 1 }]);
    const { state, effects } = run(SHOWN);
    expect(state.screen).toBe('ready');
    expect(types(effects)).toEqual(expect.arrayContaining(['show-table', 'fetch-stats']));
  });

  it('says a later view_data replaced the file when meta names another one, and draws no table', () => {
    const { state, effects } = run([result, ready(1, meta(4, '/d/other.csv'))]);
    expect(state.table).toBeUndefined();
    expect(types(effects)).not.toContain('show-table');
    const screen = effects.find((e) => e.type === 'screen') as Extract<AppEffect, { type: 'screen' }>;
    expect(screen.detail?.title).toBe('small.csv was replaced');
    expect(screen.detail?.message).toContain('other.csv');
  });

  it('asks meta again on rows of a later load, then says replaced (another file) or keeps the table (the same file again)', () => {
    const later: AppEvent = { type: 'rows-answered', window: { rows: [], rowNumbers: [], total: 2, filtered: 2, datasetId: 9 } };
    expect(run([...SHOWN, later]).effects).toEqual([{ type: 'fetch-meta', seq: 2 }]);
    expect(run([...SHOWN, later, ready(2, meta(9, '/d/other.csv'))]).state.table).toBeUndefined();
    const again = run([...SHOWN, later, ready(2, meta(9))]);
    expect(again.state.table?.meta.datasetId).toBe(9);
    expect(types(again.effects)).toContain('show-table');
  });

  it('shows the sentence of a failed window and re-checks what the session holds', () => {
    const { effects } = run([...SHOWN, { type: 'rows-failed', failure: { reason: 'error', message: 'Unknown column "city".' } }]);
    expect(effects).toEqual([{ type: 'banner', text: 'Could not read rows: Unknown column "city".', tone: 'error' }, { type: 'fetch-meta', seq: 2 }]);
  });

  it('looks its file up by path when its dataset is no longer kept, and says replaced when the session holds nothing', () => {
    const gone: AppEvent = { type: 'meta-failed', seq: 1, failure: { reason: 'no-data', message: 'no longer kept' } };
    const followed = run([result, gone]);
    expect(followed.effects).toEqual([{ type: 'fetch-meta', seq: 2 }]);
    expect(followed.state.ref?.datasetId).toBeUndefined();
    expect(run([result, gone, ready(2, meta(8))]).state.table?.meta.datasetId).toBe(8);
    const { state } = run([result, gone, { type: 'meta-failed', seq: 2, failure: { reason: 'no-data', message: 'Unknown session' } }]);
    expect(state.screen).toBe('error');
  });

  it('reads a query result and a diff by their dataset id, and says clearly when one is no longer kept', () => {
    const query = tableRefOf({ session: 's1234567', sql: 'select 1', url: 'u', dataset_id: 12, rows: [] });
    expect(query).toMatchObject({ kind: 'query', datasetId: 12, name: 'This query result' });
    expect(query?.path).toBeUndefined();
    const diff = tableRefOf({ session: 's1234567', left: { path: '/d/a.csv' }, right: { path: '/d/b.csv' }, url: 'u', dataset_id: 13 });
    expect(diff).toMatchObject({ kind: 'diff', datasetId: 13, name: 'a.csv → b.csv' });
    expect(tableRefOf({ session: 's1234567', sql: 'select 1' })).toBeUndefined(); // no id: nothing to read
    const shown = run([{ type: 'tool-input', args: { sql: 'select 1' } }, { type: 'tool-result', isError: false, text: '', ref: query }, ready(1, { ...meta(12, 'select 1'), format: 'query' })]);
    expect(shown.state.table?.meta.datasetId).toBe(12);
    const gone = run([{ type: 'tool-result', isError: false, text: '', ref: diff }, { type: 'meta-failed', seq: 1, failure: { reason: 'no-data', message: 'no longer kept' } }]);
    const screen = gone.effects.find((e) => e.type === 'screen') as Extract<AppEffect, { type: 'screen' }>;
    expect(screen.detail?.title).toBe('a.csv → b.csv was replaced');
    expect(run([{ type: 'tool-input', args: { left: '/d/a.csv', right: '/d/b.csv' } }]).effects).toContainEqual({ type: 'screen', screen: 'loading', detail: { title: 'Comparing a.csv → b.csv…' } });
  });

  it('shows an error result as it is, and ignores answers to older meta requests', () => {
    const failed = run([{ type: 'tool-result', isError: true, text: 'File not found: /d/x.csv', ref: undefined }]);
    expect(failed.effects).toEqual([{ type: 'screen', screen: 'error', detail: { message: 'File not found: /d/x.csv' } }]);
    expect(run([result, { type: 'poll-due', seq: 1 }, ready(1)]).effects).toEqual([]);
  });

  it('drops stats of another dataset, and searches by reloading rows', () => {
    const body = { dataset_id: 99, columns: [] } as unknown as StatsAnswer;
    expect(run([...SHOWN, { type: 'stats-answered', body }]).effects).toEqual([]);
    expect(types(run([...SHOWN, { type: 'search', term: 'par' }]).effects)).toEqual(['counts', 'reload-rows']);
  });
});
