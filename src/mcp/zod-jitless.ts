// Imported first by cli/mcp.ts, before the SDK builds its schemas (zod reads the flag when a schema is made).
// zod's default JIT generates and compiles a parser per object schema on its first parse; for the handful of
// small messages an MCP process handles that is start-up cost (~1 ms before `initialize` is answered) with
// no later pay-off, and `new Function` code is not in our V8 code cache.

import { config } from 'zod/v4/core';

config({ jitless: true });
