// A release feed on 127.0.0.1 for upgrade tests: serves GitHub-style release objects made by
// scripts/release.ts (`release.json`) and their files, and can be told to fail in the ways a real feed does.

import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import path from 'node:path';

export type FeedMode = 'ok' | 'slow' | 'garbage' | 'http-500';

export interface ReleaseFeed {
  port: number;
  /** BUCKAROO_UPDATE_URL for this feed. */
  latestUrl: string;
  /** The base URL release files of `version` are served from (BUCKAROO_RELEASE_BASE_URL for that release). */
  baseUrl(version: string): string;
  /** Serve `<releaseDir>/release.json` and its files as version `version`. */
  add(version: string, releaseDir: string): void;
  /** Which version /releases/latest names. */
  publish(version: string): void;
  mode: FeedMode;
  /** Flip bytes in served tarballs (SHA256SUMS stays the real one). */
  tamper: boolean;
  /** How long 'slow' waits before answering. */
  slowMs: number;
  requests: string[];
  close(): Promise<void>;
}

export async function startReleaseFeed(): Promise<ReleaseFeed> {
  const dirs = new Map<string, string>();
  let latest: string | undefined;
  const sockets = new Set<net.Socket>();
  const feed: ReleaseFeed = {
    port: 0,
    latestUrl: '',
    baseUrl: (v) => `http://127.0.0.1:${feed.port}/download/v${v}`,
    add: (v, dir) => void dirs.set(v, dir),
    publish: (v) => void (latest = v),
    mode: 'ok',
    tamper: false,
    slowMs: 3_000,
    requests: [],
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };

  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    feed.requests.push(url);
    const send = (status: number, body: string | Buffer, type = 'application/json'): void => {
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
      res.end(body);
    };
    const answerRelease = (version: string | undefined): void => {
      const dir = version && dirs.get(version);
      if (!dir) return send(404, JSON.stringify({ message: 'Not Found' }));
      if (feed.mode === 'garbage') return send(200, '<html><body>rate limited, try later</body></html>', 'text/html');
      if (feed.mode === 'http-500') return send(500, JSON.stringify({ message: 'boom' }));
      const body = fs.readFileSync(path.join(dir, 'release.json'));
      if (feed.mode === 'slow') {
        setTimeout(() => send(200, body), feed.slowMs);
        return;
      }
      send(200, body);
    };
    if (url === '/releases/latest') return answerRelease(latest);
    const tag = /^\/releases\/tags\/v([^/]+)$/.exec(url);
    if (tag) return answerRelease(tag[1]);
    const dl = /^\/download\/v([^/]+)\/([^/]+)$/.exec(url);
    const dir = dl ? dirs.get(dl[1]!) : undefined;
    if (dl && dir && fs.existsSync(path.join(dir, dl[2]!))) {
      let data = fs.readFileSync(path.join(dir, dl[2]!));
      if (feed.tamper && dl[2]!.endsWith('.tar.gz')) {
        data = Buffer.from(data);
        for (let i = 1000; i < data.length; i += 1_000_000) data[i] = data[i]! ^ 0xff;
      }
      return send(200, data, 'application/octet-stream');
    }
    send(404, JSON.stringify({ message: 'Not Found' }));
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  feed.port = (server.address() as net.AddressInfo).port;
  feed.latestUrl = `http://127.0.0.1:${feed.port}/releases/latest`;
  return feed;
}
