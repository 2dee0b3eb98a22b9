// What the MCP SDK imports as `@modelcontextprotocol/server/_shims` in our bundle (build.ts aliases it here):
// the SDK's own Node shim exports the same two names but evaluates all of Ajv at import (see lazy-validator.ts).
export { default as process } from 'node:process';
export { LazyAjvValidator as DefaultJsonSchemaValidator } from './lazy-validator.ts';
