// Issue 14, item 1, through the compiled binary: the session id is no credential. Data needs the bearer token
// or the browser cookie a single-use link hands out; another local user (uid 65534 via setpriv) who sees the
// opener's command line, or a used link, or the session id, reads nothing; a restarted server reloads a
// session only for a credentialed request; the registry trusts only fresh, private entries of ours.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killStarted, startServer, tempHome, waitForExit, type StartedServer } from '../helpers/binary.ts';
import { loadFile } from '../helpers/browser.ts';
import { request } from '../helpers/http.ts';
import { asNobody, NOBODY_SKIP_REASON, canRunAsNobody, openToNobody } from '../helpers/other-user.ts';

const SECRET = 'secret_column\nthe-payload-only-root-may-read\n';

let server: StartedServer;
let dataDir: string;
let secretCsv: string;

beforeAll(async () => {
  dataDir = tempHome('bt-sec-data-');
  secretCsv = path.join(dataDir, 'secret.csv');
  fs.writeFileSync(secretCsv, SECRET, { mode: 0o600 });
  server = await startServer();
});
afterAll(() => killStarted());

const DATA_ROUTES = (s: string): string[] => [`/api/sessions/${s}/rows`, `/api/sessions/${s}/stats`, `/api/sessions/${s}/meta`, `/api/sessions/${s}/events`, `/api/events?session=${s}`];

describe('the data routes', () => {
  it('refuses every data route without the token or the cookie', async () => {
    await loadFile(server.home, server.port, secretCsv, 'sec-routes-1');
    for (const route of DATA_ROUTES('sec-routes-1')) {
      const res = await request(server.port, route, { anonymous: true });
      expect(res.status, route).toBe(401);
      expect(res.json(), route).toMatchObject({ error_code: 'E_UNAUTHORIZED' });
      expect(res.body).not.toContain('the-payload');
    }
    // A route nobody has written yet is protected too: the check runs before routing, by default.
    expect((await request(server.port, '/api/sessions/sec-routes-1/query', { anonymous: true })).status).toBe(401);
    expect((await request(server.port, '/api/sessions/sec-routes-1/rows')).json()).toMatchObject({ rows: [['the-payload-only-root-may-read']] });
    // What says nothing about any file stays open: liveness, install checks, the page's own code.
    for (const open of ['/health', '/diagnostics', '/']) expect((await request(server.port, open, { anonymous: true })).status, open).toBe(200);
  });

  it('answers the page without a credential with a page saying how to reopen', async () => {
    const res = await request(server.port, '/s/sec-routes-1', { anonymous: true });
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('buckaroo-table view &lt;file&gt;');
    expect(res.body).not.toContain('bt-session');
  });

  it('trades a link once for an httponly samesite strict cookie', async () => {
    const answer = await loadFile(server.home, server.port, secretCsv, 'sec-link-1');
    const link = new URL(String(answer.url));
    const first = await request(server.port, link.pathname + link.search, { anonymous: true });
    expect(first.status).toBe(200);
    const setCookie = String(first.headers['set-cookie']);
    expect(setCookie).toMatch(new RegExp(`^buckaroo_table_${server.port}=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Strict$`));
    expect(first.body).toContain('url=/s/sec-link-1');
    const cookie = setCookie.split(';')[0]!;
    expect((await request(server.port, '/api/sessions/sec-link-1/rows', { anonymous: true, headers: { cookie } })).status).toBe(200);
    expect((await request(server.port, '/s/sec-link-1', { anonymous: true, headers: { cookie } })).body).toContain('name="bt-session" content="sec-link-1"');
    // The same link again, from anyone without the cookie: refused, and the page says what happened.
    const again = await request(server.port, link.pathname + link.search, { anonymous: true });
    expect(again.status).toBe(401);
    expect(again.headers['set-cookie']).toBeUndefined();
    expect(again.body).toContain('This link was already used');
    expect(again.body).toContain('buckaroo-table view &lt;file&gt;');
    // A link is bound to its session, and a made-up one opens nothing.
    expect((await request(server.port, `/s/sec-routes-1${link.search}`, { anonymous: true })).status).toBe(401);
    expect((await request(server.port, '/s/sec-link-1?link=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', { anonymous: true })).body).toContain('not valid on this server');
  });

  it.runIf(canRunAsNobody())('keeps_another_local_user_who_reads_the_process_list_out', async () => {
    // The opener's command line is what `ps` shows every user; a stand-in opener records it.
    const bin = tempHome('bt-sec-opener-');
    const seen = path.join(bin, 'argv.txt');
    fs.writeFileSync(path.join(bin, 'xdg-open'), `#!/bin/sh\necho "$@" >> '${seen}'\n`, { mode: 0o755 });
    const s = await startServer({ env: { BUCKAROO_NO_BROWSER: '0', PATH: `${bin}:/usr/bin:/bin` } });
    openToNobody(s.home); // even with BUCKAROO_HOME itself open to others, run/ and the file in it stay private
    const answer = await loadFile(s.home, s.port, secretCsv, 'sec-ps-1');
    expect(answer.browser_action).toBe('opened');
    const argv = fs.readFileSync(seen, 'utf8').trim();
    expect(argv).toMatch(/^file:\/\/.*\/run\/open-[0-9a-f]+\.html$/);
    expect(argv).not.toContain('sec-ps-1');
    // The file behind it is ours alone.
    const readIt = asNobody('cat', [new URL(argv).pathname]);
    expect(readIt.status).not.toBe(0);
    expect(readIt.stdout).toBe('');
    // Even knowing the session id (the old URL), another user gets no rows, stats, meta, events or page.
    for (const route of [...DATA_ROUTES('sec-ps-1'), '/s/sec-ps-1']) {
      const r = asNobody('curl', ['-s', '-m', '5', '-w', '\n%{http_code}', `http://127.0.0.1:${s.port}${route}`]);
      expect(r.stdout.trim().split('\n').at(-1), route).toBe('401');
      expect(r.stdout).not.toContain('the-payload');
    }
    // The agent's link, once the person has opened it, is worthless to anyone else.
    const link = String(answer.url);
    expect((await request(s.port, new URL(link).pathname + new URL(link).search, { anonymous: true })).status).toBe(200);
    const late = asNobody('curl', ['-s', '-m', '5', '-D', '-', '-o', '/dev/null', '-w', '\n%{http_code}', link]);
    expect(late.stdout.trim().split('\n').at(-1)).toBe('401');
    expect(late.stdout.toLowerCase()).not.toContain('set-cookie');
  });
  it.skipIf(canRunAsNobody())(`keeps_another_local_user_who_reads_the_process_list_out (skipped: ${NOBODY_SKIP_REASON})`, () => {});
});

describe('the session registry', () => {
  it('reloads a session after a restart only for a credentialed request', async () => {
    const home = tempHome();
    const first = await startServer({ home });
    await loadFile(home, first.port, secretCsv, 'sec-restart-1');
    first.kill('SIGKILL');
    await waitForExit(first.proc, 5_000);
    const second = await startServer({ home, args: ['--port', String(first.port)] });
    const anonymous = await request(second.port, '/api/sessions/sec-restart-1/rows', { anonymous: true });
    expect(anonymous.status).toBe(401);
    const log = fs.readFileSync(path.join(home, 'logs', 'server.log'), 'utf8');
    expect(log).not.toContain('reloading session from registry');
    expect((await request(second.port, '/api/sessions/sec-restart-1/rows')).json()).toMatchObject({ rows: [['the-payload-only-root-may-read']] });
  });

  it('ignores entries that are not private files of ours or are stale', async () => {
    const s = await startServer();
    const sessions = path.join(s.home, 'sessions');
    fs.mkdirSync(sessions, { recursive: true, mode: 0o700 });
    const entry = (session: string, updated = new Date().toISOString()): string => JSON.stringify({ session, path: secretCsv, updated });
    const plant = (session: string, content: string, mode = 0o600): string => {
      const file = path.join(sessions, `${session}.json`);
      fs.writeFileSync(file, content, { mode });
      fs.chmodSync(file, mode);
      return file;
    };
    plant('sec-loose-entry', entry('sec-loose-entry'), 0o644);
    if (canRunAsNobody()) fs.chownSync(plant('sec-foreign-entry', entry('sec-foreign-entry')), 65534, 65534);
    const target = path.join(dataDir, 'elsewhere.json');
    fs.writeFileSync(target, entry('sec-symlink-entry'), { mode: 0o600 });
    fs.symlinkSync(target, path.join(sessions, 'sec-symlink-entry.json'));
    plant('sec-stale-entry', entry('sec-stale-entry', new Date(Date.now() - 8 * 24 * 3600_000).toISOString()));
    plant('sec-good-entry', entry('sec-good-entry'));
    for (const session of ['sec-loose-entry', 'sec-foreign-entry', 'sec-symlink-entry', 'sec-stale-entry']) {
      const r = await request(s.port, `/api/sessions/${session}/rows`);
      expect(r.status, session).toBe(404);
      expect(r.json(), session).toMatchObject({ error_code: 'E_UNKNOWN_SESSION' });
    }
    expect(fs.existsSync(path.join(sessions, 'sec-stale-entry.json'))).toBe(false);
    expect((await request(s.port, '/api/sessions/sec-good-entry/rows')).status).toBe(200);
  });
});
