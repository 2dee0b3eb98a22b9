import { describe, expect, it } from 'vitest';
import type { StatsAnswer } from '../../src/contract/data-api.ts';
import type { DatasetMeta } from '../../src/web/api.ts';
import { initialAppState, reduceApp, tableRefOf, type AppEffect, type AppEvent, type AppState, type TableRef } from '../../src/web/app/app-state.ts';

const REF: TableRef = { session: 'sess-0001', path: '/d/small.csv', url: 'http://127.0.0.1:9870/s/sess-0001', datasetId: 3 };
const meta = (datasetId: number, path = REF.path): DatasetMeta => ({ session: REF.session, datasetId, path, format: 'csv', rows: 5, columns: [{ name: 'name', dtype: 'VARCHAR' }] });
const ready = (seq: number, m = meta(3)): AppEvent => ({ type: 'meta-answered', seq, answer: { status: 'ready', meta: m } });
const result: AppEvent = { type: 'tool-result', isError: false, text: 'small.csv — 5 rows', ref: REF };

function run(events: AppEvent[]): { state: AppState; effects: AppEffect[] } {
  let state = initialAppState;
  let effects: AppEffect[] = [];
  for (const e of events) ({ state, effects } = reduceApp(state, e));
  return { state, effects };
}
const types = (effects: AppEffect[]): string[] => effects.map((e) => e.type);
const SHOWN: AppEvent[] = [{ type: 'tool-input', path: REF.path }, result, ready(1)];

describe('the chat app', () => {
  it('reads the table to show from view_data structuredContent, and nothing from a result without one', () => {
    expect(tableRefOf({ session: 's1234567', path: '/a.csv', url: 'u', dataset_id: 7, rows: 3 })).toEqual({ session: 's1234567', path: '/a.csv', url: 'u', datasetId: 7 });
    expect(tableRefOf({ summary: 'x' })).toBeUndefined();
    expect(tableRefOf(undefined)).toBeUndefined();
  });

  it('shows loading on the tool input, asks for meta on the result, and shows its own file when meta names it', () => {
    expect(run([{ type: 'tool-input', path: REF.path }]).effects).toContainEqual({ type: 'screen', screen: 'loading', detail: { title: 'Loading small.csv…' } });
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

  it('says replaced when the session holds nothing any more', () => {
    const { state } = run([result, { type: 'meta-failed', seq: 1, failure: { reason: 'no-data', message: 'Unknown session' } }]);
    expect(state.screen).toBe('error');
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
