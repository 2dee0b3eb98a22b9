// Issue 2 asks, if Node SEA misses its start-up goals, for a `bun build --compile` variant of the same program
// measured side by side. Bun comes from the npm registry into dist/.cache/bun (not a project dependency: it is
// ~100 MB and only this benchmark uses it). The variant leaves DuckDB out (`--external @duckdb/*`), so it
// answers for the MCP path only; whether DuckDB's N-API addon runs under Bun is not measured here.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BINARY, ROOT, benchEnv, benchHome, mcpInitialize, ms, percentile, printTable, runToExit, sample } from './lib.ts';

const RUNS = 15;
const BUN_VERSION = '1.4.5';
const BUN_DIR = path.join(ROOT, 'dist', '.cache', 'bun');
const BUN = path.join(BUN_DIR, 'node_modules', '.bin', 'bun');
const VARIANT = path.join(BUN_DIR, 'buckaroo-table-bun');
const NPM_TIMEOUT_MS = 300_000;

function ensureBun(): void {
  if (fs.existsSync(BUN)) return;
  fs.mkdirSync(BUN_DIR, { recursive: true });
  fs.writeFileSync(path.join(BUN_DIR, 'package.json'), '{"private":true}');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefix', BUN_DIR, `bun@${BUN_VERSION}`], { stdio: 'ignore', timeout: NPM_TIMEOUT_MS });
}

function buildVariant(): void {
  const version = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  execFileSync(
    BUN,
    [
      'build', '--compile', '--bytecode', '--minify', path.join(ROOT, 'src/main.ts'), '--outfile', VARIANT,
      '--external', '@duckdb/*', '--define', '__BUCKAROO_BUNDLED__=true', '--define', `__BUCKAROO_VERSION__="${version}"`,
    ],
    { stdio: 'ignore', cwd: ROOT },
  );
}

async function main(): Promise<void> {
  try {
    ensureBun();
    buildVariant();
  } catch (err) {
    console.log(`\n### Node SEA vs bun --compile\n\n(skipped: could not install or run bun ${BUN_VERSION}: ${(err as Error).message.split('\n')[0]})`);
    return;
  }
  const home = benchHome();
  const env = benchEnv(home);
  const rows = [];
  for (const [name, bin] of [['Node 24 SEA', BINARY], ['bun --compile --bytecode', VARIANT]] as const) {
    await runToExit(bin, ['--version'], env);
    const version = await sample(RUNS, () => runToExit(bin, ['--version'], env));
    const init = await sample(RUNS, () => mcpInitialize(bin, env));
    const size = fs.statSync(bin).size / 1024 / 1024;
    rows.push({ figure: `${name}: \`--version\``, median: ms(percentile(version, 50)), p90: ms(percentile(version, 90)) });
    rows.push({ figure: `${name}: MCP spawn → initialize`, median: ms(percentile(init, 50)), p90: ms(percentile(init, 90)), goal: '≤ 50 ms' });
    rows.push({ figure: `${name}: binary size`, median: `${size.toFixed(1)} MiB`, note: name.startsWith('bun') ? 'without DuckDB' : 'with DuckDB (zstd)' });
  }
  printTable(`Node SEA vs bun --compile (${RUNS} runs each)`, rows);
  fs.rmSync(home, { recursive: true, force: true });
}

await main();
