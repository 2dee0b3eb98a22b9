// What query_data hands the agent, as data (the tool's outputSchema and structuredContent) and the text rendered
// from it alone: Claude Code and Codex give the model only structuredContent, so whatever the text says about a
// cut result ("showing 50 of 12,345 rows") is a field here too.

import { z } from 'zod';
import type { QueryAnswer } from '../contract/data-api.ts';
import { formatCount, type Display } from './view-result.ts';
import { ShownResultFields } from './result-shown.ts';

/**
 * A cell as the model reads it: null, a boolean, a number exact in a double, or a string carrying what JSON
 * numbers cannot (big integers, decimals, dates… as engine/values.ts encodes them). LIST/STRUCT/MAP values come
 * as their JSON text, whole: the schema stays a flat union every client can map, and nothing is shortened.
 */
const Cell = z.union([z.string(), z.number(), z.boolean(), z.null()]);
type CellValue = z.infer<typeof Cell>;

export const QueryResultSchema = z.object({
  summary: z.string().describe('One line: rows × columns of the result, how many rows are here, how long it took.'),
  sql: z.string(),
  columns: z.array(z.object({ name: z.string(), dtype: z.string() })),
  rows: z.array(z.array(Cell)).describe('The first returned_rows rows of the result, values in column order.'),
  returned_rows: z.number(),
  total_rows: z.number(),
  truncated: z.boolean().describe('True when rows holds fewer rows than the result has: never treat them as all of it.'),
  tables: z.array(z.string()).describe('The tables loaded in this session that SQL may read.'),
  query_ms: z.number(),
  url: z.string().describe('Where the person sees the whole result (sortable, searchable, with statistics).'),
  ...ShownResultFields,
});
export type QueryResult = z.infer<typeof QueryResultSchema>;

/** A value of the wire encoding as a model cell: nested values as their JSON text, nothing cut. */
export function toQueryCell(v: unknown): CellValue {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') return v;
  return JSON.stringify(v);
}

export function buildQueryResult(a: QueryAnswer, display: Display = 'browser'): QueryResult {
  const shown = a.truncated ? `showing ${formatCount(a.returned_rows)} of ${formatCount(a.total_rows)} rows` : `all ${formatCount(a.total_rows)} rows`;
  const hints: string[] = [];
  if (a.truncated) {
    hints.push(
      `The result has ${formatCount(a.total_rows)} rows; only the first ${formatCount(a.returned_rows)} are here. Aggregate or filter in SQL (or pass a larger limit) rather than concluding from these rows; the person's page shows all of them.`,
    );
  }
  if (display === 'app') hints.push(`The whole result is shown in the chat (no browser tab was opened); to open it in a browser, give the person the URL ${a.url}`);
  if (a.browser_action === 'failed') hints.push(`Could not open a browser${a.browser_reason ? ` (${a.browser_reason})` : ''}: give the person the URL ${a.url}`);
  return {
    summary: `Query result — ${formatCount(a.total_rows)} rows × ${formatCount(a.columns.length)} columns (${shown}; ran in ${Math.round(a.query_ms)} ms)`,
    sql: a.sql,
    columns: a.columns,
    rows: a.rows.map((r) => r.map(toQueryCell)),
    returned_rows: a.returned_rows,
    total_rows: a.total_rows,
    truncated: a.truncated,
    tables: a.tables,
    query_ms: a.query_ms,
    url: a.url,
    session: a.session,
    display,
    dataset_id: a.dataset_id,
    browser_action: a.browser_action,
    hints,
  };
}

/** A cell in the text table: strings as they are (a blank string shows as ""), null as NULL. */
function textCell(v: CellValue): string {
  if (v === null) return 'NULL';
  if (v === '') return '""';
  return String(v).replace(/\r?\n/g, '\\n');
}

/** The tool's text: summary, the rows as a table, hints, where the person sees it all. */
export function queryResultText(r: QueryResult): string {
  const lines = [r.summary, ''];
  lines.push(r.columns.map((c) => c.name).join(' | '));
  for (const row of r.rows) lines.push(row.map(textCell).join(' | '));
  if (r.truncated) lines.push(`… showing ${formatCount(r.returned_rows)} of ${formatCount(r.total_rows)} rows`);
  lines.push(...r.hints, '', `View: ${r.url}`, `Tables: ${r.tables.length > 0 ? r.tables.join(', ') : '(none loaded)'}`);
  return lines.join('\n');
}
