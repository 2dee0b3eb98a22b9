// Small JSON files that cross process boundaries (state file, port pointer, update cache): read through a
// schema (a missing, unreadable or foreign file is simply "none"), written atomically so a reader never sees half.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { readOwnFileSync } from '../os/private-files.ts';

/** Only a regular file of ours counts: a token or port planted by another user, or a symlink, is "none". */
export function readJsonFile<S extends z.ZodType>(file: string, schema: S): z.infer<S> | undefined {
  const text = readOwnFileSync(file);
  if (text === undefined) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function writeFileAtomic(file: string, content: string, mode = 0o600): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(tmp, content, { mode });
  fs.renameSync(tmp, file);
}

export function writeJsonFileAtomic(file: string, value: unknown, mode = 0o600): void {
  writeFileAtomic(file, JSON.stringify(value, null, 2) + '\n', mode);
}
