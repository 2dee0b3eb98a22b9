// DuckDB's native code is loaded only from a place nobody else can write to, and only files matching the
// build's SHA-256 (issue 14): a damaged or planted copy in the cache is replaced, a loose cache is not used.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { killStarted, startServer, tempHome, waitForExit } from '../helpers/binary.ts';
import { request } from '../helpers/http.ts';

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
    const home = tempHome();
    const loose = path.join(home, 'cache');
    fs.mkdirSync(path.join(loose, 'native'), { recursive: true });
    fs.chmodSync(loose, 0o777);
    const s = await startServer({ home });
    const d = await diagnostics(s.port);
    expect(d.duckdb).toMatchObject({ ok: true, native_unpack: { untrusted_cache: expect.stringContaining('writable by group or others') } });
    expect(d.duckdb.native_unpack!.dir!.startsWith(loose)).toBe(false);
    expect(fs.readdirSync(path.join(loose, 'native'))).toEqual([]);
    // The private directory goes with the server.
    const privateDir = path.dirname(d.duckdb.native_unpack!.dir!);
    s.kill('SIGTERM');
    await waitForExit(s.proc, 10_000);
    expect(fs.existsSync(privateDir)).toBe(false);
  }, DIAGNOSTICS_TIMEOUT_MS * 2);
});
