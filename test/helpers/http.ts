// Raw node:http requests for tests: fetch cannot send a custom Host header over real HTTP.

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { madeTempHomes } from './binary.ts';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  json<T = Record<string, unknown>>(): T;
}

/**
 * The bearer token of the server on `port`, from its state file in one of this run's temp homes: the data
 * routes need it (or the browser cookie). Undefined when no test home has a server there.
 */
export function tokenFor(port: number): string | undefined {
  // A temp dir is BUCKAROO_HOME itself, or HOME with the default ~/.buckaroo under it.
  for (const home of madeTempHomes().flatMap((d) => [d, path.join(d, '.buckaroo')])) {
    try {
      return (JSON.parse(fs.readFileSync(path.join(home, 'run', `server-${port}.json`), 'utf8')) as { token: string }).token;
    } catch {
      /* not this home */
    }
  }
  return undefined;
}

/** `Authorization: Bearer …` for the server on `port`, or nothing when its token is unknown. */
export function authHeaders(port: number): Record<string, string> {
  const token = tokenFor(port);
  return token ? { authorization: `Bearer ${token}` } : {};
}

/** A request as the MCP side makes it (with the server's token), or `anonymous` as any other local process. */
export function request(
  port: number,
  pathname: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string; timeoutMs?: number; anonymous?: boolean } = {},
): Promise<RawResponse> {
  const auth = opts.anonymous ? {} : authHeaders(port);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: pathname, method: opts.method ?? 'GET', headers: { host: `127.0.0.1:${port}`, ...auth, ...opts.headers }, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: <T>() => JSON.parse(body) as T });
        });
      },
    );
    req.setTimeout(opts.timeoutMs ?? 10_000, () => req.destroy(new Error(`request ${pathname} timed out`)));
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}
