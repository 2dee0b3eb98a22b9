import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { CACHE_ASSETS, CACHE_MODES, cacheModeFor, wrapBundle } from '../../src/sea-main.ts';

describe('the binary entry picks a code cache per start-up path', () => {
  const argv = (...args: string[]) => ['/usr/local/bin/buckaroo-table', '/usr/local/bin/buckaroo-table', ...args];

  it('handles_mcp_and_server_with_their_own_cache', () => {
    expect(cacheModeFor(argv('mcp'))).toBe('mcp');
    expect(cacheModeFor(argv('server', '--port', '0'))).toBe('server');
  });

  it('handles_every_other_command_with_the_cli_cache', () => {
    for (const args of [['--version'], ['--help'], ['status'], ['view', 'x.csv'], []]) expect(cacheModeFor(argv(...args))).toBe('cli');
  });

  it('names_one_asset_per_mode', () => {
    expect(new Set(CACHE_MODES.map((m) => CACHE_ASSETS[m])).size).toBe(CACHE_MODES.length);
  });

  it('wraps_the_bundle_as_a_commonjs_function', () => {
    const fn = vm.runInThisContext(wrapBundle('module.exports = { dir: __dirname, file: __filename };')) as (
      e: object,
      r: unknown,
      m: { exports: unknown },
      f: string,
      d: string,
    ) => void;
    const mod = { exports: {} as unknown };
    fn({}, undefined, mod, '/a/b.cjs', '/a');
    expect(mod.exports).toEqual({ dir: '/a', file: '/a/b.cjs' });
  });
});
