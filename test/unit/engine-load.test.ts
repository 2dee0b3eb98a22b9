// engine/load.ts: the pure parts of loading (the delimiter guess for a file DuckDB could not sniff).

import { describe, expect, it } from 'vitest';
import { mostFrequentDelimiter } from '../../src/engine/load.ts';

describe('mostFrequentDelimiter', () => {
  it('picks the most frequent delimiter', () => {
    expect(mostFrequentDelimiter('a,b,c')).toBe(',');
    expect(mostFrequentDelimiter('a;b;c,d')).toBe(';');
    expect(mostFrequentDelimiter('abc')).toBeUndefined();
  });
});
