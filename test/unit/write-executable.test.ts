// The piecewise writer used for our binary and DuckDB's library (see src/os/write-executable.ts).

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeExecutableSync } from '../../src/os/write-executable.ts';
import { tempHome } from '../helpers/binary.ts';

describe('writeExecutableSync', () => {
  it('writes every byte of a file that is not a whole number of pieces', () => {
    const data = crypto.randomBytes(3 * 64 * 1024 + 123);
    const file = path.join(tempHome('bt-write-'), 'lib.so');
    writeExecutableSync(file, data, 64 * 1024);
    expect(fs.readFileSync(file).equals(data)).toBe(true);
    expect(fs.statSync(file).mode & 0o111).not.toBe(0);
  });

  it('replaces a longer file and writes an empty one', () => {
    const file = path.join(tempHome('bt-write-'), 'bin');
    fs.writeFileSync(file, Buffer.alloc(200_000, 1));
    writeExecutableSync(file, Buffer.from('short'), 64 * 1024);
    expect(fs.readFileSync(file, 'utf8')).toBe('short');
    writeExecutableSync(file, new Uint8Array(0), 64 * 1024);
    expect(fs.statSync(file).size).toBe(0);
  });
});
