// Which path install-mcp registers: the one the person ran, links kept; the executable's own path otherwise.

import { describe, expect, it } from 'vitest';
import { invokedBinaryPath, type InvokedPathFacts } from '../../src/install/invoked-path.ts';

const REAL = '/home/me/.local/share/buckaroo-table/0.3.0/buckaroo-table';
const LINK = '/home/me/.local/bin/buckaroo-table';

const facts = (over: Partial<InvokedPathFacts>): InvokedPathFacts => ({
  argv0: LINK,
  execPath: REAL,
  cwd: '/home/me/project',
  pathEnv: '/usr/bin:/home/me/.local/bin',
  realpath: (p) => (p === LINK || p === REAL ? REAL : undefined),
  isExecutable: (p) => p === LINK,
  ...over,
});

describe('invokedBinaryPath', () => {
  it('keeps the link the person ran', () => {
    expect(invokedBinaryPath(facts({}))).toBe(LINK);
  });
  it('finds a bare name on path without resolving it', () => {
    expect(invokedBinaryPath(facts({ argv0: 'buckaroo-table' }))).toBe(LINK);
  });
  it('makes a relative invocation absolute', () => {
    expect(invokedBinaryPath(facts({ argv0: '../.local/bin/buckaroo-table' }))).toBe(LINK);
  });
  it('handles an argv0 that is not this binary by using the executable', () => {
    expect(invokedBinaryPath(facts({ argv0: '/usr/bin/env' }))).toBe(REAL);
    expect(invokedBinaryPath(facts({ argv0: 'not-on-path' }))).toBe(REAL);
  });
  it('replaces a homebrew cellar path with its stable link', () => {
    const cellar = '/opt/homebrew/Cellar/buckaroo-table/0.3.0/bin/buckaroo-table';
    expect(invokedBinaryPath(facts({ argv0: cellar, execPath: cellar, realpath: (p) => p }))).toBe('/opt/homebrew/bin/buckaroo-table');
  });
});
