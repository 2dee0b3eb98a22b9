// engine/sql.ts: quoting names and strings into SQL text.

import { describe, expect, it } from 'vitest';
import { quoteIdent, quoteString } from '../../src/engine/sql.ts';

describe('quoting', () => {
  it('quotes identifiers and strings', () => {
    expect(quoteIdent('a"b')).toBe('"a""b"');
    expect(quoteString("it's")).toBe("'it''s'");
    expect(() => quoteString('a\0b')).toThrow();
  });
});
