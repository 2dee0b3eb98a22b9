// Opens the one DuckDB instance the server uses, configured to spill to disk under BUCKAROO_HOME rather than
// run out of memory. The import is dynamic so only the server path ever loads the native library.

import fs from 'node:fs';
import os from 'node:os';
import { duckdbTempDir, type Env } from '../paths.ts';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

/** DuckDB may use this share of physical memory before it spills to its temp directory. */
const MEMORY_LIMIT_FRACTION = 0.5;

export interface Engine {
  instance: DuckDBInstance;
  connection: DuckDBConnection;
  version: string;
  close(): void;
}

export async function openEngine(env: Env = process.env): Promise<Engine> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const tempDir = duckdbTempDir(env);
  fs.mkdirSync(tempDir, { recursive: true, mode: 0o700 });
  const memoryLimitMb = Math.floor((os.totalmem() / 1024 / 1024) * MEMORY_LIMIT_FRACTION);
  const instance = await DuckDBInstance.create(':memory:', {
    memory_limit: `${memoryLimitMb}MB`,
    temp_directory: tempDir,
    // Queries run on the engine's own threads; the event loop stays free to answer /health.
    threads: String(Math.max(1, os.availableParallelism())),
  });
  const connection = await instance.connect();
  const reader = await connection.runAndReadAll('select version() as v');
  const version = String(reader.getRowObjects()[0]?.v ?? 'unknown');
  return {
    instance,
    connection,
    version,
    close() {
      try {
        connection.closeSync();
        instance.closeSync();
      } catch {
        /* closing at exit: nothing useful to do with a failure */
      }
    },
  };
}
