// The binary's first file answers --version and --help itself and hands every other command to main.ts.

import { describe, expect, it } from 'vitest';
import { quickAnswer } from '../../src/entry.ts';
import { VERSION } from '../../src/version.ts';

describe('the entry file', () => {
  it('answers every spelling of version and help itself', () => {
    for (const v of ['version', '--version', '-v']) expect(quickAnswer(v)).toBe(VERSION);
    for (const h of ['help', '--help', '-h']) {
      expect(quickAnswer(h)).toContain('buckaroo-table mcp');
      expect(quickAnswer(h)!.endsWith('\n')).toBe(false); // console.log adds the one newline
    }
  });

  it('leaves every other command, none and unknown ones to main.ts', () => {
    for (const c of ['server', 'mcp', 'view', 'json-load', 'unpack-native', 'frobnicate', undefined]) expect(quickAnswer(c)).toBeUndefined();
  });
});
