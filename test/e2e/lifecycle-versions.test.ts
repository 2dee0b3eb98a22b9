// Two compiled versions on one port (issue 19): an older session's load survives a newer session replacing the
// server under it, a crashed server's leftover state file never blocks replacing Python Buckaroo's server, and
// after a crash an older tool starts the newest installed binary instead of itself.

import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { DuckDBInstance } from '@duckdb/node-api';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BINARY, freePort, pidAlive, readState, startServer, stateFilePath, tempHome, testEnv, waitUntil } from '../helpers/binary.ts';
import { writeSyntheticCsv } from '../helpers/datasets.ts';
import { cleanupLifecycle, ensure, runCli, startFixture, trackPid } from '../helpers/lifecycle.ts';
import { ensureOldBinary, OLD_VERSION } from '../helpers/old-binary.ts';

let OLD: string;
let NEW_VERSION: string;
/** Big enough that loading it outlasts a replacement on a busy 2-core machine (~100 MB, seconds). */
const LOAD_ROWS = 2_000_000;
const LOAD_CALL_TIMEOUT_MS = 120_000;

beforeAll(async () => {
  OLD = await ensureOldBinary();
  NEW_VERSION = (await runCli(['--version'], testEnv(tempHome('bt-life-')))).stdout.trim();
}, 240_000);

afterEach(() => cleanupLifecycle());

const textOf = (r: object): string =>
  (((r as { content?: unknown }).content as { type: string; text?: string }[] | undefined) ?? []).map((c) => c.text ?? '').join('\n');

describe('an older session through a replacement', () => {
  it('keeps an older sessions load working when a newer session replaces the server', { timeout: 180_000 }, async () => {
    const home = tempHome('bt-life-');
    const port = await freePort();
    const csv = path.join(home, 'big.csv');
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    await writeSyntheticCsv(db, csv, LOAD_ROWS);
    db.closeSync();

    const client = new Client({ name: 'older-session', version: '0.0.0' });
    await client.connect(new StdioClientTransport({ command: OLD, args: ['mcp'], env: testEnv(home, { BUCKAROO_PORT: String(port) }), stderr: 'pipe' }));
    try {
      const call = client.callTool({ name: 'view_data', arguments: { path: csv } }, { timeout: LOAD_CALL_TIMEOUT_MS });
      // The older session's server is up and loading; then a newer session replaces it.
      await waitUntil('the older server to start', () => fs.existsSync(stateFilePath(home, port)), 15_000);
      const oldPid = readState(home, port).pid;
      trackPid(oldPid);
      await new Promise((r) => setTimeout(r, 600));
      const replaced = await ensure(home, { BUCKAROO_PORT: String(port) });
      expect(replaced).toMatchObject({ status: 'replaced', version: NEW_VERSION, previous: { version: OLD_VERSION, pid: oldPid } });

      const r = await call;
      expect(r.isError, textOf(r)).toBeFalsy();
      const server = (r.structuredContent as { server: { pid: number; version: string; notice?: string } }).server;
      expect(server).toMatchObject({ pid: replaced.pid, version: NEW_VERSION });
      expect(server.notice).toContain(`the data server ${OLD_VERSION} (pid ${oldPid}) was replaced by ${NEW_VERSION} (pid ${replaced.pid}) during this call, which was retried there`);
      expect(server.notice).toContain('restart your agent session to update the tool');
      expect(textOf(r)).toContain(server.notice);
      expect((r.structuredContent as { rows: number }).rows).toBe(LOAD_ROWS);
    } finally {
      await client.close();
    }
  });
});

describe('leftovers and turns after a crash', () => {
  it('replaces python buckaroo although our crashed server left its state file', async () => {
    const home = tempHome('bt-life-');
    const port = await freePort();
    const crashed = await startServer({ home, binary: OLD, args: ['--port', String(port)] });
    crashed.kill('SIGKILL');
    await waitUntil('the crashed server to be gone', () => !pidAlive(crashed.pid), 5_000);
    expect(readState(home, port).pid).toBe(crashed.pid); // left behind, naming a dead pid
    const py = await startFixture('buckaroo-stubborn-server.mjs', ['--port', String(port), '--python-buckaroo', '--version', '0.12.9']);

    const status = await runCli(['status'], testEnv(home, { BUCKAROO_PORT: String(port) }));
    expect(status.stdout).toContain(`A Buckaroo server 0.12.9 (no protocol information) answers on port ${port}, pid ${py.pid}`);

    const r = await ensure(home, { BUCKAROO_PORT: String(port) });
    expect(r).toMatchObject({ status: 'replaced', version: NEW_VERSION, port, previous: { version: '0.12.9', pid: py.pid, how: 'sigterm' } });
    expect(readState(home, port).pid).toBe(r.pid);
    await waitUntil('Python Buckaroo to be gone', () => !pidAlive(py.pid), 2_000);
  });

  it('never starts an older server than the newest installed after a crash', async () => {
    const home = tempHome('bt-life-');
    const port = await freePort();
    const env = { BUCKAROO_PORT: String(port) };
    const newer = await ensure(home, env);
    expect(newer).toMatchObject({ status: 'started', version: NEW_VERSION });
    process.kill(newer.pid, 'SIGKILL');
    await waitUntil('the crashed server to be gone', () => !pidAlive(newer.pid), 5_000);

    // The older tool starts first after the crash: it starts the newer binary, and says to restart the session.
    const fromOld = await ensure(home, env, OLD);
    expect(fromOld).toMatchObject({ status: 'started', version: NEW_VERSION });
    expect(fromOld.notice).toBe(`server ${NEW_VERSION} is newer than this tool ${OLD_VERSION}; restart your agent session to update the tool`);
    // No turns: both tools keep the same server.
    expect(await ensure(home, env, OLD)).toMatchObject({ status: 'reused', pid: fromOld.pid });
    expect(await ensure(home, env)).toMatchObject({ status: 'reused', pid: fromOld.pid });
  });

  it('starts the newer binary an upgrade installed where the older session was started from, and says to restart', async () => {
    const home = tempHome('bt-life-');
    const installed = path.join(tempHome('bt-install-'), 'buckaroo-table');
    fs.copyFileSync(OLD, installed);
    fs.chmodSync(installed, 0o755);
    const client = new Client({ name: 'older-session', version: '0.0.0' });
    await client.connect(new StdioClientTransport({ command: installed, args: ['mcp'], env: testEnv(home, { BUCKAROO_PORT: String(await freePort()) }), stderr: 'pipe' }));
    try {
      // What install.sh and `upgrade` do while the session runs: the new build renamed over the old file.
      fs.copyFileSync(BINARY, `${installed}.new`);
      fs.chmodSync(`${installed}.new`, 0o755);
      fs.renameSync(`${installed}.new`, installed);
      const r = await client.callTool({ name: 'view_data', arguments: { path: path.join(import.meta.dirname, '../../samples/penguins.csv') } });
      expect(r.isError, textOf(r)).toBeFalsy();
      const server = (r.structuredContent as { server: { pid: number; status: string; version: string; notice?: string } }).server;
      trackPid(server.pid);
      expect(server).toMatchObject({ status: 'started', version: NEW_VERSION });
      expect(server.notice).toBe(`server ${NEW_VERSION} is newer than this tool ${OLD_VERSION}; restart your agent session to update the tool`);
    } finally {
      await client.close();
    }
  });
});
