// The linux-arm64 binary, really run: under qemu-user through binfmt_misc (its re-executions of itself too),
// with its own arm64 DuckDB. One MCP session does the work, so qemu's slow start-up is paid a few times only.

import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { DuckDBInstance } from '@duckdb/node-api';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, readState, tempHome, testEnv, waitUntil } from '../helpers/binary.ts';
import { arm64Unavailable, ensureArm64Binary, QEMU_LD_PREFIX } from '../helpers/cross-binary.ts';
import { request } from '../helpers/http.ts';
import { cleanupLifecycle, startFixture, trackPid, type EnsureJson } from '../helpers/lifecycle.ts';

const run = promisify(execFile);
const unavailable = arm64Unavailable();
if (unavailable) console.warn(`\n*** SKIPPING the linux-arm64 tests: ${unavailable} ***\n`);

/** Everything is 5-20x slower under qemu than natively. */
const QEMU_STEP_TIMEOUT_MS = 120_000;
/** How long the binary's lifecycle waits for the server it starts (default 5 s: a native start takes ~0.1 s). */
const QEMU_SERVER_STARTUP = { BUCKAROO_STARTUP_TIMEOUT: '60000' };
const BUILD_TIMEOUT_MS = 600_000;

let binary: string;
let home: string;
let port: number;
let client: Client;

const env = (extra: Record<string, string> = {}): Record<string, string> => testEnv(home, { QEMU_LD_PREFIX, ...QEMU_SERVER_STARTUP, BUCKAROO_PORT: String(port), ...extra });

interface ViewResult {
  isError?: boolean;
  content: { text?: string }[];
  structuredContent?: { rows: number; format: string; columns: { name: string }[] };
}

describe.skipIf(unavailable !== undefined)('linux-arm64 binary under qemu', () => {
  beforeAll(async () => {
    binary = await ensureArm64Binary();
    home = tempHome('bt-arm64-');
    port = await freePort();
  }, BUILD_TIMEOUT_MS);

  afterAll(async () => {
    await client?.close().catch(() => {});
    cleanupLifecycle();
  });

  it('is an arm64 executable and prints its version', async () => {
    expect(fs.readFileSync(binary).readUInt16LE(18)).toBe(0xb7); // ELF e_machine: EM_AARCH64
    const { stdout } = await run(binary, ['--version'], { env: env(), timeout: QEMU_STEP_TIMEOUT_MS });
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  }, QEMU_STEP_TIMEOUT_MS);

  it('answers MCP initialize and views a CSV and a Parquet file through its own DuckDB', async () => {
    const data = fs.mkdtempSync(path.join(home, 'data-'));
    const csv = path.join(data, 'people.csv');
    fs.writeFileSync(csv, 'id,name,score\n1,Ann,3.5\n2,Bob,\n3,Lee,7.25\n');
    const parquet = path.join(data, 'range.parquet');
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    await db.run(`copy (select range as i, range * 1.5 as f from range(1000)) to '${parquet}' (format parquet)`);
    db.closeSync();

    client = new Client({ name: 'buckaroo-table-arm64-test', version: '0.0.0' });
    await client.connect(new StdioClientTransport({ command: binary, args: ['mcp'], env: env(), stderr: 'pipe', cwd: data }));
    expect(client.getServerVersion()?.name).toBe('buckaroo-table');
    const a = (await client.callTool({ name: 'view_data', arguments: { path: csv } }, { timeout: QEMU_STEP_TIMEOUT_MS })) as ViewResult;
    expect(a.isError, a.content.map((c) => c.text).join('\n')).toBeFalsy();
    expect(a.structuredContent).toMatchObject({ rows: 3, format: 'csv' });
    const b = (await client.callTool({ name: 'view_data', arguments: { path: parquet } }, { timeout: QEMU_STEP_TIMEOUT_MS })) as ViewResult;
    expect(b.structuredContent).toMatchObject({ rows: 1000, format: 'parquet' });
    expect(b.structuredContent!.columns.map((c) => c.name)).toEqual(['i', 'f']);
    const health = (await request(port, '/health')).json<{ platform?: string; exe: string }>();
    expect(health.exe).toBe(binary);
  }, QEMU_STEP_TIMEOUT_MS * 3);

  it('stops on /shutdown with the token', async () => {
    const { token, pid } = readState(home, port);
    const res = await request(port, '/shutdown', { method: 'POST', headers: { authorization: `Bearer ${token}` }, timeoutMs: QEMU_STEP_TIMEOUT_MS });
    expect(res.status).toBe(200);
    await waitUntil(`arm64 server ${pid} to exit`, () => !fs.existsSync(path.join(home, 'run', `server-${port}.json`)), QEMU_STEP_TIMEOUT_MS);
  }, QEMU_STEP_TIMEOUT_MS);

  it('replaces a stale older server', async () => {
    const stalePort = await freePort();
    const stale = await startFixture('buckaroo-stubborn-server.mjs', ['--port', String(stalePort), '--home', home, '--version', '0.0.1', '--shutdown', '404']);
    // `ensure` by hand: the lifecycle helper's 30 s limit is for native binaries.
    const { stdout } = await run(binary, ['ensure', '--json'], { env: env({ BUCKAROO_PORT: String(stalePort) }), timeout: QEMU_STEP_TIMEOUT_MS });
    const r = JSON.parse(stdout) as EnsureJson;
    trackPid(r.pid);
    expect(r).toMatchObject({ status: 'replaced', previous: { version: '0.0.1', pid: stale.pid } });
    expect((await request(stalePort, '/health', { timeoutMs: QEMU_STEP_TIMEOUT_MS })).json()).toMatchObject({ pid: r.pid });
  }, QEMU_STEP_TIMEOUT_MS * 2);
});
