// engine/csv-ragged.ts: the delimiter guess for a file DuckDB could not sniff (its strict re-read names the ragged line).

import { describe, expect, it } from 'vitest';
import { mostFrequentDelimiter } from '../../src/engine/csv-ragged.ts';

describe('mostFrequentDelimiter', () => {
  it('picks the most frequent delimiter', () => {
    expect(mostFrequentDelimiter('a,b,c')).toBe(',');
    expect(mostFrequentDelimiter('a;b;c,d')).toBe(';');
    expect(mostFrequentDelimiter('abc')).toBeUndefined();
  });
});
