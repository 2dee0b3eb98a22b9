// Config edits of install-mcp: JSON and TOML, idempotent, keeping everything else as it was.

import path from 'node:path';
import { parse } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import { clientSpec } from '../../src/install/clients.ts';
import { upsertJsonServer } from '../../src/install/json-config.ts';
import { upsertTomlServer } from '../../src/install/toml-config.ts';

const BIN = '/home/me/.local/bin/buckaroo-table';

describe('JSON configs', () => {
  it('creates the file content when there is none', () => {
    const r = upsertJsonServer(undefined, 'mcpServers', 'buckaroo-table', { command: BIN, args: ['mcp'] });
    expect(r.change).toBe('added');
    expect(JSON.parse(r.text)).toEqual({ mcpServers: { 'buckaroo-table': { command: BIN, args: ['mcp'] } } });
  });
  it('keeps other servers and keys, and our entry’s extra fields', () => {
    const original = JSON.stringify({ theme: 'dark', mcpServers: { other: { command: 'x' }, 'buckaroo-table': { command: '/old', args: ['mcp'], env: { A: '1' } } } }, null, 4);
    const r = upsertJsonServer(original, 'mcpServers', 'buckaroo-table', { command: BIN, args: ['mcp'] });
    expect(r.change).toBe('updated');
    const j = JSON.parse(r.text);
    expect(j.theme).toBe('dark');
    expect(j.mcpServers.other).toEqual({ command: 'x' });
    expect(j.mcpServers['buckaroo-table']).toEqual({ command: BIN, args: ['mcp'], env: { A: '1' } });
    expect(r.text).toContain('\n    "theme"'); // the file's own 4-space indent
  });
  it('is idempotent', () => {
    const first = upsertJsonServer('{}', 'servers', 'buckaroo-table', { type: 'stdio', command: BIN, args: ['mcp'] });
    const second = upsertJsonServer(first.text, 'servers', 'buckaroo-table', { type: 'stdio', command: BIN, args: ['mcp'] });
    expect(second.change).toBe('unchanged');
    expect(second.text).toBe(first.text);
  });
  it('edits vscode jsonc in place keeping comments and trailing commas', () => {
    const original = '// my servers\n{\n  // the one I use\n  "servers": {\n    "other": { "type": "stdio", "command": "x", }, // keep me\n  },\n  "inputs": [],\n}\n';
    const r = upsertJsonServer(original, 'servers', 'buckaroo-table', { type: 'stdio', command: BIN, args: ['mcp'] });
    expect(r.change).toBe('added');
    // jsonc-parser re-lays out the neighbour it inserts next to (as VS Code does), but no comment is lost.
    for (const kept of ['// my servers', '// the one I use', '// keep me', '"inputs": [],']) expect(r.text).toContain(kept);
    expect(parse(r.text)).toEqual({ servers: { other: { type: 'stdio', command: 'x' }, 'buckaroo-table': { type: 'stdio', command: BIN, args: ['mcp'] } }, inputs: [] });
    const again = upsertJsonServer(r.text, 'servers', 'buckaroo-table', { type: 'stdio', command: BIN, args: ['mcp'] });
    expect(again.change).toBe('unchanged');
    const moved = upsertJsonServer(r.text, 'servers', 'buckaroo-table', { type: 'stdio', command: '/new/path', args: ['mcp'] });
    expect(moved.change).toBe('updated');
    expect(moved.text).toContain('"command": "/new/path"');
    expect(moved.text).toContain('// keep me');
  });
  it('refuses broken json or a non object section saying what to add by hand', () => {
    expect(() => upsertJsonServer('{"servers": {', 'servers', 'buckaroo-table', { command: BIN })).toThrow(/not valid JSON or JSONC .* on line 1.*add the entry by hand/);
    expect(() => upsertJsonServer('{"mcpServers": []}', 'mcpServers', 'buckaroo-table', { command: BIN })).toThrow(/not an object/);
  });
});

describe('TOML (Codex)', () => {
  it('appends a table to an existing file, leaving the rest byte for byte', () => {
    const original = '# my settings\nmodel = "o3"\n\n[mcp_servers.other]\ncommand = "x"\n';
    const r = upsertTomlServer(original, 'buckaroo-table', BIN, ['mcp']);
    expect(r.change).toBe('added');
    expect(r.text).toBe(`${original}\n[mcp_servers.buckaroo-table]\ncommand = "${BIN}"\nargs = ["mcp"]\n`);
  });
  it('updates command and args in place, keeping other keys, comments and later tables', () => {
    const original = [
      '[mcp_servers."buckaroo-table"]  # ours',
      'command = "/old/buckaroo-table"',
      'args = [',
      '  "mcp",',
      ']',
      'startup_timeout_ms = 20000',
      '',
      '[mcp_servers.buckaroo-table.env]',
      'BUCKAROO_PORT = "8701"',
      '',
    ].join('\n');
    const r = upsertTomlServer(original, 'buckaroo-table', BIN, ['mcp']);
    expect(r.change).toBe('updated');
    expect(r.text).toBe(
      ['[mcp_servers."buckaroo-table"]  # ours', `command = "${BIN}"`, 'args = ["mcp"]', 'startup_timeout_ms = 20000', '', '[mcp_servers.buckaroo-table.env]', 'BUCKAROO_PORT = "8701"', ''].join('\n'),
    );
  });
  it('is idempotent, and creates a file from nothing', () => {
    const first = upsertTomlServer(undefined, 'buckaroo-table', BIN, ['mcp']);
    expect(first.text).toBe(`[mcp_servers.buckaroo-table]\ncommand = "${BIN}"\nargs = ["mcp"]\n`);
    expect(upsertTomlServer(first.text, 'buckaroo-table', BIN, ['mcp']).change).toBe('unchanged');
  });
  it('escapes paths with quotes and backslashes', () => {
    const r = upsertTomlServer('', 'buckaroo-table', '/we"ird\\path', ['mcp']);
    expect(r.text).toContain('command = "/we\\"ird\\\\path"');
  });
});

describe('client config locations', () => {
  it('derives every path from HOME (and XDG_CONFIG_HOME / CODEX_HOME where the client does)', () => {
    const env = { HOME: '/h' };
    expect(clientSpec('claude-code', env, 'linux').configPath).toBe('/h/.claude.json');
    expect(clientSpec('cursor', env, 'linux').configPath).toBe('/h/.cursor/mcp.json');
    expect(clientSpec('codex', env, 'linux').configPath).toBe('/h/.codex/config.toml');
    expect(clientSpec('claude-desktop', env, 'linux').configPath).toBe('/h/.config/Claude/claude_desktop_config.json');
    expect(clientSpec('claude-desktop', env, 'darwin').configPath).toBe(path.join('/h/Library/Application Support/Claude/claude_desktop_config.json'));
    expect(clientSpec('vscode', env, 'darwin').configPath).toBe('/h/Library/Application Support/Code/User/mcp.json');
    expect(clientSpec('vscode', { HOME: '/h', XDG_CONFIG_HOME: '/x' }, 'linux').configPath).toBe('/x/Code/User/mcp.json');
  });
  it('uses %APPDATA% and %USERPROFILE% on Windows, with Windows path separators', () => {
    const env = { USERPROFILE: 'C:\\Users\\Ann', APPDATA: 'C:\\Users\\Ann\\AppData\\Roaming' };
    expect(clientSpec('claude-desktop', env, 'win32').configPath).toBe('C:\\Users\\Ann\\AppData\\Roaming\\Claude\\claude_desktop_config.json');
    expect(clientSpec('vscode', env, 'win32').configPath).toBe('C:\\Users\\Ann\\AppData\\Roaming\\Code\\User\\mcp.json');
    expect(clientSpec('cursor', env, 'win32').configPath).toBe('C:\\Users\\Ann\\.cursor\\mcp.json');
    expect(clientSpec('claude-code', env, 'win32').configPath).toBe('C:\\Users\\Ann\\.claude.json');
    expect(clientSpec('codex', env, 'win32').configPath).toBe('C:\\Users\\Ann\\.codex\\config.toml');
    // No APPDATA in the environment: the default place under the profile.
    expect(clientSpec('claude-desktop', { USERPROFILE: 'C:\\Users\\Ann' }, 'win32').configPath).toBe('C:\\Users\\Ann\\AppData\\Roaming\\Claude\\claude_desktop_config.json');
  });
  it('writes VS Code’s servers section with type stdio', () => {
    const r = clientSpec('vscode', { HOME: '/h' }, 'linux').edit(undefined, 'buckaroo-table', BIN, ['mcp']);
    expect(JSON.parse(r.text)).toEqual({ servers: { 'buckaroo-table': { type: 'stdio', command: BIN, args: ['mcp'] } } });
  });
});
