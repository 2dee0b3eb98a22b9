// What the OS says about a process: alive?, start time, owner, command line. Used to record our own
// identity at start-up and to verify a pid before we ever signal it (pid reuse must not fool us).

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { macProcessCommand, parseMacPs, parseWindowsProcess, windowsProcessCommand, type ProcessRecord } from './process-query.ts';

const PS_TIMEOUT_MS = 1000;
/** PowerShell's own start-up is ~0.5-1 s, more on a cold or busy machine. */
const POWERSHELL_TIMEOUT_MS = 10_000;

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

/** The OS's answer about one pid on macOS and Windows (one `ps` / PowerShell call), or undefined when gone. */
export function queryProcess(pid: number, platform: NodeJS.Platform = process.platform): ProcessRecord | undefined {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  const windows = platform === 'win32';
  const { command, args } = windows ? windowsProcessCommand(pid) : macProcessCommand(pid);
  try {
    const out = execFileSync(command, args, { encoding: 'utf8', timeout: windows ? POWERSHELL_TIMEOUT_MS : PS_TIMEOUT_MS, windowsHide: true, stdio: ['ignore', 'pipe', 'ignore'] });
    return windows ? parseWindowsProcess(out) : parseMacPs(out);
  } catch {
    return undefined; // ps exits 1 for a pid that is gone; no PowerShell (wine) tells us nothing either
  }
}

/**
 * A string that changes when the pid is reused: Linux start ticks since boot, macOS `ps -o lstart=`. Not asked
 * on Windows at start-up (PowerShell takes ~1 s): a Windows server is verified by command line, owner and the
 * port it holds instead (verify-pid.ts).
 */
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
  if (process.platform === 'win32') return undefined;
  return queryProcess(pid)?.startTime;
}

export function processUid(pid: number): number | undefined {
  if (process.platform === 'linux') {
    try {
      return fs.statSync(`/proc/${pid}`).uid;
    } catch {
      return undefined;
    }
  }
  return queryProcess(pid)?.uid;
}

export function processCommandLine(pid: number): string | undefined {
  if (process.platform === 'linux') {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    } catch {
      return undefined;
    }
  }
  return queryProcess(pid)?.commandLine;
}
