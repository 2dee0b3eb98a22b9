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

export function fileLogger(file: string, component: string): Logger {
  let fd: number | undefined;
  const open = (): number | undefined => {
    if (fd !== undefined) return fd;
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      fd = fs.openSync(file, 'a', 0o600);
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
