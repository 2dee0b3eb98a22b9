// engine/rows.ts: the rows query's validation and the search predicate.

import { describe, expect, it } from 'vitest';
import { MAX_LIMIT, parseRowsQuery, searchPredicate } from '../../src/engine/rows.ts';

describe('parseRowsQuery', () => {
  const cols = ['a', 'b c'];
  const q = (s: string) => parseRowsQuery(new URLSearchParams(s), cols);
  it('clamps limit and defaults', () => {
    expect(q('')).toEqual({ offset: 0, limit: 100, sort: undefined, dir: 'asc', search: undefined });
    expect(q('limit=1000000000').limit).toBe(MAX_LIMIT);
    expect(q('sort=b%20c&dir=DESC&search=x').sort).toBe('b c');
  });
  it('refuses negative offset unknown sort and bad dir', () => {
    expect(() => q('offset=-1')).toThrow(/offset must be 0 or more/);
    expect(() => q('offset=1.5')).toThrow(/integer/);
    expect(() => q('sort=zzz')).toThrow(/Unknown sort column/);
    expect(() => q('dir=sideways')).toThrow(/asc or desc/);
  });
  it('binds search as a parameter', () => {
    expect(searchPredicate(['"a"', '"b"'])).toBe('(contains(lower("a"), $1) or contains(lower("b"), $1))');
    expect(searchPredicate([])).toBe('false');
  });
});
