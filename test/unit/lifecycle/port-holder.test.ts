import { describe, expect, it } from 'vitest';
import net from 'node:net';
import { listeningInodes, portIsFree } from '../../../src/lifecycle/port-holder.ts';

describe('listeningInodes', () => {
  it('finds LISTEN sockets for the port in /proc/net/tcp', () => {
    const text = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0100007F:268E 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 12345 1 0000000000000000 100 0 0 10 0',
      '   1: 0100007F:268E 0100007F:D431 01 00000000:00000000 00:00000000 00000000  1000        0 23456 1 0000000000000000 20 4 30 10 -1',
      '   2: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 34567 1 0000000000000000 100 0 0 10 0',
    ].join('\n');
    expect(listeningInodes(text, 9870)).toEqual(['12345']);
    expect(listeningInodes(text, 8080)).toEqual(['34567']);
    expect(listeningInodes(text, 9999)).toEqual([]);
  });
});

describe('portIsFree the Windows way (bind, not connect: a refused connect takes ~2 s there)', () => {
  it('says taken while something listens and free once it has closed', async () => {
    const srv = net.createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const { port } = srv.address() as net.AddressInfo;
    expect(await portIsFree(port, 'win32')).toBe(false);
    await new Promise<void>((r) => srv.close(() => r()));
    expect(await portIsFree(port, 'win32')).toBe(true);
  });
});
