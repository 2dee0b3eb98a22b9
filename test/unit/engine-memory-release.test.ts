// engine/memory-release.ts: the idle memory release compares DuckDB sizes.

import { describe, expect, it } from 'vitest';
import { sizeInMb } from '../../src/engine/memory-release.ts';

describe('sizeInMb (the idle memory release compares DuckDB sizes)', () => {
  it('reads duckdb sizes in decimal and binary units', () => {
    expect(sizeInMb('12000MB')).toBe(12000);
    expect(sizeInMb('4GB')).toBe(4000);
    expect(sizeInMb('1GiB')).toBeCloseTo(1073.741824, 6);
    expect(sizeInMb('512 mb')).toBe(512);
    expect(sizeInMb('1.5TB')).toBe(1_500_000);
  });

  it('gives undefined for what is not a size', () => {
    expect(sizeInMb('lots')).toBeUndefined();
    expect(sizeInMb('12000')).toBeUndefined();
    expect(sizeInMb('')).toBeUndefined();
  });
});
