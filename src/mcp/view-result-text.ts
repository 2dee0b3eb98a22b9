// The text an agent reads after view_data: what the file holds, per column, where the person can see it,
// hints, the browser and server status, the update notice. Pure: rendered from the structured result
// (view-result.ts) alone, unit-tested on its own.

import { hasOrderedRange } from '../contract/dtype.ts';
import { formatCount, type ViewResult } from './view-result.ts';

export { MAX_LISTED_COLUMNS } from './view-result.ts';
const MAX_VALUE_CHARS = 24;

/** A cell value in at most MAX_VALUE_CHARS characters; strings quoted so blanks stay visible. */
export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return '–';
  const text = typeof v === 'string' ? JSON.stringify(v) : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

/**
 * The tool's text, rendered from the structured result alone (so it cannot say more than the model gets from
 * structuredContent): summary, column table, hints, URL, browser and server status, update notice.
 */
export function viewResultText(r: ViewResult): string {
  const lines: string[] = [r.summary, ''];
  const header = ['column', 'type', 'nulls', 'distinct', 'range / top value'];
  const table = r.columns.map((c) => {
    const distinct = c.distinct === null ? '–' : `${c.distinct_approx ? '~' : ''}${formatCount(c.distinct)}`;
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
  lines.push(fmt(header), ...table.map(fmt), ...r.hints);
  lines.push('', `View: ${r.url}`);
  if (r.table !== null) lines.push(`SQL table: ${r.table} (query it with query_data)`);
  lines.push(r.status_line, r.server.description, ...r.update);
  return lines.join('\n');
}

/** The text of an isError result: the server's own sentence, its hint, and the code for the logs. */
export function viewErrorText(message: string, hint: string | undefined, code: string | undefined): string {
  return [message, hint ? `Hint: ${hint}` : undefined, code ? `(${code})` : undefined].filter(Boolean).join('\n');
}
