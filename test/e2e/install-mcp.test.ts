// install-mcp through the compiled binary, in a temp HOME: lists what it would do, edits JSON, JSONC and TOML
// configs idempotently with a backup, registers the path it was run by (links kept), and never writes on
// --dry-run.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BINARY, tempHome, testEnv } from '../helpers/binary.ts';

function installMcp(home: string, args: string[], binary = BINARY, extraEnv: Record<string, string> = {}): string {
  return execFileSync(binary, ['install-mcp', ...args], { env: testEnv(home, extraEnv), encoding: 'utf8' });
}

const backups = (dir: string, base: string): string[] => fs.readdirSync(dir).filter((f) => f.startsWith(`${base}.`) && f.endsWith('.bak'));

describe('install-mcp', () => {
  it('says how to register by hand when it finds no client', () => {
    const out = installMcp(tempHome(), []);
    expect(out).toContain('No MCP clients found');
    expect(out).toContain(BINARY);
  });

  it('lists what it would do for each client it finds, writing nothing', () => {
    const home = tempHome();
    fs.mkdirSync(path.join(home, '.cursor'));
    fs.mkdirSync(path.join(home, '.codex'));
    fs.writeFileSync(path.join(home, '.codex', 'config.toml'), 'model = "o3"\n');
    const out = installMcp(home, []);
    expect(out).toContain(`--client cursor`);
    expect(out).toContain(`would add "buckaroo-table" to ${path.join(home, '.cursor', 'mcp.json')}`);
    expect(out).toContain(`would add "buckaroo-table" to ${path.join(home, '.codex', 'config.toml')}`);
    expect(out).not.toContain('--client vscode');
    expect(fs.existsSync(path.join(home, '.cursor', 'mcp.json'))).toBe(false);
    expect(fs.readFileSync(path.join(home, '.codex', 'config.toml'), 'utf8')).toBe('model = "o3"\n');
  });

  it('registers the absolute binary path in Codex config.toml once, with a backup', () => {
    const home = tempHome();
    const file = path.join(home, '.codex', 'config.toml');
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(file, '# mine\nmodel = "o3"\n', { mode: 0o600 });
    const out = installMcp(home, ['--client', 'codex']);
    expect(out).toContain(`added "buckaroo-table" to ${file}`);
    expect(out).toContain('backup:');
    expect(fs.readFileSync(file, 'utf8')).toBe(`# mine\nmodel = "o3"\n\n[mcp_servers.buckaroo-table]\ncommand = ${JSON.stringify(BINARY)}\nargs = ["mcp"]\n`);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(backups(path.dirname(file), 'config.toml')).toHaveLength(1);
    const again = installMcp(home, ['--client', 'codex']);
    expect(again).toContain('already registers buckaroo-table; nothing to change');
    expect(backups(path.dirname(file), 'config.toml')).toHaveLength(1);
  });

  it('creates Claude Code’s entry in ~/.claude.json, keeping the rest of the file', () => {
    const home = tempHome();
    const file = path.join(home, '.claude.json');
    fs.writeFileSync(file, JSON.stringify({ numStartups: 3, mcpServers: { other: { type: 'stdio', command: 'x', args: [] } } }));
    installMcp(home, ['--client', 'claude-code']);
    const j = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(j.numStartups).toBe(3);
    expect(j.mcpServers.other.command).toBe('x');
    expect(j.mcpServers['buckaroo-table']).toEqual({ type: 'stdio', command: BINARY, args: ['mcp'] });
  });

  it('changes nothing on --dry-run', () => {
    const home = tempHome();
    const out = installMcp(home, ['--client', 'vscode', '--dry-run']);
    expect(out).toContain(`(dry run) VS Code (user profile): would add "buckaroo-table" to ${path.join(home, '.config', 'Code', 'User', 'mcp.json')}`);
    // The entry it would write, as it would stand in the file.
    expect(out).toContain(`"buckaroo-table": {\n      "type": "stdio",\n      "command": ${JSON.stringify(BINARY)},`);
    expect(fs.existsSync(path.join(home, '.config'))).toBe(false);
  });

  it('prints its usage on help', () => {
    const out = installMcp(tempHome(), ['--help']);
    expect(out).toContain('Usage: buckaroo-table install-mcp [--client claude-code|claude-desktop|cursor|vscode|codex] [--dry-run]');
    expect(out).toContain('links are not resolved');
  });

  it('registers the symlink it was run by not the versioned file behind it', () => {
    const home = tempHome();
    // ~/.local/bin/buckaroo-table -> ~/.local/share/buckaroo-table/0.1.0/buckaroo-table, as an installer lays it out.
    const versioned = path.join(home, '.local', 'share', 'buckaroo-table', '0.1.0');
    fs.mkdirSync(versioned, { recursive: true });
    fs.symlinkSync(BINARY, path.join(versioned, 'buckaroo-table'));
    const bin = path.join(home, '.local', 'bin');
    fs.mkdirSync(bin, { recursive: true });
    const link = path.join(bin, 'buckaroo-table');
    fs.symlinkSync(path.join(versioned, 'buckaroo-table'), link);
    const codex = path.join(home, '.codex', 'config.toml');
    const out = installMcp(home, ['--client', 'codex'], link);
    expect(out).toContain('Restart Codex');
    expect(fs.readFileSync(codex, 'utf8')).toContain(`command = ${JSON.stringify(link)}`);
    // Run by its bare name from PATH: the PATH entry, still unresolved.
    const cursor = path.join(home, '.cursor', 'mcp.json');
    execFileSync('buckaroo-table', ['install-mcp', '--client', 'cursor'], { env: testEnv(home, { PATH: `${bin}:${process.env.PATH}` }), encoding: 'utf8' });
    expect(JSON.parse(fs.readFileSync(cursor, 'utf8')).mcpServers['buckaroo-table'].command).toBe(link);
  });

  it('edits vscode jsonc keeping its comments', () => {
    const home = tempHome();
    const file = path.join(home, '.config', 'Code', 'User', 'mcp.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '{\n  // servers I use\n  "servers": {\n    "other": { "type": "stdio", "command": "x" },\n  },\n}\n');
    const out = installMcp(home, ['--client', 'vscode']);
    expect(out).toContain('added "buckaroo-table"');
    expect(out).toContain('Restart VS Code');
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain('// servers I use');
    expect(text).toContain(`"command": ${JSON.stringify(BINARY)}`);
  });

  it('refuses an unknown client with the list of known ones', () => {
    let err: { status?: number; stderr?: string } = {};
    try {
      installMcp(tempHome(), ['--client', 'emacs']);
    } catch (e) {
      err = e as typeof err;
    }
    expect(err.status).toBe(2);
    expect(err.stderr).toContain('claude-code, claude-desktop, cursor, vscode, codex');
  });
});
