// requestLocal against real sockets on 127.0.0.1: an answer, a peer that never answers, and nobody listening.

import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { requestLocal } from '../../../src/lifecycle/local-request.ts';

const servers: net.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

async function listen(server: net.Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return (server.address() as net.AddressInfo).port;
}

describe('requestLocal', () => {
  it('handles an answer: status, content type and the whole body', async () => {
    const port = await listen(http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}')));
    expect(await requestLocal(port, { method: 'GET', path: '/health', timeoutMs: 2_000, readBody: true })).toEqual({
      status: 200,
      contentType: 'application/json',
      body: '{"status":"ok"}',
    });
  });
  it('handles a peer that accepts the connection but never answers by giving up at the deadline', async () => {
    const held: net.Socket[] = [];
    const server = net.createServer((sock) => void held.push(sock));
    const port = await listen(server);
    const t0 = Date.now();
    expect(await requestLocal(port, { method: 'POST', path: '/shutdown', timeoutMs: 200, readBody: false })).toBe('timeout');
    expect(Date.now() - t0).toBeLessThan(2_000);
    for (const s of held) s.destroy();
  });
  it('handles nobody listening as unreachable', async () => {
    const port = await listen(net.createServer());
    await new Promise((r) => servers.pop()!.close(r));
    expect(await requestLocal(port, { method: 'GET', path: '/health', timeoutMs: 2_000, readBody: true })).toBe('unreachable');
  });
});
