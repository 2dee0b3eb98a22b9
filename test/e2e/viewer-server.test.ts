// The viewer's server side through the compiled binary: embedded assets reported and served with long cache
// headers, the page and landing HTML, the live event stream, and /load's browser_action for each case
// (the OS opener is never run here: tests set BUCKAROO_NO_BROWSER=1 or no_browser).

import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE, killStarted, readyPort, startServer, tempHome, testEnv, type StartedServer } from '../helpers/binary.ts';
import { loadFile } from '../helpers/browser.ts';
import { authHeaders, request } from '../helpers/http.ts';

let server: StartedServer;
let csv: string;

interface Asset {
  name: string;
  bytes: number;
  hash: string;
}

beforeAll(async () => {
  const dir = tempHome('bt-viewer-data-');
  csv = path.join(dir, 'tiny.csv');
  fs.writeFileSync(csv, 'a,b\n1,x\n2,y\n');
  server = await startServer();
});
afterAll(() => killStarted());

/** Opens the session's event stream and resolves with the first event; `next()` returns later ones in order. */
function openEvents(port: number, session: string | string[]): Promise<{ event: string; data: Record<string, unknown>; close(): void; headers: http.IncomingHttpHeaders; next(): Promise<string> }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: Array.isArray(session) ? `/api/events?${session.map((x) => `session=${x}`).join('&')}` : `/api/sessions/${session}/events`, headers: { host: `127.0.0.1:${port}`, ...authHeaders(port) }, agent: false }, (res) => {
      let buf = '';
      const queue: string[] = [];
      const waiters: ((block: string) => void)[] = [];
      let first = true;
      const next = (): Promise<string> => new Promise((r) => (queue.length > 0 ? r(queue.shift()!) : waiters.push(r)));
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        buf += c;
        for (let end = buf.indexOf('\n\n'); end !== -1; end = buf.indexOf('\n\n')) {
          const block = buf.slice(0, end);
          buf = buf.slice(end + 2);
          if (first) {
            first = false;
            const event = /^event: (.*)$/m.exec(block)?.[1] ?? '';
            const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? '{}') as Record<string, unknown>;
            resolve({ event, data, headers: res.headers, close: () => req.destroy(), next });
          } else if (waiters.length > 0) waiters.shift()!(block);
          else queue.push(block);
        }
      });
    });
    req.on('error', reject);
  });
}

describe('embedded viewer assets', () => {
  it('reports every asset with a size and hash in health and diagnostics', async () => {
    const health = (await request(server.port, '/health')).json<{ assets: Asset[] }>();
    expect(health.assets.length).toBeGreaterThanOrEqual(2);
    expect(health.assets.some((a) => a.name.endsWith('.js'))).toBe(true);
    expect(health.assets.some((a) => a.name.endsWith('.css'))).toBe(true);
    for (const a of health.assets) {
      expect(a.bytes, a.name).toBeGreaterThan(0);
      expect(a.hash, a.name).toMatch(/^[0-9a-f]{16}$/);
    }
    const diag = (await request(server.port, '/diagnostics')).json<{ assets: Asset[] }>();
    expect(diag.assets).toEqual(health.assets);
  });

  it('serves each asset byte for byte with year long cache headers', async () => {
    const { assets } = (await request(server.port, '/health')).json<{ assets: Asset[] }>();
    for (const a of assets) {
      const res = await fetch(`http://127.0.0.1:${server.port}/assets/${a.name}`);
      expect(res.status).toBe(200);
      const body = Buffer.from(await res.arrayBuffer());
      expect(body.length).toBe(a.bytes);
      expect(crypto.createHash('sha256').update(body).digest('hex').slice(0, 16)).toBe(a.hash);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(res.headers.get('content-type')).toMatch(a.name.endsWith('.js') ? /^text\/javascript/ : /^text\/css/);
    }
  });

  it('serves the assets from the web dir beside the bundle when run with node', async () => {
    const home = tempHome();
    const proc = spawn(process.execPath, [BUNDLE, 'server', '--port', '0'], { env: testEnv(home), stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const port = await readyPort(proc, { what: `node ${BUNDLE} server` });
      const { assets } = (await request(port, '/health')).json<{ assets: Asset[] }>();
      const fromBinary = (await request(server.port, '/health')).json<{ assets: Asset[] }>().assets;
      expect(assets).toEqual(fromBinary);
      const js = assets.find((a) => a.name.endsWith('.js'))!;
      const res = await fetch(`http://127.0.0.1:${port}/assets/${js.name}`);
      expect(Buffer.from(await res.arrayBuffer()).length).toBe(js.bytes);
    } finally {
      proc.kill('SIGKILL');
    }
  });

  it('answers 404 for names outside the manifest', async () => {
    expect((await request(server.port, '/assets/manifest.json')).status).toBe(404);
    expect((await request(server.port, '/assets/..%2F..%2Fetc%2Fpasswd')).status).toBe(404);
    expect((await request(server.port, '/assets/viewer-NOPE.js')).json()).toMatchObject({ error_code: 'E_NOT_FOUND' });
  });
});

describe('the page and landing html', () => {
  it('serves the session page uncached with its hashed assets', async () => {
    const res = await request(server.port, '/s/page-session-1');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    const { assets } = (await request(server.port, '/health')).json<{ assets: Asset[] }>();
    for (const a of assets) expect(res.body).toContain(`/assets/${a.name}`);
    expect(res.body).toContain('Connecting to the buckaroo-table server');
  });

  it('refuses a malformed session id', async () => {
    expect((await request(server.port, '/s/bad%20id')).status).toBe(400);
  });

  it('serves a landing page naming the version', async () => {
    const res = await request(server.port, '/');
    const { version } = (await request(server.port, '/health')).json<{ version: string }>();
    expect(res.status).toBe(200);
    expect(res.body).toContain(`buckaroo-table ${version}`);
    expect(res.body).toContain('view_data');
  });
});

describe('live events and browser_action', () => {
  it('greets a page with the server identity', async () => {
    const ev = await openEvents(server.port, 'events-session-1');
    expect(ev.headers['content-type']).toBe('text/event-stream');
    expect(ev.event).toBe('hello');
    expect(ev.data).toMatchObject({ session: 'events-session-1', pid: server.pid });
    expect(typeof ev.data.version).toBe('string');
    ev.close();
  });

  it('reports refreshed and sends loaded when a page of the session is connected', async () => {
    const ev = await openEvents(server.port, 'events-session-2');
    const blocks: string[] = [];
    const collected = (async () => {
      while (!blocks.some((b) => b.includes('event: loaded'))) blocks.push(await ev.next());
    })();
    const res = await loadFile(server.home, server.port, csv, 'events-session-2');
    expect(res.browser_action).toBe('refreshed');
    await collected;
    expect(blocks.map((b) => /^event: (.*)$/m.exec(b)?.[1])).toEqual(['loading', 'loaded']);
    expect(blocks[1]).toContain('tiny.csv');
    ev.close();
  });

  it('serves several sessions on one shared stream with each event tagged', async () => {
    const ev = await openEvents(server.port, ['shared-session-1', 'shared-session-2']);
    expect(ev.event).toBe('hello');
    expect(ev.data).toMatchObject({ sessions: ['shared-session-1', 'shared-session-2'], pid: server.pid });
    for (const session of ['shared-session-1', 'shared-session-2']) {
      expect((await loadFile(server.home, server.port, csv, session)).browser_action).toBe('refreshed');
    }
    const blocks = [await ev.next(), await ev.next(), await ev.next(), await ev.next()];
    const loaded = blocks.filter((b) => b.includes('event: loaded')).map((b) => JSON.parse(/^data: (.*)$/m.exec(b)![1]!) as { session: string; data: { path: string } });
    expect(loaded.map((l) => l.session)).toEqual(['shared-session-1', 'shared-session-2']);
    expect(loaded[0]!.data.path).toBe(csv);
    ev.close();
    expect((await request(server.port, '/api/events')).status).toBe(400);
    expect((await request(server.port, '/api/events?session=bad%20id')).status).toBe(400);
  });

  it('reports disabled without a page when the server may not open a browser', async () => {
    const res = await loadFile(server.home, server.port, csv, 'events-session-3');
    expect(res.browser_action).toBe('disabled');
    expect(res.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/s/events-session-3\\?link=[A-Za-z0-9_-]{32}$`));
  });

  it('reports skipped when the caller asks for no_browser', async () => {
    const state = JSON.parse(fs.readFileSync(path.join(server.home, 'run', `server-${server.port}.json`), 'utf8')) as { token: string };
    const res = await fetch(`http://127.0.0.1:${server.port}/load`, {
      method: 'POST',
      headers: { authorization: `Bearer ${state.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ path: csv, session: 'events-session-4', no_browser: true }),
    });
    expect(((await res.json()) as { browser_action: string }).browser_action).toBe('skipped');
  });

  it('runs the os opener with the view url and reports its failure', async () => {
    // A stand-in opener first on PATH (`xdg-open` on Linux, `open` on macOS): no real browser can start.
    const bin = tempHome('bt-fake-opener-');
    const log = path.join(bin, 'opened.txt');
    const script = (code: number) => `#!/bin/sh\necho "$@" >> '${log}'\necho 'no method available for opening' >&2\nexit ${code}\n`;
    for (const name of ['xdg-open', 'open']) fs.writeFileSync(path.join(bin, name), script(0), { mode: 0o755 });
    const s = await startServer({ env: { BUCKAROO_NO_BROWSER: '0', PATH: `${bin}:/usr/bin:/bin` } });
    const opened = await loadFile(s.home, s.port, csv, 'opener-session-1');
    expect(opened.browser_action).toBe('opened');
    // The opener (whose command line every local user can read) gets a private file that forwards to a link.
    const opened1 = fs.readFileSync(log, 'utf8').trim();
    expect(opened1).toMatch(new RegExp(`^file://${s.home}/run/open-[0-9a-f]+\\.html$`));
    const forward = fs.statSync(new URL(opened1));
    expect(forward.mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(new URL(opened1), 'utf8')).toMatch(new RegExp(`url=http://127\\.0\\.0\\.1:${s.port}/s/opener-session-1\\?link=[A-Za-z0-9_-]{32}"`));
    for (const name of ['xdg-open', 'open']) fs.writeFileSync(path.join(bin, name), script(3), { mode: 0o755 });
    const failed = await loadFile(s.home, s.port, csv, 'opener-session-2');
    expect(failed.browser_action).toBe('failed');
    expect(String(failed.browser_reason)).toMatch(/^(xdg-)?open exited with 3: no method available for opening; open the URL yourself$/);
    expect(failed.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${s.port}/s/opener-session-2\\?link=`));
  });

  it('forgets a page once its connection closes', async () => {
    const ev = await openEvents(server.port, 'events-session-5');
    ev.close();
    // The server notices the closed socket asynchronously; the load after it waits out the rejoin grace
    // (REJOIN_GRACE_MS) for a page that never comes back.
    let action = 'refreshed';
    for (let i = 0; i < 50 && action === 'refreshed'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      action = String((await loadFile(server.home, server.port, csv, 'events-session-5')).browser_action);
    }
    expect(action).toBe('disabled');
  });

  it('waits for a page whose stream dropped a moment ago and tells it again', async () => {
    // The tab holding the shared stream closed and another tab is taking it over, or the page is reloading:
    // no new tab for a session that is still on screen, and the returning page hears about the load.
    const first = await openEvents(server.port, 'events-session-6');
    first.close();
    await new Promise((r) => setTimeout(r, 100)); // the server has seen the socket close
    const t0 = Date.now();
    const pending = loadFile(server.home, server.port, csv, 'events-session-6');
    await new Promise((r) => setTimeout(r, 150));
    const again = await openEvents(server.port, 'events-session-6');
    expect(again.event).toBe('hello');
    const res = await pending;
    expect(res.browser_action).toBe('refreshed');
    expect(Date.now() - t0).toBeLessThan(1_400); // answered when the page came back, not at the grace's end
    const blocks: string[] = [];
    while (!blocks.some((b) => b.includes('event: loaded'))) blocks.push(await again.next());
    expect(blocks.at(-1)).toContain('tiny.csv');
    again.close();
  });
});
