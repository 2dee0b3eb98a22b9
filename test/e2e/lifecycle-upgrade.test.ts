// After an upgrade: the next call ends up on a server of the right version, whatever the old one does —
// leaves on /shutdown, ignores /shutdown and SIGTERM, is stopped with SIGSTOP, crashed, or is newer.

import fs from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BINARY, freePort, pidAlive, readState, startServer, stateFilePath, tempHome, waitForExit, waitUntil } from '../helpers/binary.ts';
import { request } from '../helpers/http.ts';
import { cleanupLifecycle, ensure, startFixture, trackPid } from '../helpers/lifecycle.ts';
import { ensureOldBinary, OLD_VERSION } from '../helpers/old-binary.ts';

let OLD: string;
let NEW_VERSION: string;
/** Short waits so the kill path is exercised quickly; the figures with defaults live in bench/. */
const SHUTDOWN_TIMEOUT_MS = 1_000;
/** SIGTERM grace (1 s) + SIGKILL wait + a new server's start on a busy 2-core machine. */
const KILL_PATH_MARGIN_MS = 4_000;

beforeAll(async () => {
  OLD = await ensureOldBinary();
  const s = await startServer();
  NEW_VERSION = readState(s.home, s.port).version;
  s.kill();
}, 240_000);

afterEach(() => cleanupLifecycle());

describe('ensureServer after an upgrade', () => {
  it('replaces an old server via shutdown', async () => {
    const home = tempHome('bt-life-');
    const old = await startServer({ home, binary: OLD, args: ['--port', String(await freePort())] });
    const r = await ensure(home, { BUCKAROO_PORT: String(old.port) });
    expect(r).toMatchObject({ status: 'replaced', version: NEW_VERSION, port: old.port, previous: { version: OLD_VERSION, pid: old.pid, how: 'shutdown' } });
    expect(r.pid).not.toBe(old.pid);
    await waitForExit(old.proc, 2_000);
    const health = (await request(old.port, '/health')).json<{ version: string; pid: number; exe: string }>();
    expect(health).toMatchObject({ version: NEW_VERSION, pid: r.pid, exe: BINARY });
    expect(readState(home, old.port).pid).toBe(r.pid);
    // The next call simply reuses it.
    expect(await ensure(home, { BUCKAROO_PORT: String(old.port) })).toMatchObject({ status: 'reused', pid: r.pid });
  });

  it('replaces a server that ignores shutdown and sigterm with sigkill', async () => {
    const home = tempHome('bt-life-');
    const port = await freePort();
    const stubborn = await startFixture('buckaroo-stubborn-server.mjs', ['--port', String(port), '--home', home, '--ignore-term']);
    const t0 = Date.now();
    const r = await ensure(home, { BUCKAROO_PORT: String(port), BUCKAROO_SHUTDOWN_TIMEOUT: String(SHUTDOWN_TIMEOUT_MS) });
    expect(r).toMatchObject({ status: 'replaced', version: NEW_VERSION, previous: { version: OLD_VERSION, pid: stubborn.pid, how: 'sigkill' } });
    expect(stubborn.proc.signalCode ?? (await waitForExit(stubborn.proc, 1_000))).toBe('SIGKILL');
    expect(Date.now() - t0).toBeLessThan(SHUTDOWN_TIMEOUT_MS + KILL_PATH_MARGIN_MS);
    expect((await request(port, '/health')).json()).toMatchObject({ version: NEW_VERSION, pid: r.pid });
  });

  it('waits for a server of our version that started moments ago and is slow to answer, instead of killing it', async () => {
    // Another client's new server, still busy starting on a loaded machine: slower than one 500 ms probe.
    const home = tempHome('bt-life-');
    const port = await freePort();
    const busy = await startFixture('buckaroo-stubborn-server.mjs', ['--port', String(port), '--home', home, '--version', NEW_VERSION, '--slow-health', '1500']);
    const r = await ensure(home, { BUCKAROO_PORT: String(port) });
    expect(r).toMatchObject({ status: 'reused', pid: busy.pid, version: NEW_VERSION });
    expect(pidAlive(busy.pid)).toBe(true);
  });

  it('replaces a python style server without version or state file', async () => {
    const home = tempHome('bt-life-');
    const port = await freePort();
    const py = await startFixture('buckaroo-stubborn-server.mjs', ['--port', String(port), '--old-style', '--no-state', '--shutdown', '404']);
    const r = await ensure(home, { BUCKAROO_PORT: String(port) });
    expect(r).toMatchObject({ status: 'replaced', previous: { version: 'unversioned', pid: py.pid, how: 'sigterm' } });
    await waitForExit(py.proc, 1_000);
  });

  it('replaces a server stopped with sigstop without hanging', async () => {
    const home = tempHome('bt-life-');
    const old = await startServer({ home, binary: OLD, args: ['--port', String(await freePort())] });
    process.kill(old.pid, 'SIGSTOP');
    const t0 = Date.now();
    const r = await ensure(home, { BUCKAROO_PORT: String(old.port), BUCKAROO_SHUTDOWN_TIMEOUT: String(SHUTDOWN_TIMEOUT_MS) });
    expect(r.status).toBe('replaced');
    expect(r.previous).toMatchObject({ pid: old.pid });
    expect(['sigterm', 'sigkill']).toContain(r.previous!.how);
    expect(Date.now() - t0).toBeLessThan(SHUTDOWN_TIMEOUT_MS + KILL_PATH_MARGIN_MS);
    await waitForExit(old.proc, 1_000);
    expect((await request(old.port, '/health')).json()).toMatchObject({ version: NEW_VERSION, pid: r.pid });
  });

  it('reuses a newer server and says restart the session', async () => {
    const home = tempHome('bt-life-');
    const newer = await startServer({ home, args: ['--port', String(await freePort())] });
    const r = await ensure(home, { BUCKAROO_PORT: String(newer.port) }, OLD);
    expect(r).toMatchObject({ status: 'reused', pid: newer.pid, version: NEW_VERSION });
    expect(r.notice).toBe(`server ${NEW_VERSION} is newer than this tool ${OLD_VERSION}; restart your agent session to update the tool`);
    expect(pidAlive(newer.pid)).toBe(true);
    // …and a restart from the old tool does not downgrade it either.
    expect(await ensure(home, { BUCKAROO_PORT: String(newer.port) }, OLD)).toMatchObject({ status: 'reused', pid: newer.pid });
  });

  it('starts a new server after the last one was killed with sigkill', async () => {
    const home = tempHome('bt-life-');
    const port = await freePort();
    const first = await ensure(home, { BUCKAROO_PORT: String(port) });
    expect(first.status).toBe('started');
    process.kill(first.pid, 'SIGKILL');
    await waitUntil('the killed server to be gone', () => !pidAlive(first.pid), 2_000);
    expect(fs.existsSync(stateFilePath(home, port))).toBe(true); // it had no chance to clean up
    const second = await ensure(home, { BUCKAROO_PORT: String(port) });
    trackPid(second.pid);
    expect(second).toMatchObject({ status: 'started', port, version: NEW_VERSION });
    expect(second.pid).not.toBe(first.pid);
  });
});
