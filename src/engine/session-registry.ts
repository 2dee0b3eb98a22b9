// Session id → the file it showed and every file it kept as a SQL table (with the table's name), on disk under
// BUCKAROO_HOME/sessions, so a server started after an upgrade or a crash can reload what an open viewer page was
// showing and what query_data could read, under the same names. One small JSON file per session, written atomically.
// An entry is a promise to read a file on someone's behalf: only our own private files count (not another
// user's, not a symlink, not readable by others), and none older than REGISTRY_ENTRY_TTL_MS.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { isValidSessionId } from '../contract/session-id.ts';
import { ensurePrivateDir, readOwnPrivateFile } from '../os/private-files.ts';

/** A page left open longer than this is not brought back by a new server; the agent shows the file again. */
export const REGISTRY_ENTRY_TTL_MS = 7 * 24 * 60 * 60_000;

const TableSchema = z.object({ path: z.string(), name: z.string() });
/** `tables` is absent from entries written before a session kept its tables across servers. */
const EntrySchema = z.object({ session: z.string(), path: z.string(), tables: z.array(TableSchema).optional(), updated: z.string() });
export type RegistryTable = z.infer<typeof TableSchema>;
export type RegistryEntry = z.infer<typeof EntrySchema>;

export interface SessionRegistry {
  get(session: string): Promise<RegistryEntry | undefined>;
  /** `file` is what the session shows (or last showed of its files); `tables` its files, oldest first. */
  put(session: string, file: string, tables?: RegistryTable[]): Promise<void>;
}

/** Whether an entry written at `updated` is still honoured at `nowMs` (an unreadable date is not). */
export function entryIsFresh(updated: string, nowMs: number): boolean {
  const t = Date.parse(updated);
  return Number.isFinite(t) && nowMs - t <= REGISTRY_ENTRY_TTL_MS && t <= nowMs + REGISTRY_ENTRY_TTL_MS;
}

export function fileSessionRegistry(dir: string, now: () => number = Date.now): SessionRegistry {
  const fileOf = (session: string): string => path.join(dir, `${session}.json`);
  return {
    async get(session) {
      if (!isValidSessionId(session)) return undefined;
      const raw = await readOwnPrivateFile(fileOf(session));
      if (!raw) return undefined;
      try {
        const parsed = EntrySchema.safeParse(JSON.parse(raw.toString('utf8')));
        if (!parsed.success || parsed.data.session !== session) return undefined;
        if (!entryIsFresh(parsed.data.updated, now())) {
          await fs.promises.rm(fileOf(session), { force: true });
          return undefined;
        }
        return parsed.data;
      } catch {
        return undefined;
      }
    },
    async put(session, file, tables) {
      if (!isValidSessionId(session)) return;
      ensurePrivateDir(dir);
      const entry: RegistryEntry = { session, path: file, ...(tables ? { tables } : {}), updated: new Date(now()).toISOString() };
      const tmp = `${fileOf(session)}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
      await fs.promises.writeFile(tmp, JSON.stringify(entry), { mode: 0o600, flag: 'wx' });
      await fs.promises.rename(tmp, fileOf(session));
    },
  };
}
