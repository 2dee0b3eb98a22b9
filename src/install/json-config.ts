// Adds or updates one server entry in a JSON MCP config (`{"mcpServers": {...}}` or VS Code's `{"servers": …}`),
// leaving every other key as it was. Pure: text in, text out, so the edits are unit-tested.

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
  let root: unknown = {};
  if (original !== undefined && original.trim() !== '') {
    try {
      root = JSON.parse(original);
    } catch (err) {
      throw new ConfigEditError(`${file} is not plain JSON (${(err as Error).message}; comments are not supported); add the entry by hand: ${JSON.stringify({ [sectionKey]: { [name]: entry } })}`);
    }
  }
  if (!isObject(root)) throw new ConfigEditError(`${file} does not contain a JSON object at the top level.`);
  const section = root[sectionKey] ?? {};
  if (!isObject(section)) throw new ConfigEditError(`"${sectionKey}" in ${file} is not an object.`);
  const before = section[name];
  const merged = isObject(before) ? { ...before, ...entry } : entry;
  if (before !== undefined && sameJson(before, merged)) return { text: original ?? '', change: 'unchanged' };
  const next = { ...root, [sectionKey]: { ...section, [name]: merged } };
  const indent = detectIndent(original) ?? 2;
  return { text: JSON.stringify(next, null, indent) + '\n', change: before === undefined ? 'added' : 'updated' };
}

function detectIndent(text: string | undefined): number | string | undefined {
  const m = text ? /^\{\s*\n([ \t]+)"/.exec(text) : null;
  if (!m) return undefined;
  return m[1]!.includes('\t') ? '\t' : m[1]!.length;
}
