// Runs around every test file: when the file is done, the servers it started are gone and its temp homes
// are removed. Registered first, so this afterAll runs after the file's own.

import { afterAll } from 'vitest';
import { killStarted, removeTempHomes } from './helpers/binary.ts';

afterAll(() => {
  killStarted();
  removeTempHomes();
});
