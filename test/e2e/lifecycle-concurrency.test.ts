// Several agent sessions call at once right after an upgrade: exactly one new server, no failed call.

import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startServer, tempHome, waitForExit } from '../helpers/binary.ts';
import { request } from '../helpers/http.ts';
import { cleanupLifecycle, ensure } from '../helpers/lifecycle.ts';
import { ensureOldBinary, OLD_VERSION } from '../helpers/old-binary.ts';

const CLIENTS = 10;

let OLD: string;
beforeAll(async () => {
  OLD = await ensureOldBinary();
}, 240_000);

afterEach(() => cleanupLifecycle());

describe('concurrent clients', () => {
  it('handles ten clients at once after an upgrade with one new server', async () => {
    const home = tempHome('bt-life-');
    const old = await startServer({ home, binary: OLD, args: ['--port', String(await freePort())] });
    // Ten separate processes, started together.
    const results = await Promise.all(Array.from({ length: CLIENTS }, () => ensure(home, { BUCKAROO_PORT: String(old.port) })));
    const pids = new Set(results.map((r) => r.pid));
    expect(pids.size).toBe(1);
    expect(results.filter((r) => r.status === 'replaced')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'reused')).toHaveLength(CLIENTS - 1);
    expect(results.find((r) => r.status === 'replaced')!.previous).toMatchObject({ version: OLD_VERSION, pid: old.pid });
    await waitForExit(old.proc, 2_000);
    const health = (await request(old.port, '/health')).json<{ pid: number; version: string }>();
    expect(health.pid).toBe([...pids][0]);
    expect(health.version).not.toBe(OLD_VERSION);
  });

  it('handles ten clients at once with no server with one started', async () => {
    const home = tempHome('bt-life-');
    const port = await freePort();
    const results = await Promise.all(Array.from({ length: CLIENTS }, () => ensure(home, { BUCKAROO_PORT: String(port) })));
    expect(new Set(results.map((r) => r.pid)).size).toBe(1);
    expect(results.filter((r) => r.status === 'started')).toHaveLength(1);
  });
});
