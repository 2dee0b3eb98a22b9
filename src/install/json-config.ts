// Adds or updates one server entry in a JSON MCP config (`{"mcpServers": {...}}` or VS Code's `{"servers": …}`),
// leaving every other byte as it was. VS Code's mcp.json is JSONC (comments, trailing commas): the edit goes
// through Microsoft's jsonc-parser, the library VS Code itself edits it with, so comments and layout survive.
// Pure: text in, text out, so the edits are unit-tested.

import { applyEdits, modify, parse, printParseErrorCode, type ParseError } from 'jsonc-parser';

export type ConfigChange = 'added' | 'updated' | 'unchanged';

export class ConfigEditError extends Error {
  readonly code = 'E_CONFIG_EDIT';
}

export interface EditResult {
  text: string;
  change: ConfigChange;
}

type JsonObject = Record<string, unknown>;

const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * `original` is the file's text ('' or undefined when it does not exist). Existing fields of our entry that we
 * do not set (e.g. `env`) are kept; `command`, `args` (and `type` where given) are set.
 */
export function upsertJsonServer(original: string | undefined, sectionKey: string, name: string, entry: JsonObject, file = 'the config file'): EditResult {
  const text = original !== undefined && original.trim() !== '' ? original : '{}\n';
  const errors: ParseError[] = [];
  const root: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0) {
    const first = errors[0]!;
    const line = text.slice(0, first.offset).split('\n').length;
    throw new ConfigEditError(
      `${file} is not valid JSON or JSONC (${printParseErrorCode(first.error)} on line ${line}); fix it or add the entry by hand: ${JSON.stringify({ [sectionKey]: { [name]: entry } })}`,
    );
  }
  if (!isObject(root)) throw new ConfigEditError(`${file} does not contain a JSON object at the top level.`);
  const section = root[sectionKey];
  if (section !== undefined && !isObject(section)) throw new ConfigEditError(`"${sectionKey}" in ${file} is not an object.`);
  const before = section?.[name];
  const merged = isObject(before) ? { ...before, ...entry } : entry;
  if (before !== undefined && sameJson(before, merged)) return { text: original ?? '', change: 'unchanged' };
  const indent = detectIndent(text);
  const edits = modify(text, [sectionKey, name], merged, {
    formattingOptions: { insertSpaces: indent !== '\t', tabSize: typeof indent === 'number' ? indent : 2, eol: text.includes('\r\n') ? '\r\n' : '\n' },
  });
  const next = applyEdits(text, edits);
  return { text: next.endsWith('\n') ? next : `${next}\n`, change: before === undefined ? 'added' : 'updated' };
}

/** The indent of the file's first member: tab or a number of spaces (2 when it cannot tell). */
function detectIndent(text: string): number | '\t' {
  const m = /^\{[^\n]*\n(?:\s*\/\/[^\n]*\n)*([ \t]+)\S/.exec(text);
  if (!m) return 2;
  return m[1]!.includes('\t') ? '\t' : m[1]!.length;
}
