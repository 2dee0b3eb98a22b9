// Issue 14, item 6, through the compiled binary: a port squatter naming a dead pid does not stop a start
// (the server moves to another port), offsets and limits beyond safe integers are a 400, and /load reads
// no more than a small body even with the right token.

import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort, killStarted, pidAlive, startServer, tempHome, type StartedServer } from '../helpers/binary.ts';
import { loadFile } from '../helpers/browser.ts';
import { request } from '../helpers/http.ts';
import { cleanupLifecycle, ensure, startFixture } from '../helpers/lifecycle.ts';

let server: StartedServer;
let csv: string;

afterAll(() => killStarted());

describe('a port squatter', () => {
  // Also kills every server this file started: the limits below start their own afterwards.
  afterEach(() => cleanupLifecycle());

  it('moves aside from a squatter that names a dead pid', async () => {
    const dead = spawnSync('true').pid!; // exited: a pid nobody has now (or, if reused, not a buckaroo server)
    const port = await freePort();
    const squatter = await startFixture('buckaroo-stubborn-server.mjs', ['--port', String(port), '--no-state', '--report-pid', String(dead), '--ignore-term']);
    const home = tempHome('bt-life-');
    const r = await ensure(home, { BUCKAROO_DEFAULT_PORT: String(port), BUCKAROO_SHUTDOWN_TIMEOUT: '500' });
    expect(r.status).toBe('started');
    expect(r.port).not.toBe(port);
    expect(r.notice).toContain(`port ${port} is held by`);
    expect(pidAlive(squatter.pid)).toBe(true); // never signalled
    expect((await request(r.port, '/health')).json()).toMatchObject({ pid: r.pid });
  });
});

describe('request limits', () => {
  beforeAll(async () => {
    csv = path.join(tempHome('bt-limits-data-'), 'tiny.csv');
    fs.writeFileSync(csv, 'a\n1\n2\n');
    server = await startServer();
    await loadFile(server.home, server.port, csv, 'limits-1');
  });

  it('refuses offsets and limits beyond safe integers with 400', async () => {
    for (const qs of ['offset=1e300', 'offset=9007199254740992', 'limit=1e300', 'offset=Infinity']) {
      const r = await request(server.port, `/api/sessions/limits-1/rows?${qs}`);
      expect(r.status, qs).toBe(400);
      expect(r.json(), qs).toMatchObject({ error_code: 'E_BAD_REQUEST' });
    }
    expect((await request(server.port, '/api/sessions/limits-1/stats?limit=1e300')).status).toBe(400);
    expect((await request(server.port, '/api/sessions/limits-1/rows?offset=9007199254740991')).json()).toMatchObject({ rows: [] });
  });

  it('refuses a load body over the cap without reading it all', async () => {
    const big = JSON.stringify({ path: csv, session: 'limits-2', pad: 'x'.repeat(1024 * 1024) });
    const declared = await request(server.port, '/load', { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
    expect(declared.status).toBe(413);
    expect(declared.json()).toMatchObject({ error_code: 'E_BODY_TOO_LARGE' });
    // Chunked, so no Content-Length to go by: cut off while reading.
    const chunked = await request(server.port, '/load', { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, body: big });
    expect(chunked.status).toBe(413);
    expect((await request(server.port, '/health')).status).toBe(200);
    expect((await loadFile(server.home, server.port, csv, 'limits-3')).rows).toBe(2);
  });
});
