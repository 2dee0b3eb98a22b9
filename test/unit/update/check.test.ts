// The background check's use of the cache and the feed, in-process against a feed on 127.0.0.1.

import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/log.ts';
import { createUpdateCheck } from '../../../src/update/check.ts';
import { tempHome } from '../../helpers/binary.ts';

let server: http.Server;
let url: string;
let hits = 0;
const release = { tag_name: 'v0.4.0', assets: [] };

beforeAll(async () => {
  server = http.createServer((_req, res) => {
    hits++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(release));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/releases/latest`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const check = (home: string, current: string) =>
  createUpdateCheck({ env: { BUCKAROO_HOME: home, BUCKAROO_UPDATE_URL: url, BUCKAROO_UPDATE_ALLOW_LOOPBACK: '1' }, log: silentLogger, current, installMethod: 'standalone' });

describe('the background update check', () => {
  it('asks the feed when there is no cache, writes one, and offers the newer version', async () => {
    const home = tempHome();
    const before = hits;
    const c = check(home, '0.3.0');
    expect(c.noticeLines()).toEqual([]); // nothing before it ran
    await c.start();
    expect(hits).toBe(before + 1);
    expect(c.noticeLines()).toEqual(['Update available: buckaroo-table 0.3.0 → 0.4.0', 'Run: buckaroo-table upgrade']);
    const cache = JSON.parse(fs.readFileSync(path.join(home, 'update_check.json'), 'utf8'));
    expect(cache).toMatchObject({ latest: '0.4.0', source: url });
  });

  it('answers from a fresh cache without asking the feed, once per process', async () => {
    const home = tempHome();
    fs.writeFileSync(path.join(home, 'update_check.json'), JSON.stringify({ checked_at: new Date().toISOString(), latest: '0.5.0', source: url }));
    const before = hits;
    const c = check(home, '0.3.0');
    await Promise.all([c.start(), c.start()]);
    await c.start();
    expect(hits).toBe(before);
    expect(c.statusLine()).toBe('Update check: 0.5.0 is available (checked via cache).');
  });

  it('says nothing when up to date, and keeps the answer when the cache cannot be written', async () => {
    const home = tempHome();
    fs.mkdirSync(path.join(home, 'update_check.json')); // a directory where the file should go
    const c = check(home, '0.4.0');
    await c.start();
    expect(c.noticeLines()).toEqual([]);
    expect(c.statusLine()).toBe('Update check: up to date (latest release 0.4.0, via feed).');
  });
});
