// What the OS says about a process: alive?, start time, owner, command line. Used to record our own
// identity at start-up and to verify a pid before we ever signal it (pid reuse must not fool us).

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

const PS_TIMEOUT_MS = 1000;

export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A string that changes when the pid is reused: Linux start ticks since boot, macOS `ps -o lstart=`. */
export function processStartTime(pid: number): string | undefined {
  if (process.platform === 'linux') {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      // The command name (field 2) may contain spaces and parens: fields restart after the last ')'.
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return rest[19]; // field 22, starttime
    } catch {
      return undefined;
    }
  }
  return psField(pid, 'lstart=');
}

export function processUid(pid: number): number | undefined {
  if (process.platform === 'linux') {
    try {
      return fs.statSync(`/proc/${pid}`).uid;
    } catch {
      return undefined;
    }
  }
  const uid = psField(pid, 'uid=');
  return uid === undefined ? undefined : Number(uid);
}

export function processCommandLine(pid: number): string | undefined {
  if (process.platform === 'linux') {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    } catch {
      return undefined;
    }
  }
  return psField(pid, 'command=');
}

function psField(pid: number, field: string): string | undefined {
  try {
    const out = execFileSync('ps', ['-o', field, '-p', String(pid)], { encoding: 'utf8', timeout: PS_TIMEOUT_MS });
    const trimmed = out.trim();
    return trimmed === '' ? undefined : trimmed;
  } catch {
    return undefined;
  }
}
