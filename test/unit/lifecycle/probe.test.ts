import { describe, expect, it } from 'vitest';
import { classifyHealth } from '../../../src/lifecycle/probe.ts';

const ok = { status: 'ok', version: '1.2.0', protocol: 1, pid: 42, started: 'x', uptime_s: 1, port: 9, exe: '/bt' };
const ans = (body: unknown, status = 200) => ({ status, contentType: 'application/json', body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('classifyHealth', () => {
  it('recognises our own server', () => {
    expect(classifyHealth(9, ans(ok)).kind).toBe('ours');
  });
  it('handles old style servers without version or protocol', () => {
    expect(classifyHealth(9, ans({ status: 'ok', pid: 7 }))).toMatchObject({ kind: 'old-style', pid: 7 });
    const { protocol: _p, ...noProtocol } = ok;
    expect(classifyHealth(9, ans(noProtocol)).kind).toBe('old-style');
  });
  it('handles foreign answers', () => {
    expect(classifyHealth(9, ans('<html>hi</html>')).kind).toBe('foreign');
    expect(classifyHealth(9, ans({ hello: 'world' })).kind).toBe('foreign');
    expect(classifyHealth(9, ans([1, 2])).kind).toBe('foreign');
    expect(classifyHealth(9, ans(ok, 500)).kind).toBe('foreign');
  });
});
