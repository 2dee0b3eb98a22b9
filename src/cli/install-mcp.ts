// `buckaroo-table install-mcp [--client ID] [--dry-run]`: register this binary (the absolute path the person ran,
// links kept; `args: ["mcp"]`) in an MCP client's config, idempotently and with a backup; without --client,
// show what it would do.

import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { writeFileAtomic } from '../contract/json-file.ts';
import { CLIENT_IDS, clientSpec, isClientPresent, type ClientId, type ClientSpec } from '../install/clients.ts';
import { ConfigEditError, type EditResult } from '../install/json-config.ts';
import { currentInvocation, invokedBinaryPath } from '../install/invoked-path.ts';
import { selfCommand } from '../lifecycle/reexec.ts';
import { isCompiledBinary } from '../os/compiled-binary.ts';
import type { Env } from '../paths.ts';
import { PRODUCT_NAME } from '../version.ts';
import { CliError, EXIT_OK, EXIT_USAGE } from './errors.ts';

export interface InstallMcpIO {
  stdout: NodeJS.WritableStream;
  env: Env;
  /** The command and args to register; defaults to this program in `mcp` mode. */
  command?: { command: string; args: string[] };
  now?: () => Date;
}

export async function runInstallMcp(args: string[], io: InstallMcpIO = { stdout: process.stdout, env: process.env }): Promise<number> {
  let values: { client?: string; 'dry-run'?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({ args, options: { client: { type: 'string' }, 'dry-run': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, strict: true }));
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n${INSTALL_MCP_USAGE}`, 'E_USAGE', EXIT_USAGE);
  }
  const say = (line: string): void => void io.stdout.write(`${line}\n`);
  if (values.help) {
    say(INSTALL_MCP_USAGE);
    return EXIT_OK;
  }
  const cmd = io.command ?? registeredCommand(io.env);

  if (values.client === undefined) {
    const found = CLIENT_IDS.map((id) => clientSpec(id, io.env)).filter(isClientPresent);
    if (found.length === 0) {
      say(`No MCP clients found for this user. Register ${PRODUCT_NAME} by hand with command ${JSON.stringify(cmd.command)} and args ${JSON.stringify(cmd.args)},`);
      say(`or pick one: ${PRODUCT_NAME} install-mcp --client ${CLIENT_IDS.join('|')}`);
      return EXIT_OK;
    }
    say(`Would register ${cmd.command} ${cmd.args.join(' ')} (nothing written; pass --client to apply):`);
    for (const spec of found) {
      let what: string;
      try {
        what = describe(spec, plan(spec, cmd), 'would');
      } catch (err) {
        what = `cannot edit: ${(err as Error).message}`;
      }
      say(`  --client ${spec.id.padEnd(14)} ${what}`);
    }
    return EXIT_OK;
  }
  if (!(CLIENT_IDS as readonly string[]).includes(values.client)) {
    throw new CliError(`Unknown client ${JSON.stringify(values.client)}; use one of ${CLIENT_IDS.join(', ')}.`, 'E_USAGE', EXIT_USAGE);
  }
  const spec = clientSpec(values.client as ClientId, io.env);
  const result = plan(spec, cmd);
  if (values['dry-run']) {
    say(`(dry run) ${spec.label}: ${describe(spec, result, 'would')}`);
    say(`The entry in ${spec.configPath}:`);
    // What the client reads for us: the entry as it would stand alone in a new file.
    say(spec.edit(undefined, PRODUCT_NAME, cmd.command, cmd.args).text.trimEnd());
    return EXIT_OK;
  }
  if (result.change === 'unchanged') {
    say(`${spec.label}: ${describe(spec, result, 'would')}`);
    return EXIT_OK;
  }
  const existed = fs.existsSync(spec.configPath);
  let backup: string | undefined;
  if (existed) {
    const stamp = (io.now ?? (() => new Date()))().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
    backup = `${spec.configPath}.${stamp}.bak`;
    fs.copyFileSync(spec.configPath, backup);
  }
  const mode = existed ? fs.statSync(spec.configPath).mode & 0o777 : 0o600;
  writeFileAtomic(spec.configPath, result.text, mode);
  say(`${spec.label}: ${describe(spec, result, 'did')}${backup ? ` (backup: ${backup})` : ''}`);
  // Every client reads its MCP config at start: none sees the entry before it is restarted.
  say(`Restart ${spec.label.replace(/ \(.*\)$/, '')} (or start a new session) to pick it up.`);
  return EXIT_OK;
}

export const INSTALL_MCP_USAGE = `Usage: ${PRODUCT_NAME} install-mcp [--client ${CLIENT_IDS.join('|')}] [--dry-run]

Registers this binary as the MCP server "${PRODUCT_NAME}" (command: the path you ran it by, args: ["mcp"]).
  (no --client)   list the clients found for this user and what would change; writes nothing
  --client ID     edit that client's config (a backup of the old file is kept beside it)
  --dry-run       with --client: print the entry it would write, write nothing
  -h, --help      this text

Run it by the path your clients should keep using (e.g. ~/.local/bin/${PRODUCT_NAME}): links are not resolved,
so the entry survives upgrades that replace what the link points to.`;

/** The compiled binary by the path it was run as (see invoked-path.ts); for script runs node + script. */
function registeredCommand(env: Env): { command: string; args: string[] } {
  const self = selfCommand(['mcp'], env);
  if (!isCompiledBinary()) return { command: self.command, args: self.args };
  return { command: invokedBinaryPath(currentInvocation(env)), args: self.args };
}

function plan(spec: ClientSpec, cmd: { command: string; args: string[] }): EditResult & { error?: string } {
  let original: string | undefined;
  try {
    original = fs.readFileSync(spec.configPath, 'utf8');
  } catch {
    original = undefined;
  }
  try {
    return spec.edit(original, PRODUCT_NAME, cmd.command, cmd.args);
  } catch (err) {
    if (err instanceof ConfigEditError) throw new CliError(err.message, err.code);
    throw err;
  }
}

function describe(spec: ClientSpec, r: EditResult, tense: 'would' | 'did'): string {
  switch (r.change) {
    case 'unchanged':
      return `${spec.configPath} already registers ${PRODUCT_NAME}; nothing to change.`;
    case 'added':
      return `${tense === 'did' ? 'added' : 'would add'} "${PRODUCT_NAME}" to ${spec.configPath}`;
    case 'updated':
      return `${tense === 'did' ? 'updated' : 'would update'} "${PRODUCT_NAME}" in ${spec.configPath}`;
  }
}
