// The chat app's view of the data: the app-only tools (src/mcp/tools/viewer-data.ts), called through the host
// with `App.callServerTool`. The answers are the data API's own bodies (src/contract/data-api.ts), so they are
// read with the browser page's parsers; an error result carries the API's error body.

import type { App } from '@modelcontextprotocol/ext-apps';
import { ApiError } from '../../contract/api-error.ts';
import type { MetaAnswer as MetaBody, RowsAnswer, StatsAnswer } from '../../contract/data-api.ts';
import { VIEWER_TOOLS, type ViewerRowsArgs } from '../../contract/viewer-app.ts';
import { parseMeta, parseRows, UnreachableError, type MetaAnswer, type RowQuery, type RowWindow } from '../api.ts';

/** A window the host has not answered after this long is shown as an error (the tool itself waits up to 60 s). */
const TOOL_CALL_TIMEOUT_MS = 90_000;

/** Which data: the session's, and the instance's own dataset id (undefined: whatever the session shows now). */
export interface DataRef {
  session: string;
  dataset: number | undefined;
}

export interface ToolApi {
  meta(ref: DataRef): Promise<MetaAnswer>;
  rows(ref: DataRef, q: RowQuery): Promise<RowWindow>;
  stats(ref: DataRef): Promise<StatsAnswer>;
}

const argsOf = (ref: DataRef): { session: string; dataset?: number } => ({ session: ref.session, ...(ref.dataset === undefined ? {} : { dataset: ref.dataset }) });

type Caller = Pick<App, 'callServerTool'>;

async function call(app: Caller, name: string, args: Record<string, unknown>): Promise<unknown> {
  let result: Awaited<ReturnType<App['callServerTool']>>;
  try {
    result = await app.callServerTool({ name, arguments: args }, { timeout: TOOL_CALL_TIMEOUT_MS });
  } catch (err) {
    throw new UnreachableError(`The chat could not reach buckaroo-table (${name}: ${(err as Error).message}).`);
  }
  const body = result.structuredContent as Record<string, unknown> | undefined;
  if (result.isError) {
    const text = result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
    const code = typeof body?.error_code === 'string' ? body.error_code : 'E_TOOL';
    const message = typeof body?.message === 'string' ? body.message : text || `${name} failed.`;
    throw new ApiError(0, code, message, typeof body?.hint === 'string' ? body.hint : undefined);
  }
  if (!body) throw new ApiError(0, 'E_BAD_ANSWER', `${name} answered without data (an older buckaroo-table?).`);
  return body;
}

export function toolApi(app: Caller): ToolApi {
  return {
    async meta(ref) {
      return parseMeta((await call(app, VIEWER_TOOLS.meta, argsOf(ref))) as MetaBody, ref.session);
    },
    async rows(ref, q) {
      const args: ViewerRowsArgs = { ...argsOf(ref), ...q };
      return parseRows((await call(app, VIEWER_TOOLS.rows, { ...args })) as RowsAnswer);
    },
    async stats(ref) {
      return (await call(app, VIEWER_TOOLS.stats, argsOf(ref))) as StatsAnswer;
    },
  };
}
