// `buckaroo-table view <file>`: what view_data does, from a shell: make sure the server runs, load the file,
// print the URL (and open a tab unless --no-browser).

import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from '../config.ts';
import type { LoadAnswer, LoadRequest } from '../contract/data-api.ts';
import { LOAD_TIMEOUT_MS } from '../contract/data-limits.ts';
import { callServer, ServerRequestError } from '../lifecycle/api-client.ts';
import { ensureServer } from '../lifecycle/ensure-server.ts';
import { resolveServerPort } from '../lifecycle/port-pointer.ts';
import { fileLogger } from '../log.ts';
import { expandHome, mcpLogPath } from '../paths.ts';
import { CliError, EXIT_OK, EXIT_USAGE } from './errors.ts';

export async function viewCommand(args: string[], stdout: NodeJS.WritableStream = process.stdout): Promise<number> {
  let values: { port?: string; 'no-browser'?: boolean; session?: string };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      options: { port: { type: 'string' }, 'no-browser': { type: 'boolean' }, session: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    }));
  } catch (err) {
    throw new CliError((err as Error).message, 'E_USAGE', EXIT_USAGE);
  }
  if (positionals.length !== 1) throw new CliError('view takes exactly one file: buckaroo-table view <file>', 'E_USAGE', EXIT_USAGE);
  const env = process.env;
  const file = path.resolve(process.cwd(), expandHome(positionals[0]!, env));
  let choice;
  try {
    choice = resolveServerPort(values.port, env);
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message, err.code, EXIT_USAGE);
    throw err;
  }
  const log = fileLogger(mcpLogPath(env), 'cli.view');
  try {
    const ensured = await ensureServer({ port: choice.port, explicitPort: choice.explicit, env, log });
    const body: LoadRequest = { path: file, no_browser: values['no-browser'] === true };
    if (values.session) body.session = values.session;
    const r = await callServer<LoadAnswer>(ensured.port, '/load', { method: 'POST', body, token: ensured.token, timeoutMs: LOAD_TIMEOUT_MS });
    stdout.write(`${path.basename(r.path)}: ${r.rows.toLocaleString('en-US')} rows × ${r.columns.length} columns\n`);
    stdout.write(`${r.url}\n`);
    stdout.write(`browser: ${r.browser_action}${r.browser_reason ? ` (${r.browser_reason})` : ''} · server pid ${ensured.pid} (${ensured.status})\n`);
    return EXIT_OK;
  } catch (err) {
    if (err instanceof ServerRequestError) throw new CliError(err.hint ? `${err.message}\n${err.hint}` : err.message, err.code);
    const e = err as { message?: string; code?: string };
    throw new CliError(e.message ?? String(err), e.code ?? 'E_VIEW');
  }
}
