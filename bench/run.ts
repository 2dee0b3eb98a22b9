// make bench: runs every bench/*.bench.ts in turn (one figure group per script) and prints their tables.
// BENCH=name1,name2 runs only those.

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
let failed = 0;
for (const script of scripts) {
  const r = spawnSync(process.execPath, [path.join(dir, script)], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.log(`\n(${script} failed with exit ${r.status ?? r.signal})`);
  }
}
process.exit(failed === 0 ? 0 : 1);
