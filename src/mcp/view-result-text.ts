// The text an agent reads after view_data: what the file holds, per column, where the person can see it,
// and one status line about the server. Pure: built from the server's answers, unit-tested on its own.

import path from 'node:path';
import { z } from 'zod';
import type { LoadAnswer, SummaryStats } from '../contract/data-api.ts';
import { APPROX_DISTINCT_ABOVE_ROWS } from '../contract/data-limits.ts';
import { hasOrderedRange } from '../contract/dtype.ts';
import { describeEnsureResult } from '../lifecycle/describe.ts';
import type { EnsureResult } from '../lifecycle/ensure-server.ts';

/** Columns listed in the text and the structured result; the rest are counted. */
export const MAX_LISTED_COLUMNS = 50;
const MAX_VALUE_CHARS = 24;
/** Column names longer than this are shortened (a file can hold a 10,000-character header). */
const MAX_NAME_CHARS = 80;

const Value = z.unknown();

/** The structured result, declared as the tool's outputSchema. */
export const ViewResultShape = {
  file_name: z.string(),
  path: z.string(),
  format: z.string(),
  encoding: z.string().optional(),
  rows: z.number(),
  columns_total: z.number(),
  columns: z.array(
    z.object({
      name: z.string(),
      dtype: z.string(),
      nulls: z.number().nullable(),
      distinct: z.number().nullable(),
      distinct_approx: z.boolean(),
      min: Value,
      max: Value,
      top_value: Value,
      top_count: z.number().nullable(),
    }),
  ),
  columns_not_listed: z.number(),
  url: z.string(),
  session: z.string(),
  browser_action: z.string(),
  load_ms: z.number(),
  server: z.object({
    pid: z.number(),
    status: z.string(),
    version: z.string(),
    /** The server this call replaced, and how it was stopped. */
    previous: z.object({ version: z.string(), pid: z.number(), how: z.string() }).optional(),
    /** A newer server (restart the session to update the tool), a fallback port, a retry after a replacement. */
    notice: z.string().optional(),
  }),
};
const ViewResultSchema = z.object(ViewResultShape);
export type ViewResult = z.infer<typeof ViewResultSchema>;

export function buildViewResult(load: LoadAnswer, stats: SummaryStats | undefined, server: EnsureResult): ViewResult {
  const byName = new Map(stats?.columns.map((c) => [c.name, c]));
  const listed = load.columns.slice(0, MAX_LISTED_COLUMNS);
  return {
    file_name: path.basename(load.path),
    path: load.path,
    format: load.format + (load.gzip ? '+gzip' : ''),
    ...(load.encoding ? { encoding: load.encoding } : {}),
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
        min: clipValue(s?.min ?? null),
        max: clipValue(s?.max ?? null),
        top_value: clipValue(s?.top[0]?.value ?? null),
        top_count: s?.top[0]?.count ?? null,
      };
    }),
    columns_not_listed: Math.max(0, load.columns.length - listed.length),
    url: load.url,
    session: load.session,
    browser_action: load.browser_action,
    load_ms: load.load_ms,
    server: {
      pid: server.pid,
      status: server.status,
      version: server.version,
      ...(server.previous ? { previous: server.previous } : {}),
      ...(server.notice ? { notice: server.notice } : {}),
    },
  };
}

/** A string value of at most about MAX_NAME_CHARS characters for the structured result (a field can be 20 MB). */
function clipValue(v: unknown): unknown {
  return typeof v === 'string' && v.length > MAX_NAME_CHARS ? `${v.slice(0, MAX_NAME_CHARS - 24)}… (${formatCount(v.length)} characters)` : v;
}

/** A column name of at most about MAX_NAME_CHARS characters, saying how long it really is. */
export function shortName(name: string): string {
  return name.length <= MAX_NAME_CHARS ? name : `${name.slice(0, MAX_NAME_CHARS - 24)}… (${formatCount(name.length)} characters)`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** A cell value in at most MAX_VALUE_CHARS characters; strings quoted so blanks stay visible. */
export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return '–';
  const text = typeof v === 'string' ? JSON.stringify(v) : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
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

/** The tool's text: header, column table, URL, what happened to the server, then any extra lines (update notice). */
export function viewResultText(load: LoadAnswer, stats: SummaryStats | undefined, server: EnsureResult, extra: readonly string[] = []): string {
  const r = buildViewResult(load, stats, server);
  const lines: string[] = [];
  const size = formatBytes(load.bytes);
  lines.push(
    `${r.file_name} — ${formatCount(r.rows)} rows × ${formatCount(r.columns_total)} columns (${r.format}${r.encoding && !r.format.startsWith('parquet') ? `, ${r.encoding}` : ''}${size ? `, ${size}` : ''}, loaded in ${Math.round(r.load_ms)} ms)`,
  );
  if (r.rows === 0) lines.push('The file has a header but no data rows.');
  lines.push('');
  const header = ['column', 'type', 'nulls', 'distinct', 'range / top value'];
  const table = r.columns.map((c) => {
    const distinct = c.distinct === null ? '–' : `${stats?.distinct_approx ? '~' : ''}${formatCount(c.distinct)}`;
    let range = '–';
    if (hasOrderedRange(c.dtype) && c.min !== null) range = `${formatValue(c.min)} … ${formatValue(c.max)}`;
    else if (c.top_value !== null && c.top_count !== null) range = `top ${formatValue(c.top_value)} (${formatCount(c.top_count)})`;
    return [c.name, c.dtype, c.nulls === null ? '–' : formatCount(c.nulls), distinct, range];
  });
  const widths = header.map((h, i) => Math.min(32, Math.max(h.length, ...table.map((row) => row[i]!.length))));
  const fmt = (row: string[]): string =>
    row
      .map((cell, i) => (i === 2 || i === 3 ? cell.padStart(widths[i]!) : i === row.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  lines.push(fmt(header), ...table.map(fmt));
  if (r.columns_not_listed > 0) lines.push(`… and ${formatCount(r.columns_not_listed)} more columns (${formatCount(r.columns_total)} in all; the page shows every one).`);
  if (!stats) lines.push('(Column statistics are not available yet; the page computes them.)');
  if (stats?.distinct_approx) {
    lines.push(`Distinct counts marked ~ are approximate (more than ${formatCount(APPROX_DISTINCT_ABOVE_ROWS)} rows); every row is loaded.`);
  }
  lines.push('', `View: ${r.url}`);
  lines.push(`Browser: ${describeBrowser(load.browser_action, load.browser_reason)} · session ${r.session}`);
  lines.push(describeEnsureResult(server));
  lines.push(...extra);
  return lines.join('\n');
}

/** The text of an isError result: the server's own sentence, its hint, and the code for the logs. */
export function viewErrorText(message: string, hint: string | undefined, code: string | undefined): string {
  return [message, hint ? `Hint: ${hint}` : undefined, code ? `(${code})` : undefined].filter(Boolean).join('\n');
}
