// Adds or updates `[mcp_servers.<name>]` in Codex's config.toml with a line-level edit: only the table's
// `command` and `args` lines change; comments, other keys and other tables stay byte for byte.

import type { EditResult } from './json-config.ts';

/** A TOML basic string: JSON's escaping is a valid subset for the paths and words we write. */
export function tomlString(s: string): string {
  return JSON.stringify(s);
}

export function tomlArray(items: readonly string[]): string {
  return `[${items.map(tomlString).join(', ')}]`;
}

const HEADER_RE = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$/;

function headerName(line: string): string | undefined {
  const m = HEADER_RE.exec(line);
  if (!m) return undefined;
  // Normalise `mcp_servers."buckaroo-table"` and `mcp_servers . buckaroo-table` to dotted bare form.
  return m[1]!
    .split('.')
    .map((p) => p.trim().replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1'))
    .join('.');
}

/** Counts unbalanced `[` minus `]` outside strings, to skip a multi-line array value. */
function bracketDepth(line: string): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#') break;
    else if (c === '[') depth++;
    else if (c === ']') depth--;
  }
  return depth;
}

export function upsertTomlServer(original: string | undefined, name: string, command: string, args: readonly string[]): EditResult {
  const text = original ?? '';
  const table = `mcp_servers.${name}`;
  const wanted = { command: `command = ${tomlString(command)}`, args: `args = ${tomlArray(args)}` };
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  const start = lines.findIndex((l) => headerName(l) === table);
  if (start === -1) {
    const needsGap = lines.length > 0 && lines[lines.length - 1]!.trim() !== '';
    const out = [...lines, ...(needsGap ? [''] : []), `[${table}]`, wanted.command, wanted.args];
    return { text: out.join('\n') + '\n', change: 'added' };
  }
  let end = lines.findIndex((l, i) => i > start && headerName(l) !== undefined);
  if (end === -1) end = lines.length;
  const body: string[] = [];
  const seen = new Set<string>();
  for (let i = start + 1; i < end; i++) {
    const line = lines[i]!;
    const key = /^\s*([A-Za-z0-9_-]+)\s*=/.exec(line)?.[1];
    if (key === 'command' || key === 'args') {
      let depth = bracketDepth(line);
      while (depth > 0 && i + 1 < end) depth += bracketDepth(lines[++i]!);
      body.push(wanted[key]);
      seen.add(key);
    } else {
      body.push(line);
    }
  }
  // Keys we add go right after the header, before any blank line that separates the next table.
  const missing = (['command', 'args'] as const).filter((k) => !seen.has(k)).map((k) => wanted[k]);
  const newBody = [...missing, ...body];
  const out = [...lines.slice(0, start + 1), ...newBody, ...lines.slice(end)];
  const next = out.join('\n') + '\n';
  const normalisedOriginal = text.endsWith('\n') ? text : text + '\n';
  return next === normalisedOriginal ? { text, change: 'unchanged' } : { text: next, change: 'updated' };
}
