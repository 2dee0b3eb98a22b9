// What compare_data hands the agent, as data (outputSchema, structuredContent) and the short text rendered from
// it alone, so a client that shows the model only structuredContent loses nothing.

import path from 'node:path';
import { z } from 'zod';
import type { CompareAnswer } from '../contract/data-api.ts';
import { formatCount, type Display } from './view-result.ts';
import { ShownResultFields } from './result-shown.ts';

/** Columns named in the text's "changed" line; the structured result has every one. */
const TEXT_COLUMNS_MAX = 10;

const ComparedFile = z.object({ path: z.string(), table: z.string().describe('Its SQL table name for query_data.'), rows: z.number(), columns: z.number() });

export const CompareResultSchema = z.object({
  summary: z.string().describe('One line: how many rows are only on one side and how many changed.'),
  left: ComparedFile,
  right: ComparedFile,
  keys: z.array(z.string()).describe('The columns rows are matched by: given, or detected (several when no single column is unique).'),
  keys_detected: z.boolean().describe('True when the key was detected (the first column unique and non-null in both files, else the first pair or triple of columns that is together), not given.'),
  only_in_left: z.number(),
  only_in_right: z.number(),
  changed_rows: z.number(),
  changed_by_column: z.record(z.string(), z.number()).describe('Changed rows per column (columns in both files, keys excluded).'),
  columns_only_in_left: z.array(z.string()),
  columns_only_in_right: z.array(z.string()),
  type_changes: z.array(z.object({ column: z.string(), left: z.string(), right: z.string() })),
  compare_ms: z.number(),
  url: z.string().describe('Where the person sees the differing rows, changed cells as old → new.'),
  ...ShownResultFields,
});
export type CompareResult = z.infer<typeof CompareResultSchema>;

export function buildCompareResult(a: CompareAnswer, display: Display = 'browser'): CompareResult {
  const hints: string[] = [];
  const keyText = a.keys.join(', ');
  const detected = a.keys.length === 1 ? 'the first column unique and non-null in both files' : `these ${a.keys.length} columns together unique and non-null in both files (no single column is)`;
  hints.push(a.keys_detected ? `Rows matched by ${keyText}, detected as ${detected}; pass keys to match by other columns.` : `Rows matched by ${keyText}.`);
  hints.push(`Both files stay loaded: query them with query_data as ${a.left.table} and ${a.right.table}.`);
  if (display === 'app') hints.push(`The differing rows are shown in the chat (no browser tab was opened); to open them in a browser, give the person the URL ${a.url}`);
  if (a.browser_action === 'failed') hints.push(`Could not open a browser${a.browser_reason ? ` (${a.browser_reason})` : ''}: give the person the URL ${a.url}`);
  const name = (p: string) => path.basename(p);
  return {
    summary: `${name(a.left.path)} → ${name(a.right.path)}: ${formatCount(a.only_in_left)} rows only in left, ${formatCount(a.only_in_right)} only in right, ${formatCount(a.changed_rows)} changed (of ${formatCount(a.left.rows)} and ${formatCount(a.right.rows)} rows; ${Math.round(a.compare_ms)} ms)`,
    left: a.left,
    right: a.right,
    keys: a.keys,
    keys_detected: a.keys_detected,
    only_in_left: a.only_in_left,
    only_in_right: a.only_in_right,
    changed_rows: a.changed_rows,
    changed_by_column: a.changed_by_column,
    columns_only_in_left: a.columns_only_in_left,
    columns_only_in_right: a.columns_only_in_right,
    type_changes: a.type_changes,
    compare_ms: a.compare_ms,
    url: a.url,
    session: a.session,
    display,
    dataset_id: a.dataset_id,
    browser_action: a.browser_action,
    hints,
  };
}

export function compareResultText(r: CompareResult): string {
  const lines = [r.summary];
  const changed = Object.entries(r.changed_by_column)
    .filter(([, n]) => n > 0)
    .sort((x, y) => y[1] - x[1]);
  if (changed.length > 0) {
    const listed = changed.slice(0, TEXT_COLUMNS_MAX).map(([c, n]) => `${c} ${formatCount(n)}`);
    lines.push(`Changed cells by column: ${listed.join(', ')}${changed.length > TEXT_COLUMNS_MAX ? `, … (${changed.length} columns)` : ''}`);
  }
  if (r.columns_only_in_left.length > 0) lines.push(`Columns only in left: ${r.columns_only_in_left.join(', ')}`);
  if (r.columns_only_in_right.length > 0) lines.push(`Columns only in right: ${r.columns_only_in_right.join(', ')}`);
  if (r.type_changes.length > 0) lines.push(`Type changes: ${r.type_changes.map((t) => `${t.column} ${t.left} → ${t.right}`).join(', ')}`);
  lines.push(...r.hints, '', `View: ${r.url}`);
  return lines.join('\n');
}
