// engine/values.ts: DuckDB values as JSON without losing anything.

import { describe, expect, it } from 'vitest';
import { exactFloat, exactInteger } from '../../src/engine/values.ts';

describe('values', () => {
  it('encodes integers beyond 2 53 and non finite floats as strings', () => {
    expect(exactInteger(42n)).toBe(42);
    expect(exactInteger(9007199254740993n)).toBe('9007199254740993');
    expect(exactInteger(-(2n ** 100n))).toBe('-1267650600228229401496703205376');
    expect(exactFloat(1.5)).toBe(1.5);
    expect(exactFloat(Number.NaN)).toBe('NaN');
    expect(exactFloat(-Infinity)).toBe('-Infinity');
  });
});
