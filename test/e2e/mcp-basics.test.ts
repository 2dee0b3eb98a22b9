// MCP mode through the SDK's own client, spawning the compiled binary over stdio.

import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BINARY, freePort, killStarted, startServer, tempHome, testEnv } from '../helpers/binary.ts';

afterEach(() => killStarted());

async function connect(env: Record<string, string>): Promise<Client> {
  const client = new Client({ name: 'buckaroo-table-tests', version: '0.0.0' });
  await client.connect(new StdioClientTransport({ command: BINARY, args: ['mcp'], env, stderr: 'pipe' }));
  return client;
}

const textOf = (r: object): string =>
  (((r as { content?: unknown }).content as { type: string; text?: string }[] | undefined) ?? []).map((c) => c.text ?? '').join('\n');

describe('MCP mode', () => {
  it('initializes, lists its tools and prompts, and logs only to mcp.log', async () => {
    const home = tempHome();
    const client = await connect(testEnv(home, { BUCKAROO_PORT: String(await freePort()) }));
    expect(client.getServerVersion()?.name).toBe('buckaroo-table');
    expect(client.getInstructions()).toContain('view_data');
    const tools = (await client.listTools()).tools.map((t) => t.name);
    expect(tools).toContain('buckaroo_diagnostics');
    const prompts = (await client.listPrompts()).prompts.map((p) => p.name);
    expect(prompts).toContain('view');
    const prompt = await client.getPrompt({ name: 'view', arguments: { path: 'data.csv' } });
    expect(JSON.stringify(prompt.messages)).toContain('view_data');
    await client.close();
    expect(fs.readFileSync(path.join(home, 'logs', 'mcp.log'), 'utf8')).toContain('started');
  });

  it('buckaroo_diagnostics says when no server is running', async () => {
    const port = await freePort();
    const client = await connect(testEnv(tempHome(), { BUCKAROO_PORT: String(port) }));
    const r = await client.callTool({ name: 'buckaroo_diagnostics', arguments: {} });
    expect(r.isError).toBeFalsy();
    expect(textOf(r)).toContain(`No server is running on port ${port}`);
    await client.close();
  });

  it('buckaroo_diagnostics reports a running server and its DuckDB', async () => {
    const s = await startServer();
    const client = await connect(testEnv(s.home, { BUCKAROO_PORT: String(s.port) }));
    const r = await client.callTool({ name: 'buckaroo_diagnostics', arguments: {} });
    const text = textOf(r);
    expect(text).toContain(`pid ${s.pid}`);
    expect(text).toContain('"duckdb"');
    await client.close();
  });
});
