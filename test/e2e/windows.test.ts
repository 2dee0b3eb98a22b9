// The windows-x64 binary, run under wine (Debian's wine64 8.0, scripts/ensure-wine.sh) with a test-only
// bcryptprimitives.dll (test/helpers/wine.ts): `--version`, MCP initialize, and `view_data` on a small CSV
// through its own Windows DuckDB (duckdb.node + duckdb.dll unpacked from the .exe), started by its own
// lifecycle (named-pipe start lock, a detached server process), then `stop`. The MCP session's stdin goes through
// stdin-relay.exe (a Windows pipe, as a Windows client gives; see test/helpers/wine.ts). What wine cannot show
// (PowerShell, taskkill, a browser) is unit-tested with recorded outputs instead.

import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, tempHome } from '../helpers/binary.ts';
import { ensureCrossBinary } from '../helpers/cross-binary.ts';
import { request } from '../helpers/http.ts';
import { ensureWinePrefix, STDIN_RELAY, stopWineServer, WINE, wineEnv, windowsPath, wineUnavailable } from '../helpers/wine.ts';

const run = promisify(execFile);
const unavailable = wineUnavailable();
if (unavailable) console.warn(`\n*** SKIPPING the windows-x64 tests: ${unavailable} ***\n`);

/** The cross-build (~1 min; its DuckDB compression once, cached) and a new wine prefix (~20-60 s). */
const SETUP_TIMEOUT_MS = 900_000;
/** wine starts a program in ~1-5 s on this machine; a server's first start also unpacks DuckDB (~37 MB). */
const WINE_STEP_TIMEOUT_MS = 120_000;
/** How long the binary's lifecycle waits for the server it starts (default 5 s is for native runs). */
const WINE_SERVER_STARTUP = { BUCKAROO_STARTUP_TIMEOUT: '90000' };

let binary: string;
let home: string;
let port: number;
let client: Client | undefined;

const env = (extra: Record<string, string> = {}): Record<string, string> =>
  wineEnv({
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    BUCKAROO_HOME: windowsPath(home),
    BUCKAROO_NO_BROWSER: '1',
    BUCKAROO_NO_UPDATE_CHECK: '1',
    BUCKAROO_PORT: String(port),
    ...WINE_SERVER_STARTUP,
    ...extra,
  });

interface ViewResult {
  isError?: boolean;
  content: { text?: string }[];
  structuredContent?: { rows: number; format: string; columns: { name: string }[] };
}

describe.skipIf(unavailable !== undefined)('windows-x64 binary under wine', () => {
  beforeAll(async () => {
    [binary] = await Promise.all([ensureCrossBinary('windows-x64'), ensureWinePrefix()]);
    home = tempHome('bt-win-');
    port = await freePort();
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await client?.close().catch(() => {});
    // The data server it started runs detached inside our prefix: stopping the prefix's wineserver ends it
    // and nothing else (another prefix has its own wineserver).
    await stopWineServer();
  });

  it('is a PE executable for x64 and prints its version', async () => {
    const file = fs.readFileSync(binary);
    expect(file.toString('latin1', 0, 2)).toBe('MZ');
    const pe = file.readUInt32LE(0x3c);
    expect(file.readUInt16LE(pe + 4)).toBe(0x8664); // IMAGE_FILE_MACHINE_AMD64
    const { stdout } = await run(WINE, [binary, '--version'], { env: env(), timeout: WINE_STEP_TIMEOUT_MS });
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  }, WINE_STEP_TIMEOUT_MS);

  it('answers MCP initialize and views a CSV and a JSON file through its own DuckDB and data server', async () => {
    const data = fs.mkdtempSync(path.join(home, 'data-'));
    const csv = path.join(data, 'people.csv');
    fs.writeFileSync(csv, 'id,name,score\r\n1,Ann,3.5\r\n2,Bob,\r\n3,Lee,7.25\r\n');
    client = new Client({ name: 'buckaroo-table-windows-test', version: '0.0.0' });
    await client.connect(new StdioClientTransport({ command: WINE, args: [STDIN_RELAY, windowsPath(binary), 'mcp'], env: env(), stderr: 'pipe', cwd: data }));
    expect(client.getServerVersion()?.name).toBe('buckaroo-table');
    const r = (await client.callTool({ name: 'view_data', arguments: { path: windowsPath(csv) } }, { timeout: WINE_STEP_TIMEOUT_MS })) as ViewResult;
    expect(r.isError, r.content.map((c) => c.text).join('\n')).toBeFalsy();
    expect(r.structuredContent).toMatchObject({ rows: 3, format: 'csv' });
    expect(r.structuredContent!.columns.map((c) => c.name)).toEqual(['id', 'name', 'score']);
    // JSON is read in a child process of the server (json-load), fed through a Windows pipe.
    const json = path.join(data, 'events.json');
    fs.writeFileSync(json, JSON.stringify([{ a: 1, b: 'x' }, { a: 2, b: 'y' }]));
    const j = (await client.callTool({ name: 'view_data', arguments: { path: windowsPath(json) } }, { timeout: WINE_STEP_TIMEOUT_MS })) as ViewResult;
    expect(j.isError, j.content.map((c) => c.text).join('\n')).toBeFalsy();
    expect(j.structuredContent).toMatchObject({ rows: 2, format: 'json' });
    const health = (await request(port, '/health', { timeoutMs: WINE_STEP_TIMEOUT_MS })).json<{ pid: number; exe: string }>();
    expect(health.exe.toLowerCase()).toBe(windowsPath(binary).toLowerCase());
  }, WINE_STEP_TIMEOUT_MS * 3);

  it('stops its server: /shutdown, then waits until the pid and the port are gone', async () => {
    const { stdout } = await run(WINE, [binary, 'stop', '--json'], { env: env(), timeout: WINE_STEP_TIMEOUT_MS });
    expect(JSON.parse(stdout)).toMatchObject({ status: 'stopped', port, previous: { how: 'shutdown' } });
    expect(fs.existsSync(path.join(home, 'run', `server-${port}.json`))).toBe(false);
    await expect(request(port, '/health', { timeoutMs: 2_000 })).rejects.toThrow();
  }, WINE_STEP_TIMEOUT_MS);
});
