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
  it('keeps_the_link_the_person_ran', () => {
    expect(invokedBinaryPath(facts({}))).toBe(LINK);
  });
  it('finds_a_bare_name_on_path_without_resolving_it', () => {
    expect(invokedBinaryPath(facts({ argv0: 'buckaroo-table' }))).toBe(LINK);
  });
  it('makes_a_relative_invocation_absolute', () => {
    expect(invokedBinaryPath(facts({ argv0: '../.local/bin/buckaroo-table' }))).toBe(LINK);
  });
  it('handles_an_argv0_that_is_not_this_binary_by_using_the_executable', () => {
    expect(invokedBinaryPath(facts({ argv0: '/usr/bin/env' }))).toBe(REAL);
    expect(invokedBinaryPath(facts({ argv0: 'not-on-path' }))).toBe(REAL);
  });
  it('replaces_a_homebrew_cellar_path_with_its_stable_link', () => {
    const cellar = '/opt/homebrew/Cellar/buckaroo-table/0.3.0/bin/buckaroo-table';
    expect(invokedBinaryPath(facts({ argv0: cellar, execPath: cellar, realpath: (p) => p }))).toBe('/opt/homebrew/bin/buckaroo-table');
  });
});
