// A load that must spill to disk when the disk is full: a named error that says which resource ran out and how
// to fix it, nothing of the load left in the temp directory, and the same server answering. The full disk is
// real: a 24 MB tmpfs mounted on the server's DuckDB temp directory (needs root; skipped, saying so, without).

import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killStarted, readState, startServer, tempHome, type StartedServer } from '../helpers/binary.ts';
import { request } from '../helpers/http.ts';

/** Writing 170 MB and spilling until the disk is full take a few seconds alone. */
const CASE_TIMEOUT_MS = 180_000;
const ROWS = 3_000_000;

let home: string;
let tmpDir: string;
let mounted = false;
let skipReason = '';
let server: StartedServer;

beforeAll(() => {
  home = tempHome();
  tmpDir = path.join(home, 'tmp', 'duckdb');
  fs.mkdirSync(tmpDir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'linux' || process.getuid?.() !== 0) {
    skipReason = 'needs root on Linux to mount a small tmpfs';
    return;
  }
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=24m,mode=0700', 'tmpfs', tmpDir], { encoding: 'utf8' });
  if (r.status !== 0) skipReason = `mount failed: ${r.stderr.trim()}`;
  else mounted = true;
});

afterAll(async () => {
  await server?.killAndWait();
  killStarted();
  if (mounted) execFileSync('umount', [tmpDir]);
});

describe('a load that spills onto a full disk', () => {
  it('fails with E_OUT_OF_SPACE, keeps nothing and the server keeps serving', async (ctx) => {
    if (!mounted) {
      console.warn(`skipped: ${skipReason}`);
      ctx.skip();
    }
    const big = path.join(home, 'big.csv');
    const out = fs.openSync(big, 'w');
    fs.writeSync(out, 'id,name,value,text\n');
    for (let i = 0; i < ROWS; i += 100_000) {
      let chunk = '';
      for (let j = i; j < i + 100_000; j++) chunk += `${j},name${j % 1000},${(j * 0.37) % 1},some text here ${j}\n`;
      fs.writeSync(out, chunk);
    }
    fs.closeSync(out);
    // 200 MB of memory for 170 MB of CSV: DuckDB must spill, and 24 MB of disk cannot take it.
    server = await startServer({ home, env: { BUCKAROO_DUCKDB_MEMORY_LIMIT: '200MB' } });
    const { token } = readState(home, server.port);
    const load = (p: string) =>
      request(server.port, '/load', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ path: p, no_browser: true }),
        timeoutMs: CASE_TIMEOUT_MS,
      });
    const r = await load(big);
    expect(r.status, r.body).toBe(507);
    const body = r.json<{ error_code: string; message: string; hint: string }>();
    expect(body.error_code).toBe('E_OUT_OF_SPACE');
    expect(body.message).toMatch(/ran out of temporary disk space/);
    expect(body.message).not.toMatch(/bt_ds_|Out of Memory Error/);
    expect(body.hint).toMatch(/BUCKAROO_DUCKDB_MEMORY_LIMIT/);
    expect(fs.readdirSync(tmpDir)).toEqual([]);

    const small = path.join(home, 'small.csv');
    fs.writeFileSync(small, 'a,b\n1,2\n');
    const ok = await load(small);
    expect(ok.status, ok.body).toBe(200);
    expect((await request(server.port, '/health')).json<{ pid: number }>().pid).toBe(server.pid);
  }, CASE_TIMEOUT_MS);
});
