// Nothing that is not ours gets hurt: a foreign program on the port, a server that reports someone else's
// pid, and a state file naming a pid that was reused by an unrelated process all survive; we fall back to a
// free port, or fail with a sentence that names the holder when the port was chosen explicitly.

import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, pidAlive, readState, startServer, stateFilePath, tempHome, testEnv, waitUntil } from '../helpers/binary.ts';
import { request } from '../helpers/http.ts';
import { cleanupLifecycle, ensure, runCli, startBystander, startFixture } from '../helpers/lifecycle.ts';

afterEach(() => cleanupLifecycle());

/** Long enough to show nothing hangs on a busy machine, far below "forever". */
const NO_HANG_MS = 8_000;

describe('a port held by something that is not ours', () => {
  it('refuses to touch a foreign server when the port is explicit', async () => {
    const home = tempHome('bt-life-');
    const foreign = await startFixture('foreign-server.mjs', [String(await freePort())]);
    const run = await runCli(['ensure', '--json'], testEnv(home, { BUCKAROO_PORT: String(foreign.port) }));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Port ${foreign.port} is held by pid ${foreign.pid}`);
    expect(run.stderr).toContain('foreign-server.mjs');
    expect(run.stderr).toContain('BUCKAROO_PORT');
    expect(pidAlive(foreign.pid)).toBe(true);
    expect((await request(foreign.port, '/')).body).toContain('some other program');
  });

  it('falls back to a free port and clients follow the pointer', async () => {
    const home = tempHome('bt-life-');
    const foreign = await startFixture('foreign-server.mjs', [String(await freePort())]);
    const env = { BUCKAROO_DEFAULT_PORT: String(foreign.port) };
    const r = await ensure(home, env);
    expect(r.status).toBe('started');
    expect(r.port).not.toBe(foreign.port);
    expect(r.notice).toContain(`port ${foreign.port} is held by pid ${foreign.pid}`);
    expect(pidAlive(foreign.pid)).toBe(true);
    // The next client reads the pointer before probing the default and finds the same server.
    expect(await ensure(home, env)).toMatchObject({ status: 'reused', pid: r.pid, port: r.port });
    const status = await runCli(['status'], testEnv(home, env));
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`on http://127.0.0.1:${r.port}/`);
  });
});

describe('pids that are not ours', () => {
  it('refuses to kill the unrelated pid a server reports', async () => {
    const home = tempHome('bt-life-');
    const bystander = startBystander();
    const liar = await startFixture('buckaroo-stubborn-server.mjs', ['--port', String(await freePort()), '--home', home, '--report-pid', String(bystander.pid)]);
    const env = { BUCKAROO_PORT: String(liar.port), BUCKAROO_SHUTDOWN_TIMEOUT: '500' };
    const run = await runCli(['ensure', '--json'], testEnv(home, env));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Port ${liar.port} is held by pid ${liar.pid}`);
    expect(run.stderr).toContain(`Refusing to signal pid ${bystander.pid}`);
    expect(run.ms).toBeLessThan(NO_HANG_MS);
    expect(pidAlive(bystander.pid!)).toBe(true);
    expect(pidAlive(liar.pid)).toBe(true);
    // Without an explicit port the client moves aside instead.
    const r = await ensure(home, { BUCKAROO_DEFAULT_PORT: String(liar.port), BUCKAROO_SHUTDOWN_TIMEOUT: '500' });
    expect(r.status).toBe('started');
    expect(r.port).not.toBe(liar.port);
    expect(pidAlive(bystander.pid!)).toBe(true);
  });

  it('handles pid reuse in the state file of a hung server', async () => {
    const home = tempHome('bt-life-');
    const bystander = startBystander();
    const stopped = await startServer({ home, args: ['--port', String(await freePort())] });
    // The server hangs, and its state file now names a pid that an unrelated process got after a reboot.
    const state = readState(stopped.home, stopped.port) as Record<string, unknown>;
    fs.writeFileSync(stateFilePath(home, stopped.port), JSON.stringify({ ...state, pid: bystander.pid }));
    process.kill(stopped.pid, 'SIGSTOP');
    const r = await ensure(home, { BUCKAROO_DEFAULT_PORT: String(stopped.port), BUCKAROO_SHUTDOWN_TIMEOUT: '500' });
    expect(r.status).toBe('started');
    expect(r.port).not.toBe(stopped.port);
    expect(r.notice).toContain(`Refusing to signal pid ${bystander.pid}`);
    expect(pidAlive(bystander.pid!)).toBe(true);
    expect(pidAlive(stopped.pid)).toBe(true); // unverifiable, so untouched
  });

  it('handles a stale state file naming a live unrelated process', async () => {
    const home = tempHome('bt-life-');
    const bystander = startBystander();
    const port = await freePort();
    fs.mkdirSync(`${home}/run`, { recursive: true, mode: 0o700 });
    fs.writeFileSync(
      stateFilePath(home, port),
      JSON.stringify({ pid: bystander.pid, port, version: '0.0.1', protocol: 1, token: 'x'.repeat(32), started: 'then', start_time: '1', exe: '/gone/buckaroo-table' }),
    );
    const r = await ensure(home, { BUCKAROO_PORT: String(port) });
    expect(r).toMatchObject({ status: 'started', port });
    await waitUntil('the new state file', () => readState(home, port).pid === r.pid, 1_000);
    expect(pidAlive(bystander.pid!)).toBe(true);
  });
});
