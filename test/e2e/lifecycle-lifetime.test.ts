// The shared server leaves by itself: after its idle timeout, when another server took over its state
// file, and when its binary was replaced on disk. And the status/stop/restart commands a person uses.

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BINARY, freePort, pidAlive, readState, startServer, stateFilePath, tempHome, testEnv, waitForExit } from '../helpers/binary.ts';
import { authHeaders } from '../helpers/http.ts';
import { cleanupLifecycle, ensure, runCli } from '../helpers/lifecycle.ts';
import { ensureOldBinary } from '../helpers/old-binary.ts';

/** The server checks every 2 s (STALE_CHECK_INTERVAL_MS); allow a few rounds on a busy machine. */
const STALE_EXIT_MS = 8_000;

let OLD: string;
beforeAll(async () => {
  OLD = await ensureOldBinary();
}, 240_000);

afterEach(() => cleanupLifecycle());

describe('server lifetime', () => {
  it('exits after its idle timeout and removes its state file', async () => {
    const s = await startServer({ home: tempHome('bt-life-'), args: ['--port', '0', '--idle-timeout', '2s'] });
    expect(fs.existsSync(stateFilePath(s.home, s.port))).toBe(true);
    const code = await waitForExit(s.proc, 2_000 + STALE_EXIT_MS);
    expect(code).toBe(0);
    expect(fs.existsSync(stateFilePath(s.home, s.port))).toBe(false);
    expect(fs.readFileSync(path.join(s.home, 'logs', 'server.log'), 'utf8')).toMatch(/stopping \{"reason":"idle for \d+ s"\}/);
  });

  it('refuses a malformed idle timeout', async () => {
    const run = await runCli(['server', '--port', '0', '--idle-timeout', 'soon'], testEnv(tempHome('bt-life-')));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--idle-timeout must be a duration');
  });

  it('exits when its state file names another server', async () => {
    const s = await startServer({ home: tempHome('bt-life-') });
    const state = readState(s.home, s.port) as Record<string, unknown>;
    fs.writeFileSync(stateFilePath(s.home, s.port), JSON.stringify({ ...state, pid: process.pid }));
    expect(await waitForExit(s.proc, STALE_EXIT_MS)).toBe(0);
    // A successor's state file is not ours to remove.
    expect(fs.existsSync(stateFilePath(s.home, s.port))).toBe(true);
  });

  it('exits when its binary is replaced by a new build', async () => {
    const dir = tempHome('bt-install-');
    const installed = path.join(dir, 'buckaroo-table');
    fs.copyFileSync(OLD, installed);
    fs.chmodSync(installed, 0o755);
    const s = await startServer({ home: tempHome('bt-life-'), binary: installed });
    // What an installer does: write the new build beside it, then rename over the old file.
    fs.copyFileSync(BINARY, `${installed}.new`);
    fs.chmodSync(`${installed}.new`, 0o755);
    fs.renameSync(`${installed}.new`, installed);
    expect(await waitForExit(s.proc, STALE_EXIT_MS)).toBe(0);
    expect(fs.readFileSync(path.join(s.home, 'logs', 'server.log'), 'utf8')).toContain('the binary was replaced on disk');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stays while a viewer page is open even idle and replaced then leaves', async () => {
    const dir = tempHome('bt-install-');
    const installed = path.join(dir, 'buckaroo-table');
    fs.copyFileSync(OLD, installed);
    fs.chmodSync(installed, 0o755);
    const s = await startServer({ home: tempHome('bt-life-'), binary: installed, args: ['--port', '0', '--idle-timeout', '1s'] });
    // A viewer page: the SSE stream the page keeps open.
    const page = http.get({ host: '127.0.0.1', port: s.port, path: '/api/sessions/lifetime-test/events', headers: authHeaders(s.port), agent: false });
    await new Promise<void>((resolve, reject) => {
      page.once('response', (res) => {
        res.resume();
        resolve();
      });
      page.once('error', reject);
    });
    fs.copyFileSync(BINARY, `${installed}.new`);
    fs.renameSync(`${installed}.new`, installed);
    // Past the idle timeout and two stale checks: a person is looking, so it stays.
    await new Promise((r) => setTimeout(r, 5_000));
    expect(pidAlive(s.pid)).toBe(true);
    page.destroy();
    expect(await waitForExit(s.proc, STALE_EXIT_MS)).toBe(0);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('status, stop and restart', () => {
  it('handles port 0 by picking a free port that later calls find again', async () => {
    const home = tempHome('bt-life-');
    const first = await ensure(home, { BUCKAROO_PORT: '0' });
    expect(first.status).toBe('started');
    expect(first.port).toBeGreaterThan(0);
    expect(first.notice).toBeUndefined();
    expect(await ensure(home, { BUCKAROO_PORT: '0' })).toMatchObject({ status: 'reused', pid: first.pid, port: first.port });
    const status = await runCli(['status'], testEnv(home, { BUCKAROO_PORT: '0' }));
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`pid ${first.pid}`);
  });

  it('reports none then the running server then stops it', async () => {
    const home = tempHome('bt-life-');
    const env = testEnv(home, { BUCKAROO_PORT: String(await freePort()) });
    const none = await runCli(['status'], env);
    expect(none.code).toBe(1);
    expect(none.stdout).toContain('No buckaroo-table server is running');

    const started = await ensure(home, { BUCKAROO_PORT: env.BUCKAROO_PORT! });
    const status = await runCli(['status'], env);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`pid ${started.pid}`);
    expect(status.stdout).toContain(path.join(home, 'logs', 'server.log'));

    const restart = await runCli(['restart', '--json'], env);
    expect(restart.code).toBe(0);
    const restarted = JSON.parse(restart.stdout) as { status: string; pid: number; previous: { pid: number; how: string } };
    expect(restarted).toMatchObject({ status: 'replaced', previous: { pid: started.pid, how: 'shutdown' } });
    expect(pidAlive(started.pid)).toBe(false);

    const stop = await runCli(['stop'], env);
    expect(stop.code).toBe(0);
    expect(stop.stdout).toContain(`Stopped data server`);
    expect(stop.stdout).toContain(`pid ${restarted.pid}`);
    expect(pidAlive(restarted.pid)).toBe(false);
    expect((await runCli(['stop'], env)).stdout).toContain('No buckaroo-table server is running');
  });
});
