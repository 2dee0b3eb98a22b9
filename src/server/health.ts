// GET /health: who is listening here. Cheap on purpose (no DuckDB, no disk): clients probe it on every call.

import type { Health } from '../contract/health.ts';
import type { ServerContext } from './context.ts';

export function healthBody(ctx: ServerContext, now = Date.now()): Health {
  return {
    status: 'ok',
    version: ctx.version,
    protocol: ctx.protocol,
    pid: ctx.pid,
    started: ctx.started,
    uptime_s: Math.round((now - ctx.startedMs) / 100) / 10,
    port: ctx.port,
    exe: ctx.exe,
    assets: [...ctx.assets],
  };
}
