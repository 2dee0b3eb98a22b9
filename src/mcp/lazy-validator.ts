// The SDK's Server builds an Ajv instance (with formats) in its constructor, only to validate elicitation
// answers, which we never ask for. This provider builds it on first use instead: ~1.5 ms less before `mcp`
// answers `initialize`, same behaviour if a validator is ever needed.

import type { JsonSchemaType, JsonSchemaValidator, jsonSchemaValidator } from '@modelcontextprotocol/server';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/server/validators/ajv';

export class LazyAjvValidator implements jsonSchemaValidator {
  #ajv: AjvJsonSchemaValidator | undefined;

  getValidator<T>(schema: JsonSchemaType): JsonSchemaValidator<T> {
    this.#ajv ??= new AjvJsonSchemaValidator();
    return this.#ajv.getValidator<T>(schema);
  }
}
