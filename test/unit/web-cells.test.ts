// web/cells.ts: search highlighting and how exact values are shown.

import { describe, expect, it } from 'vitest';
import { displayValue, matchParts } from '../../src/web/cells.ts';

describe('cells', () => {
  it('marks every case insensitive match', () => {
    expect(matchParts('Paris, paris', 'PAR')).toEqual([
      { text: 'Par', match: true },
      { text: 'is, ', match: false },
      { text: 'par', match: true },
      { text: 'is', match: false },
    ]);
    expect(matchParts('abc', '')).toEqual([{ text: 'abc', match: false }]);
  });

  it('shows exact values the server sent as strings or tagged objects', () => {
    expect(displayValue('9007199254740993')).toBe('9007199254740993');
    expect(displayValue({ $decimal: '1.10' })).toBe('1.10');
    expect(displayValue([1, 2])).toBe('[1,2]');
    expect(displayValue(null)).toBe('');
  });
});
