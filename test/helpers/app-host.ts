// Node side of the MCP Apps host harness (see app-host-page.ts): bundles the host page with esbuild, serves it
// from 127.0.0.1, opens it in Chromium and proxies every app tool call through a real SDK Client on the
// compiled binary. Every request the browser makes is recorded, so a test can show the app made none.

import * as esbuild from 'esbuild';
import http from 'node:http';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import type { Frame, Page } from 'playwright-core';
import { launchChromium, type LaunchedBrowser } from './browser.ts';
import type { InstanceLog, MountSpec } from './app-host-page.ts';

export interface ToolCallRecord {
  instance: string;
  name: string;
  arguments: Record<string, unknown>;
  /** When the page asked (harness clock, ms) and how long the SDK client took to answer. */
  at: number;
  ms: number;
}

export interface AppHost {
  page: Page;
  /** Every URL the browser requested, the host page's own included. */
  requests: string[];
  /** URLs of the host page itself (the page and its script); anything else came from an app. */
  hostUrls: string[];
  toolCalls: ToolCallRecord[];
  /** Mounts an app instance (an iframe) fed with view_data's input and result; resolves once both are sent. */
  mount(id: string, spec: MountSpec): Promise<Frame>;
  setContext(id: string, change: MountSpec['hostContext']): Promise<void>;
  log(id: string): Promise<InstanceLog>;
  close(): Promise<void>;
}

async function bundleHostPage(): Promise<string> {
  const out = await esbuild.build({
    entryPoints: [path.join(import.meta.dirname, 'app-host-page.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'warning',
  });
  return out.outputFiles[0]!.text;
}

function serve(js: string): Promise<{ url: string; server: http.Server }> {
  const page = '<!doctype html><html><head><meta charset="utf-8"><title>MCP Apps host harness</title></head><body><script type="module" src="/host.js"></script></body></html>';
  const server = http.createServer((req, res) => {
    if (req.url === '/host.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
    else if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html' }).end(page);
    else res.writeHead(404).end();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server })));
}

export async function openAppHost(client: Client, opts: { width?: number; height?: number } = {}): Promise<AppHost> {
  const [js, browser] = await Promise.all([bundleHostPage(), launchChromium({ width: opts.width ?? 1000, height: opts.height ?? 900 })]);
  const { url, server } = await serve(js);
  let launched: LaunchedBrowser | undefined = browser;
  const requests: string[] = [];
  const toolCalls: ToolCallRecord[] = [];
  browser.context.on('request', (r) => requests.push(r.url()));
  const page = await browser.context.newPage();
  await page.exposeFunction('hostCallTool', async (instance: string, params: { name: string; arguments?: Record<string, unknown> }) => {
    const at = performance.now();
    const result = await client.callTool({ name: params.name, arguments: params.arguments ?? {} });
    toolCalls.push({ instance, name: params.name, arguments: params.arguments ?? {}, at, ms: performance.now() - at });
    return result;
  });
  await page.goto(`${url}/`);
  await page.waitForFunction(() => typeof window.harness === 'object');
  return {
    page,
    requests,
    hostUrls: [`${url}/`, `${url}/host.js`],
    toolCalls,
    async mount(id, spec) {
      // The spec crosses into the page as JSON; typed here, not through playwright's deep serialisable types.
      const json = JSON.stringify(spec);
      await page.evaluate(([i, s]) => window.harness.mount(i, JSON.parse(s) as MountSpec), [id, json] as const);
      const frame = await (await page.$(`#${id}`))!.contentFrame();
      if (!frame) throw new Error(`app instance ${id} has no frame`);
      return frame;
    },
    async setContext(id, change) {
      await page.evaluate(([i, c]) => window.harness.setContext(i, JSON.parse(c) as MountSpec['hostContext']), [id, JSON.stringify(change)] as const);
    },
    log: (id) => page.evaluate((i) => window.harness.log(i), id),
    async close() {
      await launched?.close();
      launched = undefined;
      await new Promise((r) => server.close(r));
    },
  };
}
