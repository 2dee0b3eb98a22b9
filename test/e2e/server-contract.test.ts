// The foundation's contract, through the compiled binary: CLI dispatch, the ready line, /health,
// /shutdown with and without a token, Host/Origin guards, signals, and DuckDB inside the binary.

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { BINARY, BUNDLE, killStarted, readState, startServer, tempHome, testEnv, waitForExit } from '../helpers/binary.ts';
import { request } from '../helpers/http.ts';

const run = promisify(execFile);
const pkgVersion = (JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string }).version;

afterEach(() => killStarted());

describe('the command line', () => {
  it('prints its version', async () => {
    const { stdout } = await run(BINARY, ['--version'], { env: testEnv(tempHome()) });
    expect(stdout.trim()).toBe(process.env.BUCKAROO_TEST_VERSION ?? pkgVersion);
  });

  it('runs with no node on PATH and no node_modules beside it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bt-bare-'));
    const copy = path.join(dir, 'buckaroo-table');
    fs.copyFileSync(BINARY, copy);
    fs.chmodSync(copy, 0o755);
    const { stdout } = await run(copy, ['version'], { env: { PATH: '/bin' }, cwd: dir });
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses an unknown command with usage on stderr and exit 2', async () => {
    const err = await run(BINARY, ['frobnicate'], { env: testEnv(tempHome()) }).catch((e: { code: number; stderr: string; stdout: string }) => e);
    expect((err as { code: number }).code).toBe(2);
    expect((err as { stderr: string }).stderr).toContain('unknown command "frobnicate"');
    expect((err as { stderr: string }).stderr).toContain('Usage:');
    expect((err as { stdout: string }).stdout).toBe('');
  });

  it('prints help listing every mode', async () => {
    const { stdout } = await run(BINARY, ['--help'], { env: testEnv(tempHome()) });
    expect(stdout).toContain('buckaroo-table mcp');
    expect(stdout).toContain('buckaroo-table server');
  });

  it('also runs as node dist/buckaroo-table.cjs', async () => {
    const { stdout } = await run(process.execPath, [BUNDLE, '--version'], { env: testEnv(tempHome()) });
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('server mode', () => {
  it('prints the ready line and answers /health with its identity', async () => {
    const s = await startServer();
    expect(s.stdout()).toBe(`BUCKAROO_PORT=${s.port}\n`);
    const res = await request(s.port, '/health');
    expect(res.status).toBe(200);
    const h = res.json<Record<string, unknown>>();
    expect(h).toMatchObject({ status: 'ok', protocol: 1, pid: s.pid, port: s.port, exe: BINARY });
    expect(typeof h.version).toBe('string');
    expect(typeof h.started).toBe('string');
    expect(typeof h.uptime_s).toBe('number');
    const state = readState(s.home, s.port);
    expect(state.pid).toBe(s.pid);
    expect(fs.statSync(path.join(s.home, 'run', `server-${s.port}.json`)).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(s.home, 'run')).mode & 0o777).toBe(0o700);
    expect(fs.readFileSync(path.join(s.home, 'logs', 'server.log'), 'utf8')).toContain('listening');
  });

  it('refuses /shutdown without the token (401) and keeps running', async () => {
    const s = await startServer();
    const none = await request(s.port, '/shutdown', { method: 'POST', anonymous: true });
    expect(none.status).toBe(401);
    expect(none.json()).toMatchObject({ error_code: 'E_UNAUTHORIZED' });
    const wrong = await request(s.port, '/shutdown', { method: 'POST', headers: { authorization: 'Bearer not-the-token-at-all' } });
    expect(wrong.status).toBe(401);
    expect((await request(s.port, '/health')).status).toBe(200);
    // A refused request is the client's mistake, not a crash: no stack trace in the server's log.
    expect(s.stderr()).not.toMatch(/ApiError|\n\s+at /);
  });

  it('stops on /shutdown with the token and removes its state file', async () => {
    const s = await startServer();
    const { token } = readState(s.home, s.port);
    const t0 = Date.now();
    const res = await request(s.port, '/shutdown', { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ status: 'shutting_down', pid: s.pid });
    await waitForExit(s.proc, 2_000);
    expect(Date.now() - t0).toBeLessThan(1_500);
    expect(fs.existsSync(path.join(s.home, 'run', `server-${s.port}.json`))).toBe(false);
  });

  it('answers 403 to a foreign Host header (DNS rebinding)', async () => {
    const s = await startServer();
    const res = await request(s.port, '/health', { headers: { host: `evil.example:${s.port}` } });
    expect(res.status).toBe(403);
    expect(res.json()).toMatchObject({ error_code: 'E_FORBIDDEN_HOST' });
    expect((await request(s.port, '/health', { headers: { host: `localhost:${s.port}` } })).status).toBe(200);
  });

  it('answers 403 to a POST from a foreign Origin, even with the token', async () => {
    const s = await startServer();
    const { token } = readState(s.home, s.port);
    const res = await request(s.port, '/shutdown', { method: 'POST', headers: { origin: 'http://evil.example', authorization: `Bearer ${token}` } });
    expect(res.status).toBe(403);
    expect(res.json()).toMatchObject({ error_code: 'E_FORBIDDEN_ORIGIN' });
    expect((await request(s.port, '/health')).status).toBe(200);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const s = await startServer();
    const res = await request(s.port, '/nope');
    expect(res.status).toBe(404);
    expect(res.json()).toMatchObject({ error_code: 'E_NOT_FOUND' });
  });

  it('exits cleanly on SIGTERM and removes its state file', async () => {
    const s = await startServer();
    s.proc.kill('SIGTERM');
    const code = await waitForExit(s.proc, 2_000);
    expect(code).toBe(0);
    expect(fs.existsSync(path.join(s.home, 'run', `server-${s.port}.json`))).toBe(false);
  });

  it('runs DuckDB inside the compiled binary', async () => {
    const s = await startServer();
    const res = await request(s.port, '/diagnostics', { timeoutMs: 30_000 });
    expect(res.status).toBe(200);
    const d = res.json<{ duckdb: { ok: boolean; version: string; memory_mb: unknown }; node: string }>();
    expect(d.duckdb).toMatchObject({ ok: true });
    expect(typeof d.duckdb.memory_mb).toBe('object'); // DuckDB's own accounting, by tag (empty before any load)
    expect(d.duckdb.version).toMatch(/^v1\./);
    expect(d.node).toMatch(/^v\d+\./); // the Node version Bun implements (v26 for Bun 1.4)
    // The native library was unpacked into the test's own cache, keyed by content hash.
    const nativeRoot = path.join(s.home, 'cache', 'native');
    const dirs = fs.readdirSync(nativeRoot).filter((d) => !d.startsWith('.'));
    expect(dirs).toHaveLength(1);
    expect(fs.existsSync(path.join(nativeRoot, dirs[0]!, 'duckdb.node'))).toBe(true);
    // By a short-lived child (`unpack-native`), so the unpacking leaves nothing in the server's memory.
    expect(d.duckdb).toMatchObject({ native_unpack: { how: 'child' } });
    s.proc.kill('SIGTERM');
    await waitForExit(s.proc, 5_000);
    // The next server (same home) finds them unpacked.
    const next = await startServer({ home: s.home });
    const again = (await request(next.port, '/diagnostics', { timeoutMs: 30_000 })).json<{ duckdb: unknown }>();
    expect(again.duckdb).toMatchObject({ ok: true, native_unpack: { how: 'cached' } });
  });

  it('refuses unpack-native without an absolute directory', async () => {
    await expect(run(BINARY, ['unpack-native', 'relative/dir'])).rejects.toMatchObject({ code: 2 });
    await expect(run(BINARY, ['unpack-native'])).rejects.toMatchObject({ code: 2 });
  });

  it.runIf(process.platform === 'linux')('runs DuckDB below the event loop\'s priority, so /health stays quick under a load', async () => {
    const threadNices = (pid: number): { main: number; workers: number[] } => {
      const out = { main: NaN, workers: [] as number[] };
      for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
        const dir = `/proc/${pid}/task/${tid}`;
        // Field 19 of stat is the nice value; the name in field 2 may hold spaces, so split after its ')'.
        const nice = Number(fs.readFileSync(`${dir}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]);
        const name = fs.readFileSync(`${dir}/comm`, 'utf8').trim();
        if (Number(tid) === pid) out.main = nice;
        else if (name === 'libuv-worker' || name.startsWith('Bun Pool')) out.workers.push(nice); // Node's pool, Bun's
      }
      return out;
    };
    const s = await startServer();
    const d = (await request(s.port, '/diagnostics', { timeoutMs: 30_000 })).json<{ duckdb: { worker_nice: number; worker_threads_lowered: number; threads: number } }>();
    expect(d.duckdb.worker_nice).toBe(10);
    // The pool the binding runs queries on and DuckDB's own workers beyond the calling thread. Bun starts its
    // pool's threads on demand (Node's libuv started all QUERY_POOL_THREADS at once), so count only what exists.
    expect(d.duckdb.worker_threads_lowered).toBeGreaterThanOrEqual(d.duckdb.threads);
    const t = threadNices(s.pid);
    expect(t.main).toBe(0);
    expect(t.workers.length).toBeGreaterThanOrEqual(1);
    expect(new Set(t.workers)).toEqual(new Set([10]));

    const off = await startServer({ env: { BUCKAROO_DUCKDB_NICE: '0' } });
    const d0 = (await request(off.port, '/diagnostics', { timeoutMs: 30_000 })).json<{ duckdb: { worker_nice: number; worker_threads_lowered: number } }>();
    expect(d0.duckdb).toMatchObject({ worker_nice: 0, worker_threads_lowered: 0 });
    expect(new Set(threadNices(off.pid).workers)).toEqual(new Set([0]));
  });

  it('names the holder when its port is taken', async () => {
    const a = await startServer();
    const home = tempHome();
    const err = await run(BINARY, ['server', '--port', String(a.port)], { env: testEnv(home) }).catch((e: { code: number; stderr: string }) => e);
    expect((err as { code: number }).code).toBe(3);
    expect((err as { stderr: string }).stderr).toContain(`Port ${a.port}`);
  });

  it('rejects a port that is not a number', async () => {
    const err = await run(BINARY, ['server', '--port', 'abc'], { env: testEnv(tempHome()) }).catch((e: { code: number; stderr: string }) => e);
    expect((err as { code: number }).code).toBe(2);
    expect((err as { stderr: string }).stderr).toContain('--port must be a port number');
  });
});
