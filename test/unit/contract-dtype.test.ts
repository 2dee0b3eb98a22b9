// contract/dtype.ts: the one rule for what kind of value a DuckDB type holds (engine, agent text, page).

import { describe, expect, it } from 'vitest';
import { dtypeFamily, hasOrderedRange, isNestedType, isNumericType, isTextType } from '../../src/contract/dtype.ts';

describe('dtypeFamily', () => {
  it('tells integers, floats and decimals apart, with or without precision', () => {
    for (const t of ['TINYINT', 'INTEGER', 'BIGINT', 'UHUGEINT', 'hugeint']) expect(dtypeFamily(t)).toBe('integer');
    for (const t of ['FLOAT', 'DOUBLE', 'REAL']) expect(dtypeFamily(t)).toBe('float');
    for (const t of ['DECIMAL', 'DECIMAL(10,2)', 'DECIMAL(38, 0)']) expect(dtypeFamily(t)).toBe('decimal');
  });

  it('puts lists, arrays, structs and maps before what they hold', () => {
    for (const t of ['INTEGER[]', 'DOUBLE[3]', 'STRUCT(a INTEGER)', 'MAP(VARCHAR, INTEGER)', 'UNION(a INTEGER)', 'TIMESTAMP[]']) {
      expect(dtypeFamily(t)).toBe('nested');
    }
  });

  it('knows dates, times and timestamps of every precision and zone', () => {
    for (const t of ['DATE', 'TIME', 'TIMESTAMP', 'TIMESTAMP_NS', 'TIMESTAMP WITH TIME ZONE', 'TIME WITH TIME ZONE']) expect(dtypeFamily(t)).toBe('temporal');
  });

  it('leaves intervals, booleans, uuids, blobs and big numbers as other', () => {
    for (const t of ['INTERVAL', 'BOOLEAN', 'UUID', 'BLOB', 'BIGNUM', 'ENUM(\'a\', \'b\')']) expect(dtypeFamily(t)).toBe('other');
    expect(dtypeFamily('VARCHAR')).toBe('text');
  });
});

describe('the questions asked of a type', () => {
  it('answers numeric only for numbers, text only for VARCHAR, nested for containers', () => {
    expect(isNumericType('DECIMAL(10,2)')).toBe(true);
    expect(isNumericType('INTERVAL')).toBe(false);
    expect(isNumericType('INTEGER[]')).toBe(false);
    expect(isTextType('VARCHAR')).toBe(true);
    expect(isTextType('VARCHAR[]')).toBe(false);
    expect(isNestedType('INTEGER[]')).toBe(true);
    expect(isNestedType('STRUCT(a INTEGER)')).toBe(true);
  });

  it('reads min and max as a range for numbers and dates, not for text', () => {
    expect(hasOrderedRange('BIGINT')).toBe(true);
    expect(hasOrderedRange('TIMESTAMP')).toBe(true);
    expect(hasOrderedRange('VARCHAR')).toBe(false);
    expect(hasOrderedRange('BOOLEAN')).toBe(false);
  });
});
