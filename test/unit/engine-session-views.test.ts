import { describe, expect, it } from 'vitest';
import type { LoadedDataset } from '../../src/engine/sessions.ts';
import { firstDatasetId, keptWhenReplaced, KeptViews, MAX_KEPT_VIEWS } from '../../src/engine/session-views.ts';

/** Only the id is read by the ring. */
const ds = (id: number): LoadedDataset => ({ dataset: { id } }) as unknown as LoadedDataset;

describe('the views a session keeps readable after it moved on', () => {
  it('keeps the last few by id and hands back the oldest to be freed', () => {
    const kept = new KeptViews();
    const all = Array.from({ length: MAX_KEPT_VIEWS + 1 }, (_, i) => ds(i + 1));
    const letGo = all.flatMap((d) => kept.keep(d));
    expect(letGo).toEqual([all[0]]);
    expect(kept.byId(1)).toBeUndefined();
    expect(kept.byId(MAX_KEPT_VIEWS + 1)).toBe(all[MAX_KEPT_VIEWS]);
    expect(kept.holds(all[1]!)).toBe(true);
  });

  it('keeps a dataset once however often it is kept', () => {
    const kept = new KeptViews();
    const a = ds(5);
    for (let i = 0; i <= MAX_KEPT_VIEWS; i++) expect(kept.keep(a)).toEqual([]);
    expect(kept.holds(a)).toBe(true);
  });

  it('starts a server\'s ids past every id an earlier server gave out (its start time in ms)', () => {
    const earlier = firstDatasetId(1_764_400_000_000);
    const later = firstDatasetId(1_764_400_000_000 + 60_000);
    // The earlier server would have to make 60,000 datasets in that minute to reach the later one's first id.
    expect(later - earlier).toBe(60_000);
    expect(Number.isSafeInteger(firstDatasetId(Date.now()) + 1e9)).toBe(true);
  });

  it('keeps query results and diffs, never an old load of a file (it would keep copies of a big file)', () => {
    const of = (format: string): LoadedDataset => ({ dataset: { id: 1, format } }) as unknown as LoadedDataset;
    expect(keptWhenReplaced(of('query'))).toBe(true);
    expect(keptWhenReplaced(of('diff'))).toBe(true);
    expect(keptWhenReplaced(of('csv'))).toBe(false);
  });
});
