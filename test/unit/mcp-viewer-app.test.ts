import type { McpServer, ServerContext } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import type { EnsureResult } from '../../src/lifecycle/ensure-server.ts';
import { createDataServerLink } from '../../src/mcp/data-server.ts';
import { clientCapabilities, hideAppOnlyToolsPerRequest, rendersApps } from '../../src/mcp/viewer-app.ts';

const APPS = { extensions: { 'io.modelcontextprotocol/ui': { mimeTypes: ['text/html;profile=mcp-app'] } } };

describe('whether the client renders MCP Apps', () => {
  it('needs the UI extension with the MCP App MIME type', () => {
    expect(rendersApps(APPS)).toBe(true);
    expect(rendersApps({ extensions: { 'io.modelcontextprotocol/ui': { mimeTypes: ['text/html'] } } })).toBe(false);
    expect(rendersApps({ extensions: { 'io.modelcontextprotocol/ui': {} } })).toBe(false);
    expect(rendersApps({})).toBe(false);
    expect(rendersApps(undefined)).toBe(false);
  });

  it('reads the request envelope first (2026-07-28), then what initialize declared (2025)', () => {
    const server = { server: { getClientCapabilities: () => ({}) } } as unknown as McpServer;
    const modern = { mcpReq: { envelope: { 'io.modelcontextprotocol/clientCapabilities': APPS } } } as unknown as ServerContext;
    const legacy = { mcpReq: {} } as unknown as ServerContext;
    expect(clientCapabilities(modern, server)).toBe(APPS);
    expect(clientCapabilities(legacy, server)).toEqual({});
  });
});

describe('the app-only tools in a 2026-07-28 tools/list', () => {
  /** A stand-in for McpServer's inner Server: the stored tools/list handler and the one set in its place. */
  function fakeServer(withAccessor: boolean) {
    const tools = [{ name: 'view_data' }, { name: 'viewer_rows' }];
    let installed: ((req: unknown, ctx: ServerContext) => Promise<{ tools: { name: string }[] }>) | undefined;
    const inner = {
      getClientCapabilities: () => undefined,
      setRequestHandler: (_m: string, h: typeof installed) => (installed = h),
      ...(withAccessor ? { _getRequestHandler: () => async () => ({ tools }) } : {}),
    };
    return { server: { server: inner } as unknown as McpServer, list: (ctx: ServerContext) => installed!({}, ctx) };
  }
  const ctxWith = (caps: unknown) => ({ mcpReq: { envelope: { 'io.modelcontextprotocol/clientCapabilities': caps } } }) as unknown as ServerContext;

  it('leaves them out for a client whose request does not advertise the UI extension, and lists them otherwise', async () => {
    const f = fakeServer(true);
    expect(hideAppOnlyToolsPerRequest(f.server, ['viewer_rows'])).toBe(true);
    expect((await f.list(ctxWith({}))).tools.map((t) => t.name)).toEqual(['view_data']);
    expect((await f.list(ctxWith(APPS))).tools.map((t) => t.name)).toEqual(['view_data', 'viewer_rows']);
  });

  it('changes nothing when the SDK has no stored handler to wrap', () => {
    expect(hideAppOnlyToolsPerRequest(fakeServer(false).server, ['viewer_rows'])).toBe(false);
  });
});

describe('the data server link', () => {
  const server = (pid: number): EnsureResult => ({ status: 'reused', pid, version: '0.1.0', port: 9870, token: 't', ms: 1 });

  it('ensures once, reuses what view_data remembered, and ensures again once forgotten or failed', async () => {
    let calls = 0;
    let fail = true;
    const link = createDataServerLink(async () => {
      calls++;
      if (fail) throw new Error('no server');
      return server(calls);
    });
    await expect(link.get()).rejects.toThrow('no server');
    fail = false;
    expect((await link.get()).pid).toBe(2);
    expect((await link.get()).pid).toBe(2);
    link.remember(server(42));
    expect((await link.get()).pid).toBe(42);
    link.forget();
    expect((await link.get()).pid).toBe(3);
  });
});
