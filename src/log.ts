// Structured log lines (`<iso time> <level> <component> <message> {json}`) appended to a file under
// BUCKAROO_HOME. stdout is never used: in MCP mode it belongs to the protocol.

import fs from 'node:fs';
import path from 'node:path';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(component: string): Logger;
  readonly file: string | undefined;
}

const APPEND_FLAGS = fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0);

/**
 * Logs name the files a person looked at: never append to a file planted by someone else (or a symlink to
 * one); such a file is removed and started afresh, which the 0700 directory lets only us do.
 */
export function openOwnLog(file: string): number {
  let fd: number;
  try {
    fd = fs.openSync(file, APPEND_FLAGS, 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ELOOP') throw err;
    fs.rmSync(file, { force: true });
    return fs.openSync(file, APPEND_FLAGS | fs.constants.O_EXCL, 0o600);
  }
  const st = fs.fstatSync(fd);
  const uid = process.getuid?.();
  if (st.isFile() && (uid === undefined || st.uid === uid)) {
    if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) fs.fchmodSync(fd, 0o600);
    return fd;
  }
  fs.closeSync(fd);
  fs.rmSync(file, { force: true });
  return fs.openSync(file, APPEND_FLAGS | fs.constants.O_EXCL, 0o600);
}

export function fileLogger(file: string, component: string): Logger {
  let fd: number | undefined;
  const open = (): number | undefined => {
    if (fd !== undefined) return fd;
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      fd = openOwnLog(file);
    } catch {
      fd = undefined; // a log we cannot write must never take the program down
    }
    return fd;
  };
  const write = (level: LogLevel, comp: string, message: string, fields?: Record<string, unknown>): void => {
    const handle = open();
    if (handle === undefined) return;
    const extra = fields && Object.keys(fields).length > 0 ? ' ' + safeJson(fields) : '';
    try {
      fs.writeSync(handle, `${new Date().toISOString()} ${level} ${comp} ${message}${extra}\n`);
    } catch {
      /* disk full or closed: drop the line rather than crash */
    }
  };
  const make = (comp: string): Logger => ({
    debug: (m, f) => write('debug', comp, m, f),
    info: (m, f) => write('info', comp, m, f),
    warn: (m, f) => write('warn', comp, m, f),
    error: (m, f) => write('error', comp, m, f),
    child: (sub) => make(`${comp}.${sub}`),
    file,
  });
  return make(component);
}

/** A logger that drops everything, for unit tests and library callers that do not care. */
export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => silentLogger,
  file: undefined,
};

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v: unknown) =>
      v instanceof Error ? { name: v.name, message: v.message, stack: v.stack } : typeof v === 'bigint' ? v.toString() : v,
    );
  } catch {
    return '"<unserialisable>"';
  }
}
