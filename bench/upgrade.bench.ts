// Issue 6's figures: release packing time and size, `upgrade` wall time from a feed on 127.0.0.1, and the
// cost of the background update check to a tool call (diagnostics latency with the check off vs. a feed
// that answers in 3 s). Builds a second version of the binary (~6 s) into a temp dir.

import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startReleaseFeed } from '../test/helpers/release-feed.ts';
import { BINARY, ROOT, benchEnv, benchHome, ms, percentile, printTable } from './lib.ts';

const UPGRADE_RUNS = 3;
const TOOL_RUNS = 7;

function runAsync(cmd: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { env, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (c: Buffer) => (out += c.toString()));
    p.stderr.on('data', (c: Buffer) => (out += c.toString()));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, out }));
  });
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bt-bench-upgrade-'));
  const feed = await startReleaseFeed();
  try {
    const current = execFileSync(BINARY, ['--version'], { encoding: 'utf8' }).trim();
    const next = '99.0.0';
    // The release of the current binary (copied so dist/ is left alone), timed.
    const distA = path.join(work, 'a');
    fs.mkdirSync(distA);
    fs.copyFileSync(BINARY, path.join(distA, 'buckaroo-table'));
    const env = { ...process.env } as Record<string, string>;
    const t0 = performance.now();
    const rel = await runAsync(process.execPath, ['scripts/release.ts'], { ...env, BUCKAROO_DIST_DIR: distA, BUCKAROO_RELEASE_BASE_URL: feed.baseUrl(current) });
    const releaseMs = performance.now() - t0;
    if (rel.code !== 0) throw new Error(rel.out);
    const tarball = fs.readdirSync(path.join(distA, 'release')).find((f) => f.endsWith('.tar.gz'))!;
    const tarMiB = fs.statSync(path.join(distA, 'release', tarball)).size / 1024 / 1024;
    const binMiB = fs.statSync(BINARY).size / 1024 / 1024;

    const distB = path.join(work, 'b');
    const b = await runAsync(process.execPath, ['build.ts'], { ...env, BUCKAROO_VERSION: next, BUCKAROO_DIST_DIR: distB });
    if (b.code !== 0) throw new Error(b.out);
    const r2 = await runAsync(process.execPath, ['scripts/release.ts'], { ...env, BUCKAROO_DIST_DIR: distB, BUCKAROO_RELEASE_BASE_URL: feed.baseUrl(next) });
    if (r2.code !== 0) throw new Error(r2.out);
    feed.add(current, path.join(distA, 'release'));
    feed.add(next, path.join(distB, 'release'));
    feed.publish(next);

    const upgrades: number[] = [];
    for (let i = 0; i < UPGRADE_RUNS; i++) {
      const home = benchHome();
      const bin = path.join(home, 'bin', 'buckaroo-table');
      fs.mkdirSync(path.dirname(bin));
      fs.copyFileSync(BINARY, bin);
      const t = performance.now();
      const u = await runAsync(bin, ['upgrade'], benchEnv(home, { BUCKAROO_UPDATE_URL: feed.latestUrl, BUCKAROO_PORT: '1' }));
      upgrades.push(performance.now() - t);
      if (u.code !== 0) throw new Error(u.out);
    }

    const toolLatency = async (extra: Record<string, string>): Promise<number[]> => {
      const out: number[] = [];
      for (let i = 0; i < TOOL_RUNS; i++) {
        const home = benchHome();
        const client = new Client({ name: 'bench', version: '0' });
        const e = benchEnv(home, { BUCKAROO_PORT: '1', ...extra });
        await client.connect(new StdioClientTransport({ command: BINARY, args: ['mcp'], env: e, stderr: 'ignore' }));
        await new Promise((r) => setTimeout(r, 50)); // the check is now under way (or off)
        const t = performance.now();
        await client.callTool({ name: 'buckaroo_diagnostics', arguments: {} });
        out.push(performance.now() - t);
        await client.close();
      }
      return out;
    };
    const off = await toolLatency({});
    feed.mode = 'slow';
    const slow = await toolLatency({ BUCKAROO_NO_UPDATE_CHECK: '', BUCKAROO_UPDATE_URL: feed.latestUrl });
    feed.mode = 'ok';

    printTable('Releases and upgrades (issue 6)', [
      { figure: 'make release: pack + gzip + hash (scripts/release.ts)', median: ms(releaseMs), note: `1 run; ${binMiB.toFixed(1)} MiB binary → ${tarMiB.toFixed(1)} MiB tarball` },
      { figure: '`upgrade` from a 127.0.0.1 feed (download, verify, unpack, replace, --version)', median: ms(percentile(upgrades, 50)), p90: ms(percentile(upgrades, 90)), note: `${UPGRADE_RUNS} runs, ${current} → ${next}` },
      { figure: 'buckaroo_diagnostics call, update check off', median: ms(percentile(off, 50)), p90: ms(percentile(off, 90)), note: `${TOOL_RUNS} sessions` },
      { figure: 'buckaroo_diagnostics call while the feed takes 3 s', median: ms(percentile(slow, 50)), p90: ms(percentile(slow, 90)), goal: 'same as off', note: `${TOOL_RUNS} sessions` },
    ]);
  } finally {
    await feed.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error((err as Error).stack ?? String(err));
  process.exit(1);
});
