// Issue 14, item 3, through the compiled binary: every directory under BUCKAROO_HOME is ours and 0700 — an
// open one is closed, one another user (uid 65534) owns is refused with a sentence — and a log file planted
// before the directory was closed is not written to.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BINARY, killStarted, startServer, tempHome, testEnv } from '../helpers/binary.ts';
import { canRunAsNobody, NOBODY, NOBODY_SKIP_REASON } from '../helpers/other-user.ts';

afterEach(() => killStarted());

const mode = (p: string): number => fs.statSync(p).mode & 0o777;
const SERVER_START_TIMEOUT_MS = 15_000;

describe('directories under BUCKAROO_HOME', () => {
  it('closes directories left open before the server writes anything', async () => {
    const home = tempHome();
    const open = ['logs', 'sessions', 'tmp', 'tmp/duckdb', 'cache', 'cache/native', 'run', 'something-else'];
    for (const d of open) fs.mkdirSync(path.join(home, d), { recursive: true });
    for (const d of [...open, '.']) fs.chmodSync(path.join(home, d), 0o777);
    const s = await startServer({ home });
    for (const d of [...open, '.']) expect(mode(path.join(home, d)), d).toBe(0o700);
    expect(mode(path.join(home, 'run', `server-${s.port}.json`))).toBe(0o600);
    expect(mode(path.join(home, 'run', 'browser-key'))).toBe(0o600);
  });

  it.runIf(canRunAsNobody())('refuses_a_directory_another_user_owns', () => {
    const home = tempHome();
    fs.mkdirSync(path.join(home, 'sessions'), { recursive: true });
    fs.chownSync(path.join(home, 'sessions'), NOBODY, NOBODY);
    const r = spawnSync(BINARY, ['server', '--port', '0'], { env: testEnv(home), encoding: 'utf8', timeout: SERVER_START_TIMEOUT_MS });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(`${path.join(home, 'sessions')} is owned by uid ${NOBODY}, not by you (uid 0); remove it or set BUCKAROO_HOME.`);
    expect(fs.existsSync(path.join(home, 'run', 'browser-key'))).toBe(false);
    // The MCP side and the CLI refuse it too, with the lifecycle's code.
    const ensure = spawnSync(BINARY, ['ensure', '--json'], { env: testEnv(home), encoding: 'utf8', timeout: SERVER_START_TIMEOUT_MS });
    expect(ensure.status).not.toBe(0);
    expect(ensure.stderr).toContain('is owned by uid 65534');
  });
  it.skipIf(canRunAsNobody())(`refuses_a_directory_another_user_owns (skipped: ${NOBODY_SKIP_REASON})`, () => {});

  it('refuses a symlinked directory inside the home', () => {
    const home = tempHome();
    const elsewhere = tempHome('bt-elsewhere-');
    fs.symlinkSync(elsewhere, path.join(home, 'logs'));
    const r = spawnSync(BINARY, ['server', '--port', '0'], { env: testEnv(home), encoding: 'utf8', timeout: SERVER_START_TIMEOUT_MS });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(`${path.join(home, 'logs')} is a symbolic link`);
    expect(fs.readdirSync(elsewhere)).toEqual([]);
  });

  it.runIf(canRunAsNobody())('does_not_append_to_a_log_planted_by_another_user', async () => {
    const home = tempHome();
    fs.mkdirSync(path.join(home, 'logs'), { recursive: true });
    const planted = path.join(home, 'logs', 'server.log');
    fs.writeFileSync(planted, 'planted\n', { mode: 0o666 });
    fs.chownSync(planted, NOBODY, NOBODY);
    await startServer({ home });
    const st = fs.statSync(planted);
    expect(st.uid).toBe(0);
    expect(st.mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(planted, 'utf8')).not.toContain('planted');
  });
});
