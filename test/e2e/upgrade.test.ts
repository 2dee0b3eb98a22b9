// The whole upgrade story through compiled binaries and a release feed on 127.0.0.1: build 0.0.1 and 0.0.2,
// release both, install 0.0.1 with install.sh, see the update notice in MCP mode, upgrade (a tampered tarball
// is refused first), and watch the stale server go. Also: a feed that is down, slow, garbage, or a corrupt
// cache never shows a notice, an error, or a delay.

import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, pidAlive, ROOT, tempHome, waitUntil } from '../helpers/binary.ts';
import { authHeaders } from '../helpers/http.ts';
import { startReleaseFeed, type ReleaseFeed } from '../helpers/release-feed.ts';
import { LOOPBACK_FEED_ENV, TEST_SIGNING_ENV } from '../helpers/release-signing.ts';

const BUILD_TIMEOUT_MS = 180_000;
const SAMPLE = path.join(ROOT, 'samples', 'penguins.csv');

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Async on purpose: the feed server lives in this process, so a spawnSync would starve it. */
function run(command: string, args: string[], opts: { env: Record<string, string>; input?: string; cwd?: string }): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: opts.env, cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

const textOf = (r: object): string =>
  (((r as { content?: unknown }).content as { type: string; text?: string }[] | undefined) ?? []).map((c) => c.text ?? '').join('\n');

let work: string;
let feed: ReleaseFeed;
const dist = (v: string): string => path.join(work, `dist-${v}`);
const clients: Client[] = [];

async function buildAndRelease(version: string): Promise<void> {
  const env = { ...process.env, BUCKAROO_VERSION: version, BUCKAROO_DIST_DIR: dist(version) } as Record<string, string>;
  const b = await run(process.execPath, ['build.ts'], { env, cwd: ROOT });
  if (b.code !== 0) throw new Error(`build ${version} failed:\n${b.stdout}\n${b.stderr}`);
  // This machine's tarball only: the upgrade path does not need the cross-builds (test/e2e/arm64.test.ts runs those).
  const r = await run(process.execPath, ['scripts/release.ts'], { env: { ...env, BUCKAROO_RELEASE_TARGETS: 'linux-x64', BUCKAROO_RELEASE_BASE_URL: feed.baseUrl(version) }, cwd: ROOT });
  if (r.code !== 0) throw new Error(`release ${version} failed:\n${r.stdout}\n${r.stderr}`);
  // Signed with the fixed test key, which the binaries trust only for this loopback feed (LOOPBACK_FEED_ENV).
  const s = await run(process.execPath, ['scripts/sign-release.ts'], { env: { ...env, ...TEST_SIGNING_ENV }, cwd: ROOT });
  if (s.code !== 0) throw new Error(`sign-release ${version} failed:\n${s.stdout}\n${s.stderr}`);
  feed.add(version, path.join(dist(version), 'release'));
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'bt-upgrade-'));
  feed = await startReleaseFeed();
  await buildAndRelease('0.0.1');
  await buildAndRelease('0.0.2');
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  for (const c of clients) await c.close().catch(() => {});
  await feed?.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('release artifacts', () => {
  it('make release writes the tarball, SHA256SUMS, install.sh, install.ps1, a Homebrew formula and release.json', () => {
    const out = path.join(dist('0.0.2'), 'release');
    const files = fs.readdirSync(out).sort();
    expect(files).toEqual(['SHA256SUMS', 'SHA256SUMS.minisig', 'buckaroo-table-0.0.2-linux-x64.tar.gz', 'buckaroo-table.rb', 'install.ps1', 'install.sh', 'release.json']);
    const sums = fs.readFileSync(path.join(out, 'SHA256SUMS'), 'utf8');
    const tarSha = /^([0-9a-f]{64}) {2}buckaroo-table-0\.0\.2-linux-x64\.tar\.gz$/m.exec(sums)?.[1];
    expect(tarSha).toBeDefined();
    const formula = fs.readFileSync(path.join(out, 'buckaroo-table.rb'), 'utf8');
    expect(formula).toContain(`url "${feed.baseUrl('0.0.2')}/buckaroo-table-0.0.2-linux-x64.tar.gz"`);
    expect(formula).toContain(`sha256 "${tarSha}"`);
    expect(formula).toContain('version "0.0.2"');
    const release = JSON.parse(fs.readFileSync(path.join(out, 'release.json'), 'utf8')) as { tag_name: string };
    expect(release.tag_name).toBe('v0.0.2');
  });
});

describe('upgrade end to end', () => {
  let home: string;
  let prefix: string;
  let port: number;
  let bin: string;
  const env = (): Record<string, string> => ({
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    BUCKAROO_HOME: path.join(home, '.buckaroo'),
    BUCKAROO_NO_BROWSER: '1',
    BUCKAROO_PORT: String(port),
    BUCKAROO_UPDATE_URL: feed.latestUrl,
    ...LOOPBACK_FEED_ENV,
  });
  const cachePath = (): string => path.join(home, '.buckaroo', 'update_check.json');

  async function connect(): Promise<Client> {
    const client = new Client({ name: 'buckaroo-table-upgrade-test', version: '0.0.0' });
    await client.connect(new StdioClientTransport({ command: bin, args: ['mcp'], env: env(), stderr: 'pipe' }));
    clients.push(client);
    return client;
  }

  interface Shown {
    text: string;
    /** The data server's version and what lifecycle did (reused/started/replaced), as the tool reported them. */
    version?: string;
    status?: string;
  }

  /** Shows a file the way an agent does. */
  async function show(client: Client): Promise<Shown> {
    const r = await client.callTool({ name: 'view_data', arguments: { path: SAMPLE } });
    expect(r.isError, textOf(r)).toBeFalsy();
    const server = (r.structuredContent as { server?: { version: string; status: string } } | undefined)?.server;
    return { text: textOf(r), version: server?.version, status: server?.status };
  }

  /** From buckaroo_diagnostics: "Server 0.0.1 (protocol 1) is running on port …". */
  const serverVersion = (text: string): string | undefined => /Server (\S+) \(protocol/.exec(text)?.[1];

  let page: http.ClientRequest | undefined;

  /** An open viewer page, as the browser holds it: a live SSE request to the server. */
  function openViewerPage(serverPort: number, session: string): Promise<http.ClientRequest> {
    return new Promise((resolve, reject) => {
      const req = http.get(
        { host: '127.0.0.1', port: serverPort, path: `/api/sessions/${session}/events`, headers: { host: `127.0.0.1:${serverPort}`, ...authHeaders(serverPort) }, agent: false },
        (res) => {
          res.on('error', () => {});
          if (res.statusCode === 200) resolve(req);
          else reject(new Error(`events answered ${res.statusCode}`));
        },
      );
      req.on('error', () => {});
    });
  }

  beforeAll(async () => {
    home = tempHome('bt-upgrade-home-');
    prefix = path.join(work, 'prefix');
    port = await freePort();
    bin = path.join(prefix, 'bin', 'buckaroo-table');
    feed.publish('0.0.1');
  });

  it('install.sh refuses_a_tampered_tarball and installs nothing', async () => {
    const script = await fetch(`${feed.baseUrl('0.0.1')}/install.sh`).then((r) => r.text());
    feed.tamper = true;
    try {
      const r = await run('sh', ['-s'], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, PREFIX: prefix }, input: script });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('checksum mismatch for buckaroo-table-0.0.1-linux-x64.tar.gz');
    } finally {
      feed.tamper = false;
    }
    expect(fs.existsSync(bin)).toBe(false);
  });

  it('installs 0.0.1 with install.sh from the local feed and prints the MCP one-liner', async () => {
    const script = await fetch(`${feed.baseUrl('0.0.1')}/install.sh`).then((r) => r.text());
    const r = await run('sh', ['-s'], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, PREFIX: prefix }, input: script });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Checksum verified.');
    expect(r.stdout).toContain(`claude mcp add -s user buckaroo-table -- ${bin} mcp`);
    expect((await run(bin, ['--version'], { env: env() })).stdout.trim()).toBe('0.0.1');
  });

  it('a first MCP session runs server 0.0.1 and says nothing about updates while 0.0.1 is the latest', async () => {
    const client = await connect();
    await waitUntil('the update check to write its cache', () => fs.existsSync(cachePath()), 10_000);
    const shown = await show(client);
    expect(shown.version).toBe('0.0.1');
    expect(shown.text).not.toContain('Update available');
    const diag = textOf(await client.callTool({ name: 'buckaroo_diagnostics', arguments: {} }));
    expect(diag).toContain('Update check: up to date (latest release 0.0.1');
    await client.close();
  });

  it('after 0.0.2 is published, a new MCP session says an update is available and how to get it', async () => {
    feed.publish('0.0.2');
    // A day passes: the cached answer (0.0.1) goes stale.
    const cache = JSON.parse(fs.readFileSync(cachePath(), 'utf8')) as { checked_at: string };
    cache.checked_at = new Date(Date.now() - 25 * 3600 * 1000).toISOString();
    fs.writeFileSync(cachePath(), JSON.stringify(cache));
    const client = await connect();
    await waitUntil('the cache to name 0.0.2', () => fs.readFileSync(cachePath(), 'utf8').includes('"latest": "0.0.2"'), 10_000);
    const { text } = await show(client);
    expect(text).toContain('Update available: buckaroo-table 0.0.1 → 0.0.2');
    expect(text).toContain('Run: buckaroo-table upgrade');
    const diag = textOf(await client.callTool({ name: 'buckaroo_diagnostics', arguments: {} }));
    expect(diag).toContain('Update available: buckaroo-table 0.0.1 → 0.0.2');
    await client.close();
  });

  it('upgrade --check only reports', async () => {
    const r = await run(bin, ['upgrade', '--check'], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Update available: buckaroo-table 0.0.1 → 0.0.2');
    expect((await run(bin, ['--version'], { env: env() })).stdout.trim()).toBe('0.0.1');
  });

  it('refuses a tampered tarball and the old binary keeps working', async () => {
    feed.tamper = true;
    try {
      const r = await run(bin, ['upgrade'], { env: env() });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('Checksum mismatch for buckaroo-table-0.0.2-linux-x64.tar.gz');
    } finally {
      feed.tamper = false;
    }
    expect((await run(bin, ['--version'], { env: env() })).stdout.trim()).toBe('0.0.1');
    expect(fs.readdirSync(path.dirname(bin))).toEqual(['buckaroo-table']);
  });

  it('upgrade installs 0.0.2 after verifying its checksum, keeping the server when asked', async () => {
    const before = textOf(await (await connect()).callTool({ name: 'buckaroo_diagnostics', arguments: {} }));
    expect(serverVersion(before)).toBe('0.0.1');
    // The person still has the table open: the old server must stay up (it would otherwise leave by itself once its
    // binary is replaced), so the next session has a stale server to replace.
    page = await openViewerPage(port, 'upgrade-e2e-page');
    const r = await run(bin, ['upgrade', '--keep-server'], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Checksum verified');
    expect(r.stdout).toContain('Installed buckaroo-table 0.0.2');
    expect((await run(bin, ['--version'], { env: env() })).stdout.trim()).toBe('0.0.2');
    // The old binary is kept as .old only until the new one has run --version.
    expect(fs.readdirSync(path.dirname(bin))).toEqual(['buckaroo-table']);
    expect(fs.statSync(bin).mode & 0o777).toBe(0o755);
  });

  it('a new MCP session replaces the stale 0.0.1 server and says so', async () => {
    const client = await connect();
    const shown = await show(client);
    expect(shown.version).toBe('0.0.2');
    expect(shown.status).toBe('replaced');
    expect(shown.text).toMatch(/Replaced data server 0\.0\.1 \(pid \d+/);
    expect(shown.text).not.toContain('Update available');
    await client.close();
    page?.destroy();
  });

  it('upgrade --to a version stops the stale data server it leaves behind', async () => {
    const health = (await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.json())) as { pid: number; version: string };
    expect(health.version).toBe('0.0.2');
    const r = await run(bin, ['upgrade', '--to', '0.0.1'], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Downgrading buckaroo-table 0.0.2 → 0.0.1');
    expect((await run(bin, ['--version'], { env: env() })).stdout.trim()).toBe('0.0.1');
    // Either upgrade stopped it, or the server saw its binary replaced and left first (its own stale check):
    // both end with no stale server; what must never happen is upgrade leaving it running.
    if (!r.stdout.includes(`Stopped the old data server 0.0.2 (pid ${health.pid})`)) expect(r.stdout).not.toContain('Left the data server');
    await waitUntil('the stale server to exit', () => !pidAlive(health.pid), 5_000);
  });

  it('upgrade stops its own hung server with the verified kill path, as stop does', async () => {
    const started = JSON.parse((await run(bin, ['ensure', '--json'], { env: env() })).stdout) as { pid: number; version: string };
    expect(started.version).toBe('0.0.1');
    process.kill(started.pid, 'SIGSTOP'); // hung: accepts connections, answers nothing
    try {
      const r = await run(bin, ['upgrade'], { env: env() });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('Installed buckaroo-table 0.0.2');
      expect(r.stdout).toMatch(new RegExp(`Stopped the old data server 0\\.0\\.1 \\(pid ${started.pid}\\), (stopped with SIGTERM|killed with SIGKILL)`));
      expect(r.stdout).not.toContain('Left the data server');
      await waitUntil('the hung server to be gone', () => !pidAlive(started.pid), 5_000);
    } finally {
      if (pidAlive(started.pid)) process.kill(started.pid, 'SIGKILL');
    }
  });

  afterAll(() => {
    // Servers that view_data started for this home are detached from us: stop them by their state file.
    try {
      const state = JSON.parse(fs.readFileSync(path.join(home, '.buckaroo', 'run', `server-${port}.json`), 'utf8')) as { pid: number };
      if (pidAlive(state.pid)) process.kill(state.pid, 'SIGKILL');
    } catch {
      /* none left */
    }
  });
});

describe('the update check never gets in the way', () => {
  /** A fresh MCP session from the 0.0.1 build with its own home, asking `url`. */
  async function session(url: string, prepare?: (home: string) => void): Promise<{ client: Client; home: string }> {
    const home = tempHome('bt-update-check-');
    prepare?.(home);
    const client = new Client({ name: 'buckaroo-table-update-check-test', version: '0.0.0' });
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, BUCKAROO_HOME: home, BUCKAROO_NO_BROWSER: '1', BUCKAROO_PORT: String(await freePort()), BUCKAROO_UPDATE_URL: url, ...LOOPBACK_FEED_ENV };
    await client.connect(new StdioClientTransport({ command: path.join(dist('0.0.1'), 'buckaroo-table'), args: ['mcp'], env, stderr: 'pipe' }));
    clients.push(client);
    return { client, home };
  }
  const diagnostics = async (client: Client): Promise<{ text: string; isError: boolean }> => {
    const r = await client.callTool({ name: 'buckaroo_diagnostics', arguments: {} });
    return { text: textOf(r), isError: r.isError === true };
  };
  /** Waits until the check has an answer, by asking diagnostics the way a person debugging would. */
  async function settledStatus(client: Client): Promise<string> {
    let text = '';
    await waitUntil('the update check to finish', async () => !(text = (await diagnostics(client)).text).includes('Update check: still running'), 8_000, 100);
    return text;
  }

  beforeAll(() => feed.publish('0.0.2'));

  it('handles a feed that is down', async () => {
    const { client, home } = await session(`http://127.0.0.1:${await freePort()}/releases/latest`);
    const text = await settledStatus(client);
    expect(text).toContain('Update check: failed (Could not reach the release feed');
    expect(text).not.toContain('Update available');
    expect(fs.readFileSync(path.join(home, 'logs', 'mcp.log'), 'utf8')).toContain('update check failed');
    await client.close();
  });

  it('handles a slow feed: tools answer at once while it waits, and it gives up after 2 s', async () => {
    feed.mode = 'slow';
    try {
      const { client } = await session(feed.latestUrl);
      // Right after start-up the 3 s answer is still outstanding, yet the tool answers.
      await new Promise((r) => setTimeout(r, 300));
      const early = await diagnostics(client);
      expect(early.isError).toBe(false);
      expect(early.text).toContain('Update check: still running');
      const text = await settledStatus(client);
      expect(text).toContain('did not answer within 2000 ms');
      expect(text).not.toContain('Update available');
      await client.close();
    } finally {
      feed.mode = 'ok';
    }
  });

  it('handles a feed returning garbage', async () => {
    feed.mode = 'garbage';
    try {
      const { client } = await session(feed.latestUrl);
      const text = await settledStatus(client);
      expect(text).toMatch(/Update check: failed \(.*(not a release|JSON)/);
      expect(text).not.toContain('Update available');
      await client.close();
    } finally {
      feed.mode = 'ok';
    }
  });

  it('handles a corrupt cache by asking the feed again and rewriting it', async () => {
    feed.publish('0.0.1');
    try {
      const { client, home } = await session(feed.latestUrl, (h) => fs.writeFileSync(path.join(h, 'update_check.json'), '{"checked_at": 12, garbage'));
      const text = await settledStatus(client);
      expect(text).toContain('Update check: up to date (latest release 0.0.1, via feed)');
      expect(text).not.toContain('Update available');
      expect(JSON.parse(fs.readFileSync(path.join(home, 'update_check.json'), 'utf8'))).toMatchObject({ latest: '0.0.1', source: feed.latestUrl });
      await client.close();
    } finally {
      feed.publish('0.0.2');
    }
  });

  it('asks nothing when CI is set or BUCKAROO_NO_UPDATE_CHECK=1', async () => {
    const before = feed.requests.length;
    for (const extra of [{ CI: 'true' }, { BUCKAROO_NO_UPDATE_CHECK: '1' }] as Record<string, string>[]) {
      const home = tempHome('bt-update-off-');
      const client = new Client({ name: 't', version: '0' });
      const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, BUCKAROO_HOME: home, BUCKAROO_PORT: String(await freePort()), BUCKAROO_UPDATE_URL: feed.latestUrl, ...LOOPBACK_FEED_ENV, ...extra };
      await client.connect(new StdioClientTransport({ command: path.join(dist('0.0.1'), 'buckaroo-table'), args: ['mcp'], env, stderr: 'pipe' }));
      clients.push(client);
      await new Promise((r) => setTimeout(r, 300));
      expect((await diagnostics(client)).text).toContain('Update check: off');
      await client.close();
    }
    expect(feed.requests.length).toBe(before);
  });
});

describe('a Homebrew-installed binary', () => {
  it('is told to run brew upgrade, and upgrade refuses_to_replace it', async () => {
    feed.publish('0.0.2');
    const home = tempHome('bt-brew-');
    const bin = path.join(work, 'homebrew', 'Cellar', 'buckaroo-table', '0.0.1', 'bin', 'buckaroo-table');
    fs.mkdirSync(path.dirname(bin), { recursive: true });
    fs.copyFileSync(path.join(dist('0.0.1'), 'buckaroo-table'), bin);
    fs.chmodSync(bin, 0o755);
    fs.mkdirSync(path.join(work, 'homebrew', 'bin'));
    fs.symlinkSync(bin, path.join(work, 'homebrew', 'bin', 'buckaroo-table'));
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, BUCKAROO_HOME: home, BUCKAROO_PORT: String(await freePort()), BUCKAROO_UPDATE_URL: feed.latestUrl, ...LOOPBACK_FEED_ENV };
    const client = new Client({ name: 'brew-test', version: '0' });
    await client.connect(new StdioClientTransport({ command: path.join(work, 'homebrew', 'bin', 'buckaroo-table'), args: ['mcp'], env, stderr: 'pipe' }));
    clients.push(client);
    await waitUntil('the update check to write its cache', () => fs.existsSync(path.join(home, 'update_check.json')), 10_000);
    const text = textOf(await client.callTool({ name: 'buckaroo_diagnostics', arguments: {} }));
    expect(text).toContain('Update available: buckaroo-table 0.0.1 → 0.0.2');
    expect(text).toContain('Run: brew upgrade buckaroo-table');
    await client.close();
    const r = await run(path.join(work, 'homebrew', 'bin', 'buckaroo-table'), ['upgrade'], { env });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('is managed by Homebrew; upgrade it with: brew upgrade buckaroo-table');
    expect((await run(bin, ['--version'], { env })).stdout.trim()).toBe('0.0.1');
  });
});
