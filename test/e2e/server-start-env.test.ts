// The settings the runtime reads only when a process starts (src/lifecycle/server-env.ts): a server started by
// hand starts over with them as the same process, a server our own spawner starts has them from the start, and a
// value the person set is kept. Without them Bun ran every DuckDB query on two threads here, and a page's window
// waited behind two background stats queries. Read from /proc/<pid>/environ: Linux only.

import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, killStarted, startServer, tempHome } from '../helpers/binary.ts';
import { request } from '../helpers/http.ts';
import { cleanupLifecycle, ensure } from '../helpers/lifecycle.ts';

/** The environment the live process runs with (after any execve), as KEY → value. */
function liveEnv(pid: number): Record<string, string> {
  const raw = fs.readFileSync(`/proc/${pid}/environ`, 'utf8');
  return Object.fromEntries(
    raw
      .split('\0')
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );
}

afterAll(() => {
  killStarted();
  cleanupLifecycle();
});

describe.skipIf(process.platform !== 'linux')('the server process starts with the runtime settings it needs', () => {
  it('starts over once with them when started by hand, keeping its pid and stdout', async () => {
    const server = await startServer();
    const env = liveEnv(server.pid);
    expect(env.UV_THREADPOOL_SIZE).toBe('8');
    expect(env.MALLOC_ARENA_MAX).toBe('2');
    // Same process the test spawned: its ready line came through, and it answers as that pid.
    const health = await request(server.port, '/health', { anonymous: true });
    expect(health.status).toBe(200);
    expect(health.json<{ pid: number }>().pid).toBe(server.pid);
    await server.killAndWait();
  });

  it("keeps the person's own pool size", async () => {
    const server = await startServer({ env: { UV_THREADPOOL_SIZE: '3' } });
    const env = liveEnv(server.pid);
    expect(env.UV_THREADPOOL_SIZE).toBe('3');
    expect(env.MALLOC_ARENA_MAX).toBe('2');
    await server.killAndWait();
  });

  it('has them from the start when the MCP side (ensure) spawns it', async () => {
    const port = await freePort();
    const r = await ensure(tempHome(), { BUCKAROO_PORT: String(port) });
    expect(r.status).toBe('started');
    const env = liveEnv(r.pid);
    expect(env.UV_THREADPOOL_SIZE).toBe('8');
    expect(env.MALLOC_ARENA_MAX).toBe('2');
  });
});
