// The SDK's Server builds an Ajv instance (with formats) in its constructor, only to validate elicitation
// answers, which we never ask for; and its Node shim evaluates all of Ajv (~1,800 lines of vendored modules)
// when the SDK is imported. This provider loads and builds Ajv on first use instead; build.ts also points the
// SDK's `_shims` at sdk-shims.ts, so the binary evaluates none of Ajv before `initialize` is answered. Same
// behaviour if a validator is ever needed.

import type { JsonSchemaType, JsonSchemaValidator, jsonSchemaValidator } from '@modelcontextprotocol/server';
import type { AjvJsonSchemaValidator } from '@modelcontextprotocol/server/validators/ajv';

type AjvModule = typeof import('@modelcontextprotocol/server/validators/ajv');

export class LazyAjvValidator implements jsonSchemaValidator {
  #ajv: AjvJsonSchemaValidator | undefined;

  getValidator<T>(schema: JsonSchemaType): JsonSchemaValidator<T> {
    // require(), not a static import: esbuild then evaluates the module only here, on first use.
    this.#ajv ??= new (require('@modelcontextprotocol/server/validators/ajv') as AjvModule).AjvJsonSchemaValidator();
    return this.#ajv.getValidator<T>(schema);
  }
}
