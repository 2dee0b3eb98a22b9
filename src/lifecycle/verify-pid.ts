// Before any signal: is this pid really a buckaroo server of ours? Pid reuse, a server that lies about its
// pid, another user's process and plain unrelated programs must all fail. Facts are gathered from the OS;
// the verdict is a pure function so every refusal is unit-tested.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type { StateFile } from '../contract/state-file.ts';
import { isAlive, processCommandLine, processStartTime, processUid, queryProcess } from '../os/process-info.ts';
import { pidHoldsPort } from './port-holder.ts';

const PS_TIMEOUT_MS = 1_000;

export interface PidFacts {
  pid: number;
  running: boolean;
  uid?: number;
  startTime?: string;
  commandLine?: string;
  holdsPort: boolean;
  /** Windows (no uids): the process owner's SID and ours, from the same PowerShell answer. */
  ownerSid?: string;
  selfSid?: string;
}

export interface Claim {
  port: number;
  /** The pid /health reported, when it answered. */
  healthPid?: number;
  /** The state file for the port, when there is one (Python Buckaroo has none). */
  state?: StateFile;
}

export interface Self {
  pid: number;
  ppid: number;
  uid?: number;
}

export type Verdict = { ok: true } | { ok: false; gone: boolean; reason: string };

/**
 * Pure: a command line of ours or of Python Buckaroo's server: `…/buckaroo-table server …`,
 * `node …/buckaroo-table.cjs server`, `python -m buckaroo.server`. A word whose file name starts with
 * "buckaroo" must itself say "server" or be followed by the word `server`; a mere directory named
 * buckaroo-table (a checkout) does not count.
 */
export function looksLikeBuckarooServer(commandLine: string): boolean {
  const words = commandLine.split(/\s+/).filter(Boolean);
  return words.some((w, i) => {
    // Windows: backslashes, and a quoted image path (`"C:\\…\\buckaroo-table.exe" server --port 8700`).
    const base = w.slice(Math.max(w.lastIndexOf('/'), w.lastIndexOf('\\')) + 1).replace(/"/g, '').toLowerCase();
    if (!base.startsWith('buckaroo')) return false;
    return base.includes('server') || words.slice(i + 1).includes('server');
  });
}

export function verdict(facts: PidFacts, claim: Claim, self: Self): Verdict {
  const { pid } = facts;
  const no = (reason: string): Verdict => ({ ok: false, gone: false, reason });
  if (!Number.isInteger(pid) || pid <= 1) return no(`pid ${pid} is never a server`);
  if (pid === self.pid) return no(`pid ${pid} is this process`);
  if (pid === self.ppid) return no(`pid ${pid} is this process's parent`);
  if (!facts.running) return { ok: false, gone: true, reason: `pid ${pid} is no longer running` };
  if (claim.healthPid !== undefined && claim.healthPid !== pid) return no(`/health reports pid ${claim.healthPid}, not ${pid}`);
  if (claim.state && claim.state.pid !== pid) return no(`the state file names pid ${claim.state.pid}, not ${pid}`);
  if (self.uid !== undefined && facts.uid !== self.uid) return no(`pid ${pid} belongs to uid ${facts.uid ?? '?'}, not to you (uid ${self.uid})`);
  // No POSIX uid for us means Windows: there the owner is a SID, and an unnamed owner is never taken for ours.
  if (self.uid === undefined && (facts.ownerSid === undefined || facts.ownerSid !== facts.selfSid)) {
    return no(`pid ${pid} belongs to ${facts.ownerSid ?? 'an owner Windows did not name'}, not to you (${facts.selfSid ?? '?'})`);
  }
  if (!facts.commandLine || !looksLikeBuckarooServer(facts.commandLine)) {
    return no(`pid ${pid} runs ${JSON.stringify(facts.commandLine ?? '?')}, not a buckaroo server`);
  }
  const recorded = claim.state?.start_time;
  if (recorded !== undefined) {
    // The strongest proof: the OS start time recorded at start-up still matches, so the pid was not reused.
    if (facts.startTime !== recorded) return no(`pid ${pid} started at ${facts.startTime ?? '?'}, not at ${recorded} as recorded: the pid was reused`);
    return { ok: true };
  }
  // No recorded start time (Python Buckaroo, early builds): command line + holding the port must do.
  if (!facts.holdsPort) return no(`pid ${pid} does not hold port ${claim.port}`);
  return { ok: true };
}

/**
 * The process's scheduler state letter (R, S, D, T stopped, Z zombie…), '' when it is gone, undefined where the
 * OS has no such notion (Windows).
 */
export function processState(pid: number): string | undefined {
  if (process.platform === 'win32') return undefined;
  if (process.platform === 'linux') {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    } catch {
      return '';
    }
  }
  try {
    return execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8', timeout: PS_TIMEOUT_MS }).trim().slice(0, 1);
  } catch {
    return ''; // ps exits 1 when the pid is gone
  }
}

/** kill(pid, 0) succeeds for a zombie (exited, not yet reaped); it is gone for our purposes. */
function isRunning(pid: number): boolean {
  if (!isAlive(pid)) return false;
  const state = processState(pid);
  if (state === undefined) return true; // Windows: no zombies, an exited process's pid is not alive
  return state !== '' && state !== 'Z';
}

export function gatherPidFacts(pid: number, port: number): PidFacts {
  const running = isRunning(pid);
  if (!running) return { pid, running, holdsPort: false };
  if (process.platform !== 'linux') {
    // One ps / PowerShell call for everything it can tell (three would triple the cost, ~1 s each on Windows).
    const r = queryProcess(pid);
    return { pid, running, uid: r?.uid, startTime: r?.startTime, commandLine: r?.commandLine, ownerSid: r?.ownerSid, selfSid: r?.selfSid, holdsPort: pidHoldsPort(pid, port) };
  }
  return {
    pid,
    running,
    uid: processUid(pid),
    startTime: processStartTime(pid),
    commandLine: processCommandLine(pid),
    holdsPort: pidHoldsPort(pid, port),
  };
}

export function currentSelf(): Self {
  return { pid: process.pid, ppid: process.ppid, uid: process.getuid?.() };
}

/** Gathers the facts and judges them, right now: call it again right before every signal. */
export function verifyServerPid(pid: number, claim: Claim, self: Self = currentSelf()): Verdict {
  return verdict(gatherPidFacts(pid, claim.port), claim, self);
}

export { isRunning };
