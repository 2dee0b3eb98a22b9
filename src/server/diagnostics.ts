// GET /diagnostics: everything a person debugging an install wants in one answer: versions, paths, memory,
// embedded assets, and whether DuckDB loads (which proves the native library works inside this binary).

import os from 'node:os';
import type { Engine } from '../engine/duckdb.ts';
import { logsDir, runDir, serverLogPath } from '../paths.ts';
import type { ServerContext } from './context.ts';

export async function diagnosticsBody(ctx: ServerContext): Promise<Record<string, unknown>> {
  let duckdb: Record<string, unknown>;
  try {
    const engine = await ctx.engine();
    duckdb = {
      ok: true,
      version: engine.version,
      threads: engine.threads,
      memory_limit: engine.memoryLimit,
      temp_dir: engine.tempDir,
      native_unpack: engine.nativeUnpack,
      worker_nice: engine.workerNice.nice,
      worker_threads_lowered: engine.workerNice.threads,
      memory_mb: await duckdbMemory(engine),
      spare_memory_releases: engine.spareMemoryReleases,
    };
  } catch (err) {
    duckdb = { ok: false, error: (err as Error).message };
  }
  const mem = process.memoryUsage();
  return {
    version: ctx.version,
    protocol: ctx.protocol,
    pid: ctx.pid,
    port: ctx.port,
    started: ctx.started,
    uptime_s: Math.round((Date.now() - ctx.startedMs) / 1000),
    exe: ctx.exe,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    hostname: os.hostname(),
    memory: { rss_mb: mb(mem.rss), heap_total_mb: mb(mem.heapTotal), heap_used_mb: mb(mem.heapUsed), external_mb: mb(mem.external), array_buffers_mb: mb(mem.arrayBuffers) },
    paths: { logs: logsDir(ctx.env), server_log: serverLogPath(ctx.env), run: runDir(ctx.env), state_file: ctx.stateFile },
    assets: ctx.assets,
    duckdb,
  };
}

const mb = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** What DuckDB itself holds, by its own tags (tables, hash tables, ...), in MB; where a server's RSS goes. */
async function duckdbMemory(engine: Engine): Promise<Record<string, number> | { error: string }> {
  try {
    return await engine.withConnection(async (c) => {
      const r = await c.runAndReadAll('select tag, memory_usage_bytes, temporary_storage_bytes from duckdb_memory() where memory_usage_bytes > 0 or temporary_storage_bytes > 0');
      const out: Record<string, number> = {};
      for (const [tag, mem, tmp] of r.getRows()) {
        out[String(tag).toLowerCase()] = mb(Number(mem));
        if (Number(tmp) > 0) out[`${String(tag).toLowerCase()}_spilled`] = mb(Number(tmp));
      }
      return out;
    });
  } catch (err) {
    return { error: (err as Error).message };
  }
}
