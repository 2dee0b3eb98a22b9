// Tool schemas every client can map: zod writes a nullable field as `"type": ["number", "null"]`, which clients
// that map schemas onto a single-`type` dialect (Gemini's OpenAPI subset) reject; `inspector --strict` flags it.
// This wraps a zod schema so the JSON Schema the SDK publishes spells such fields as `anyOf` of single types.

import type { StandardSchemaWithJSON } from '@modelcontextprotocol/server';

type JsonSchema = Record<string, unknown>;

/** The same schema (validation and TypeScript types unchanged) whose published JSON Schema has no type arrays. */
export function portableSchema<S extends StandardSchemaWithJSON>(schema: S): S {
  const std = schema['~standard'];
  const jsonSchema = {
    input: (options: Parameters<typeof std.jsonSchema.input>[0]) => splitTypeArrays(std.jsonSchema.input(options)),
    output: (options: Parameters<typeof std.jsonSchema.output>[0]) => splitTypeArrays(std.jsonSchema.output(options)),
  };
  return { '~standard': { ...std, jsonSchema } } as unknown as S; // same members, one replaced: the cast keeps S's inference
}

/** `{"type": ["number","null"], "description": d}` → `{"anyOf": [{"type":"number"},{"type":"null"}], "description": d}`, at any depth. */
export function splitTypeArrays(node: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) out[key] = splitValue(value);
  const type = out.type;
  if (Array.isArray(type)) {
    delete out.type;
    const single = type.length === 1;
    if (single) out.type = type[0];
    else out.anyOf = type.map((t: unknown) => ({ type: t }));
  }
  return out;
}

function splitValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(splitValue);
  if (value !== null && typeof value === 'object') return splitTypeArrays(value as JsonSchema);
  return value;
}
