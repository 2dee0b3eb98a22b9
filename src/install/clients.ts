// The MCP clients install-mcp knows: where each keeps its config (derived from HOME, so a test's temp HOME
// is the whole world), in which format, and how our entry looks there.

import fs from 'node:fs';
import path from 'node:path';
import { homeDir, type Env } from '../paths.ts';
import { upsertJsonServer, type EditResult } from './json-config.ts';
import { upsertTomlServer } from './toml-config.ts';

export const CLIENT_IDS = ['claude-code', 'claude-desktop', 'cursor', 'vscode', 'codex'] as const;
export type ClientId = (typeof CLIENT_IDS)[number];

export interface ClientSpec {
  id: ClientId;
  label: string;
  /** The config file we edit. */
  configPath: string;
  /** Exists when the client is installed (or has been run) for this user. */
  evidence: string[];
  edit(original: string | undefined, name: string, command: string, args: readonly string[]): EditResult;
}

/** Path rules of the platform the config is for (so Windows paths are right when tested on Linux, too). */
const pathsOf = (platform: NodeJS.Platform): path.PlatformPath => (platform === 'win32' ? path.win32 : path.posix);

/** Windows' home: USERPROFILE (HOME is usually unset there). */
function userHome(env: Env, platform: NodeJS.Platform): string {
  if (platform === 'win32' && !env.HOME && env.USERPROFILE) return env.USERPROFILE;
  return homeDir(env);
}

/** Where a desktop app keeps its settings: ~/Library/Application Support, %APPDATA%, or $XDG_CONFIG_HOME. */
function appSupport(env: Env, platform: NodeJS.Platform, app: string): string {
  const p = pathsOf(platform);
  const home = userHome(env, platform);
  if (platform === 'darwin') return p.join(home, 'Library', 'Application Support', app);
  if (platform === 'win32') return p.join(env.APPDATA && env.APPDATA !== '' ? env.APPDATA : p.join(home, 'AppData', 'Roaming'), app);
  const xdg = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME !== '' ? env.XDG_CONFIG_HOME : p.join(home, '.config');
  return p.join(xdg, app);
}

export function clientSpec(id: ClientId, env: Env = process.env, platform: NodeJS.Platform = process.platform): ClientSpec {
  const home = userHome(env, platform);
  const path = pathsOf(platform);
  switch (id) {
    case 'claude-code': {
      // User scope of `claude mcp add -s user`: the top-level mcpServers of ~/.claude.json.
      const configPath = path.join(home, '.claude.json');
      return {
        id,
        label: 'Claude Code (user scope)',
        configPath,
        evidence: [configPath, path.join(home, '.claude')],
        edit: (o, name, command, args) => upsertJsonServer(o, 'mcpServers', name, { type: 'stdio', command, args: [...args] }, configPath),
      };
    }
    case 'claude-desktop': {
      const dir = appSupport(env, platform, 'Claude');
      const configPath = path.join(dir, 'claude_desktop_config.json');
      return {
        id,
        label: 'Claude Desktop',
        configPath,
        evidence: [dir],
        edit: (o, name, command, args) => upsertJsonServer(o, 'mcpServers', name, { command, args: [...args] }, configPath),
      };
    }
    case 'cursor': {
      const configPath = path.join(home, '.cursor', 'mcp.json');
      return {
        id,
        label: 'Cursor',
        configPath,
        evidence: [path.join(home, '.cursor')],
        edit: (o, name, command, args) => upsertJsonServer(o, 'mcpServers', name, { command, args: [...args] }, configPath),
      };
    }
    case 'vscode': {
      // The user-profile mcp.json (all workspaces); a workspace's .vscode/mcp.json has the same shape.
      const dir = path.join(appSupport(env, platform, 'Code'), 'User');
      const configPath = path.join(dir, 'mcp.json');
      return {
        id,
        label: 'VS Code (user profile)',
        configPath,
        evidence: [dir],
        edit: (o, name, command, args) => upsertJsonServer(o, 'servers', name, { type: 'stdio', command, args: [...args] }, configPath),
      };
    }
    case 'codex': {
      const dir = env.CODEX_HOME && env.CODEX_HOME !== '' ? env.CODEX_HOME : path.join(home, '.codex');
      const configPath = path.join(dir, 'config.toml');
      return {
        id,
        label: 'Codex',
        configPath,
        evidence: [dir],
        edit: (o, name, command, args) => upsertTomlServer(o, name, command, args),
      };
    }
  }
}

export function isClientPresent(spec: ClientSpec): boolean {
  return spec.evidence.some((p) => fs.existsSync(p));
}
