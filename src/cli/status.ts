// `buckaroo-table status [--port N] [--json]`: what answers on the port (/health) and what the state file
// says. Exit 0 when a buckaroo-table server answers, 1 otherwise.

import { readStateFile } from '../contract/state-file.ts';
import { describePortHolder } from '../lifecycle/port-holder.ts';
import { readPortPointer } from '../lifecycle/port-pointer.ts';
import { probe, type ProbeResult } from '../lifecycle/probe.ts';
import { serverLogPath, stateFilePath, type Env } from '../paths.ts';
import { VERSION } from '../version.ts';
import { EXIT_FAILURE, EXIT_OK } from './errors.ts';
import { parseLifecycleArgs } from './lifecycle-args.ts';

export async function statusCommand(args: string[], out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const a = parseLifecycleArgs(args);
  const port = a.port.port;
  const found = await probe(port);
  const state = readStateFile(port, a.env);
  if (a.json) {
    const { token: _token, ...stateShown } = state ?? { token: '' };
    out.write(`${JSON.stringify({ port, tool_version: VERSION, probe: found, state: state ? stateShown : null })}\n`);
  } else {
    out.write(`${statusLines(found, state?.pid, a.env).join('\n')}\n`);
  }
  return found.kind === 'ours' ? EXIT_OK : EXIT_FAILURE;
}

function statusLines(found: ProbeResult, statePid: number | undefined, env: Env): string[] {
  const port = found.port;
  const lines: string[] = [];
  switch (found.kind) {
    case 'ours': {
      const h = found.health;
      lines.push(`buckaroo-table server ${h.version} (protocol ${h.protocol}) on http://127.0.0.1:${port}/`);
      lines.push(`  pid ${h.pid}, up ${h.uptime_s} s, binary ${h.exe}`);
      if (statePid !== h.pid) lines.push(`  warning: the state file names ${statePid === undefined ? 'no server' : `pid ${statePid}`}; the next call replaces this server`);
      break;
    }
    case 'nothing':
      lines.push(`No buckaroo-table server is running on port ${port}.`);
      break;
    case 'old-style':
      const which = found.version ? `Buckaroo server ${found.version} (no protocol information)` : 'older Buckaroo server without version information';
      lines.push(`A ${which} answers on port ${port}${found.pid ? `, pid ${found.pid}` : ''}; the next call replaces it.`);
      break;
    case 'hung':
      lines.push(`Something on port ${port} accepts connections but does not answer /health (hung or stopped): ${describePortHolder(port)}.`);
      break;
    case 'foreign':
      lines.push(`Port ${port} is held by ${describePortHolder(port)}, which is not a buckaroo server.`);
      break;
  }
  const pointer = readPortPointer(env);
  if (pointer && pointer.port === port && pointer.holder) lines.push(`  fallback port: ${pointer.default_port} is held by ${pointer.holder}`);
  lines.push(`  this tool: ${VERSION}`);
  lines.push(`  state file: ${stateFilePath(port, env)}`);
  lines.push(`  server log: ${serverLogPath(env)}`);
  return lines;
}
