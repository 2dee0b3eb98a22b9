// make bench: runs every bench/*.bench.ts in turn (one figure group per script) and prints their tables.
// BENCH=name1,name2 runs only those. BENCH_BASELINE_DIST=<dir> runs each script first against the binary in
// <dir> (e.g. a Node SEA build of an earlier commit), then against this build: both tables in one run.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const dir = import.meta.dirname;
const only = process.env.BENCH?.split(',').map((s) => s.trim()).filter(Boolean);
const scripts = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !only || only.includes(f.replace('.bench.ts', '')))
  .sort();

console.log(`# buckaroo-table benchmarks — ${new Date().toISOString()}, ${os.cpus().length} cores, node ${process.version}`);
const baseline = process.env.BENCH_BASELINE_DIST;
const runs: { label: string; env: NodeJS.ProcessEnv }[] = [
  ...(baseline ? [{ label: `baseline ${baseline}`, env: { ...process.env, BUCKAROO_DIST_DIR: path.resolve(baseline) } }] : []),
  { label: 'this build', env: process.env },
];
let failed = 0;
for (const script of scripts) {
  for (const run of runs) {
    if (baseline) console.log(`\n## ${script}: ${run.label}`);
    const r = spawnSync(process.execPath, [path.join(dir, script)], { stdio: 'inherit', env: run.env });
    if (r.status !== 0) {
      failed++;
      console.log(`\n(${script} failed with exit ${r.status ?? r.signal})`);
    }
  }
}
process.exit(failed === 0 ? 0 : 1);
