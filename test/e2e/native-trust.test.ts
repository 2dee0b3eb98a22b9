// DuckDB's native code is loaded only from a place nobody else can write to, and only files matching the
// build's SHA-256 (issue 14): a damaged or planted copy in the cache is replaced, a loose cache is not used.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { killStarted, startServer, tempHome, waitForExit } from '../helpers/binary.ts';
import { request } from '../helpers/http.ts';
import { asNobody, canRunAsNobody } from '../helpers/other-user.ts';

afterEach(() => killStarted());

/** A fresh home unpacks ~70 MB and hashes it; a busy 2-core machine needs room. */
const DIAGNOSTICS_TIMEOUT_MS = 60_000;

interface NativeDiag {
  duckdb: { ok: boolean; native_unpack?: { how: string; dir?: string; untrusted_cache?: string } };
}

async function diagnostics(port: number): Promise<NativeDiag> {
  return (await request(port, '/diagnostics', { timeoutMs: DIAGNOSTICS_TIMEOUT_MS })).json<NativeDiag>();
}

const sha256 = (file: string): string => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('loading DuckDB', () => {
  it('replaces a tampered addon in the cache before loading it', async () => {
    const home = tempHome();
    const first = await startServer({ home });
    const { native_unpack: unpack } = (await diagnostics(first.port)).duckdb;
    const addon = path.join(unpack!.dir!, 'duckdb.node');
    const good = sha256(addon);
    first.kill('SIGTERM');
    await waitForExit(first.proc, 10_000);

    fs.appendFileSync(addon, 'planted code');
    const second = await startServer({ home });
    expect((await diagnostics(second.port)).duckdb).toMatchObject({ ok: true });
    expect(sha256(addon)).toBe(good);
  }, DIAGNOSTICS_TIMEOUT_MS * 2);

  it.runIf(process.platform !== 'win32')('refuses_a_cache_others_can_write_and_uses_a_private_directory', async () => {
    // BUCKAROO_HOME's own directories are closed at start (home-dirs.ts); a directory above it that others can
    // write to still lets them swap the cache, so the cache is not used.
    const loose = tempHome();
    fs.chmodSync(loose, 0o777);
    const home = path.join(loose, 'home');
    const s = await startServer({ home });
    const d = await diagnostics(s.port);
    expect(d.duckdb).toMatchObject({ ok: true, native_unpack: { untrusted_cache: expect.stringContaining('writable by group or others') } });
    expect(d.duckdb.native_unpack!.dir!.startsWith(loose)).toBe(false);
    expect(fs.readdirSync(path.join(home, 'cache', 'native'))).toEqual([]);
    // The private directory goes with the server.
    const privateDir = path.dirname(d.duckdb.native_unpack!.dir!);
    s.kill('SIGTERM');
    await waitForExit(s.proc, 10_000);
    expect(fs.existsSync(privateDir)).toBe(false);
  }, DIAGNOSTICS_TIMEOUT_MS * 2);

  it.runIf(canRunAsNobody())('never_loads_a_library_another_user_planted_in_a_shared_cache', async () => {
    // The attack of the issue: XDG_CACHE_HOME shared with another user (uid 65534), who plants duckdb.node and
    // the .complete marker in the directory this build unpacks to.
    const own = await startServer();
    const hash = path.basename((await diagnostics(own.port)).duckdb.native_unpack!.dir!);
    own.kill('SIGTERM');
    const shared = tempHome('bt-shared-cache-');
    fs.chmodSync(shared, 0o777);
    const hashDir = path.join(shared, 'buckaroo-table', 'native', hash);
    const plant = asNobody('sh', ['-c', `mkdir -p '${hashDir}' && printf 'planted code' > '${hashDir}/duckdb.node' && : > '${hashDir}/.complete'`]);
    expect(plant.status, plant.stderr).toBe(0);
    const home = tempHome();
    // No BUCKAROO_HOME: the cache then lives under XDG_CACHE_HOME (HOME is the temp dir, never the real one).
    const s = await startServer({ home, env: { BUCKAROO_HOME: '', HOME: home, XDG_CACHE_HOME: shared } });
    const d = await diagnostics(s.port);
    expect(d.duckdb).toMatchObject({ ok: true, native_unpack: { untrusted_cache: expect.any(String) } });
    expect(d.duckdb.native_unpack!.dir!.startsWith(shared)).toBe(false);
    expect(fs.readFileSync(path.join(hashDir, 'duckdb.node'), 'utf8')).toBe('planted code');
  }, DIAGNOSTICS_TIMEOUT_MS * 3);
});
