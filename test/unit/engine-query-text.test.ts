import { describe, expect, it } from 'vitest';
import { withoutTerminator } from '../../src/engine/query-text.ts';

describe('the agent\'s SQL as a body to wrap', () => {
  it('drops a trailing semicolon and the comments after it', () => {
    expect(withoutTerminator('DESCRIBE t; -- the columns')).toBe('DESCRIBE t');
    expect(withoutTerminator('select 1;;  \n')).toBe('select 1');
    expect(withoutTerminator('select 1; /* why */\n-- and more\n')).toBe('select 1');
  });

  it('keeps a semicolon or comment marker inside strings, quoted names and dollar quotes', () => {
    expect(withoutTerminator("select ';' as x")).toBe("select ';' as x");
    expect(withoutTerminator("select 'it''s; -- no' as x;")).toBe("select 'it''s; -- no' as x");
    expect(withoutTerminator('select 1 as ";"')).toBe('select 1 as ";"');
    expect(withoutTerminator('select $$a;b$$ as x')).toBe('select $$a;b$$ as x');
  });

  it('leaves SQL without a trailing terminator as it is (a trailing comment included)', () => {
    expect(withoutTerminator('select 1 -- done')).toBe('select 1 -- done');
    expect(withoutTerminator('select 1; select 2')).toBe('select 1; select 2');
    expect(withoutTerminator('select 1 -- a; b')).toBe('select 1 -- a; b');
  });
});
