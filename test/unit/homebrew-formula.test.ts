import { describe, expect, it } from 'vitest';
import { homebrewFormula } from '../../scripts/homebrew-formula.ts';

const sha = (c: string): string => c.repeat(64);
const archives = [
  { name: 'buckaroo-table-1.2.3-linux-x64.tar.gz', os: 'linux', arch: 'x64', sha: sha('1') },
  { name: 'buckaroo-table-1.2.3-linux-arm64.tar.gz', os: 'linux', arch: 'arm64', sha: sha('2') },
  { name: 'buckaroo-table-1.2.3-darwin-arm64.tar.gz', os: 'darwin', arch: 'arm64', sha: sha('3') },
  { name: 'buckaroo-table-1.2.3-darwin-x64.tar.gz', os: 'darwin', arch: 'x64', sha: sha('4') },
  { name: 'buckaroo-table-1.2.3-windows-x64.zip', os: 'windows', arch: 'x64', sha: sha('5') },
];

/** The url and sha256 inside `on_<os> do … on_<cpu> do … end … end`. */
function pick(formula: string, os: string, cpu: string): { url?: string; sha?: string } {
  const block = new RegExp(`  on_${os} do\\n([\\s\\S]*?)\\n  end\\n`).exec(formula)?.[1] ?? '';
  const inner = new RegExp(`    on_${cpu} do\\n      url "([^"]+)"\\n      sha256 "([0-9a-f]{64})"\\n    end`).exec(block);
  return { url: inner?.[1], sha: inner?.[2] };
}

describe('homebrewFormula', () => {
  const f = homebrewFormula('1.2.3', 'https://dl.example.invalid/v1.2.3', archives);
  it('has a url and sha256 for macOS and Linux on ARM and Intel', () => {
    expect(pick(f, 'macos', 'arm')).toEqual({ url: 'https://dl.example.invalid/v1.2.3/buckaroo-table-1.2.3-darwin-arm64.tar.gz', sha: sha('3') });
    expect(pick(f, 'macos', 'intel')).toEqual({ url: 'https://dl.example.invalid/v1.2.3/buckaroo-table-1.2.3-darwin-x64.tar.gz', sha: sha('4') });
    expect(pick(f, 'linux', 'arm')).toEqual({ url: 'https://dl.example.invalid/v1.2.3/buckaroo-table-1.2.3-linux-arm64.tar.gz', sha: sha('2') });
    expect(pick(f, 'linux', 'intel')).toEqual({ url: 'https://dl.example.invalid/v1.2.3/buckaroo-table-1.2.3-linux-x64.tar.gz', sha: sha('1') });
  });
  it('leaves Windows out and writes no block for a platform without an archive', () => {
    expect(f).not.toContain('windows');
    const linuxOnly = homebrewFormula('1.2.3', 'https://x.invalid', archives.slice(0, 1));
    expect(linuxOnly).not.toContain('on_macos');
    expect(linuxOnly).not.toContain('on_arm');
    expect(pick(linuxOnly, 'linux', 'intel').sha).toBe(sha('1'));
  });
});
