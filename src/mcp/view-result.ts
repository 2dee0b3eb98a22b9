// What view_data hands the agent, as data: the tool's outputSchema and its structuredContent. Claude Code and
// Codex give the model only JSON.stringify(structuredContent), never the text, so every sentence the text
// carries (summary, hints, the update notice) is a field here and the text is rendered from this alone.

import path from 'node:path';
import { z } from 'zod';
import type { LoadAnswer, SummaryStats } from '../contract/data-api.ts';
import { APPROX_DISTINCT_ABOVE_ROWS, clippedTextLength } from '../contract/data-limits.ts';
import { describeEnsureResult } from '../lifecycle/describe.ts';
import type { EnsureResult } from '../lifecycle/ensure-server.ts';

/** Columns listed in the text and the structured result; the rest are counted. */
export const MAX_LISTED_COLUMNS = 50;
/** Column names and string values longer than this are shortened (a file can hold a 10,000-character header, a 20 MB field). */
const MAX_NAME_CHARS = 80;

/**
 * A cell as the model reads it: a JSON scalar. LIST/STRUCT/MAP values come as their JSON text, so the schema
 * stays a flat union every client can map (a recursive JSON value needs `$ref`, which some cannot).
 */
const Cell = z.union([z.string(), z.number(), z.boolean(), z.null()]);
type CellValue = z.infer<typeof Cell>;

export const ViewResultSchema = z.object({
  summary: z.string().describe('One line: file name, rows × columns, format, size and load time.'),
  file_name: z.string(),
  path: z.string(),
  format: z.string(),
  encoding: z.string().nullable().describe('The text encoding the file was read in (null for Parquet or an older server).'),
  bytes: z.number().nullable(),
  rows: z.number(),
  columns_total: z.number(),
  columns: z
    .array(
      z.object({
        name: z.string(),
        dtype: z.string(),
        nulls: z.number().nullable(),
        distinct: z.number().nullable(),
        distinct_approx: z.boolean(),
        min: Cell,
        max: Cell,
        top_value: Cell,
        top_count: z.number().nullable(),
      }),
    )
    .describe(`The first ${MAX_LISTED_COLUMNS} columns with their summary statistics (null when not computed).`),
  columns_not_listed: z.number(),
  stats_available: z.boolean(),
  distinct_approx: z.boolean(),
  url: z.string().describe('Where the person sees the table in a browser.'),
  display: z
    .enum(['app', 'browser'])
    .describe("Where the table is shown: 'app' = in the chat, by this client's MCP Apps view (no browser tab was opened; url opens it in a browser); 'browser' = a browser tab at url."),
  session: z.string(),
  dataset_id: z.number().nullable().describe('The data server\'s id of this load (the chat view checks it still shows this file).'),
  table: z.string().nullable().describe('The SQL table name query_data knows this file by (sales.csv → sales); null from an older server.'),
  browser_action: z.string(),
  browser_reason: z.string().nullable(),
  load_ms: z.number(),
  server: z.object({
    pid: z.number(),
    status: z.string(),
    version: z.string(),
    previous: z.object({ version: z.string(), pid: z.number(), how: z.string() }).nullable(),
    notice: z.string().nullable(),
    description: z.string().describe('What happened to the data server (reused, started, replaced), one sentence.'),
  }),
  status_line: z.string().describe('Where the table is shown (chat or browser tab), and the session, one line.'),
  hints: z.array(z.string()).describe('Sentences for you: what was left out, what is approximate, what to tell the person.'),
  update: z.array(z.string()).describe('An update notice to pass on to the person (empty when there is none).'),
});
export type ViewResult = z.infer<typeof ViewResultSchema>;

/** Where the person sees the table: the client's MCP Apps view in the chat, or a browser tab. */
export type Display = ViewResult['display'];

export function buildViewResult(load: LoadAnswer, stats: SummaryStats | undefined, server: EnsureResult, update: readonly string[] = [], display: Display = 'browser'): ViewResult {
  const byName = new Map(stats?.columns.map((c) => [c.name, c]));
  const listed = load.columns.slice(0, MAX_LISTED_COLUMNS);
  const fileName = path.basename(load.path);
  const format = load.format + (load.gzip ? '+gzip' : '');
  const notListed = Math.max(0, load.columns.length - listed.length);
  const size = formatBytes(load.bytes);
  const encoding = load.encoding && !load.format.startsWith('parquet') ? load.encoding : undefined;
  const hints: string[] = [];
  if (load.rows === 0) hints.push('The file has a header but no data rows.');
  if (notListed > 0) hints.push(`… and ${formatCount(notListed)} more columns (${formatCount(load.columns.length)} in all; the page shows every one).`);
  if (!stats) hints.push('(Column statistics are not available yet; the page computes them.)');
  if (stats?.distinct_approx) hints.push(`Distinct counts marked ~ are approximate (more than ${formatCount(APPROX_DISTINCT_ABOVE_ROWS)} rows); every row is loaded.`);
  if (display === 'app') hints.push(`The table is shown in the chat (no browser tab was opened); to open it in a browser, give the person the URL ${load.url}`);
  if (load.browser_action === 'failed') hints.push(`Could not open a browser${load.browser_reason ? ` (${load.browser_reason})` : ''}: give the person the URL ${load.url}`);
  return {
    summary: `${fileName} — ${formatCount(load.rows)} rows × ${formatCount(load.columns.length)} columns (${format}${encoding ? `, ${encoding}` : ''}${size ? `, ${size}` : ''}, loaded in ${Math.round(load.load_ms)} ms)`,
    file_name: fileName,
    path: load.path,
    format,
    encoding: encoding ?? null,
    bytes: load.bytes ?? null,
    rows: load.rows,
    columns_total: load.columns.length,
    columns: listed.map((c) => {
      const s = byName.get(c.name);
      return {
        name: shortName(c.name),
        dtype: c.dtype,
        nulls: s?.nulls ?? null,
        distinct: s?.distinct ?? null,
        distinct_approx: stats?.distinct_approx ?? false,
        min: toCell(s?.min),
        max: toCell(s?.max),
        top_value: toCell(s?.top[0]?.value),
        top_count: s?.top[0]?.count ?? null,
      };
    }),
    columns_not_listed: notListed,
    stats_available: stats !== undefined,
    distinct_approx: stats?.distinct_approx ?? false,
    url: load.url,
    display,
    session: load.session,
    dataset_id: load.dataset_id ?? null,
    table: load.table ?? null,
    browser_action: load.browser_action,
    browser_reason: load.browser_reason ?? null,
    load_ms: load.load_ms,
    server: {
      pid: server.pid,
      status: server.status,
      version: server.version,
      previous: server.previous ?? null,
      notice: server.notice ?? null,
      description: describeEnsureResult(server),
    },
    status_line:
      display === 'app'
        ? `Shown in the chat · browser not opened (open in browser: ${load.url}) · session ${load.session}`
        : `Browser: ${describeBrowser(load.browser_action, load.browser_reason)} · session ${load.session}`,
    hints,
    update: [...update],
  };
}

/** JSON scalars as they are; a LIST/STRUCT/MAP value as its JSON text; long strings shortened. */
export function toCell(v: unknown): CellValue {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  return shortName(typeof v === 'string' ? v : JSON.stringify(v));
}

/** A name or value of at most about MAX_NAME_CHARS characters, saying how long it really is. */
export function shortName(name: string): string {
  // A stats value the server already cut says its real length; that is the length to tell.
  const length = clippedTextLength(name) ?? name.length;
  return name.length <= MAX_NAME_CHARS ? name : `${name.slice(0, MAX_NAME_CHARS - 24)}… (${formatCount(length)} characters)`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

function formatBytes(n: number | undefined): string {
  if (n === undefined) return '';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

function describeBrowser(action: string, reason: string | undefined): string {
  switch (action) {
    case 'refreshed':
      return 'open page refreshed';
    case 'opened':
      return 'opened a browser tab';
    case 'skipped':
      return 'not opened (no_browser)';
    case 'disabled':
      return 'not opened (browser disabled)';
    case 'failed':
      return `could not open a browser${reason ? ` (${reason})` : ''}; give the person the URL`;
    default:
      return action;
  }
}
