// Session id → file path, on disk under BUCKAROO_HOME/sessions, so a server started after an upgrade or a
// crash can reload what an open viewer page was showing. One small JSON file per session, written atomically.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { isValidSessionId } from '../contract/session-id.ts';

const EntrySchema = z.object({ session: z.string(), path: z.string(), updated: z.string() });
export type RegistryEntry = z.infer<typeof EntrySchema>;

export interface SessionRegistry {
  get(session: string): Promise<RegistryEntry | undefined>;
  put(session: string, file: string): Promise<void>;
}

export function fileSessionRegistry(dir: string): SessionRegistry {
  const fileOf = (session: string): string => path.join(dir, `${session}.json`);
  return {
    async get(session) {
      if (!isValidSessionId(session)) return undefined;
      try {
        const parsed = EntrySchema.safeParse(JSON.parse(await fs.promises.readFile(fileOf(session), 'utf8')));
        return parsed.success && parsed.data.session === session ? parsed.data : undefined;
      } catch {
        return undefined;
      }
    },
    async put(session, file) {
      if (!isValidSessionId(session)) return;
      await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
      const entry: RegistryEntry = { session, path: file, updated: new Date().toISOString() };
      const tmp = `${fileOf(session)}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
      await fs.promises.writeFile(tmp, JSON.stringify(entry), { mode: 0o600 });
      await fs.promises.rename(tmp, fileOf(session));
    },
  };
}
