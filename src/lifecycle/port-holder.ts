// Who holds a TCP port on 127.0.0.1, as far as the OS will tell us: Linux /proc/net/tcp{,6} + /proc/<pid>/fd,
// macOS `lsof`, Windows `netstat -ano` (parsed in src/os/process-query.ts). Used to verify "this pid really holds the port" and to name a foreign holder in messages.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { processCommandLine } from '../os/process-info.ts';
import { parseNetstatListeners, windowsNetstatCommand } from '../os/process-query.ts';

const LSOF_TIMEOUT_MS = 1_000;
/** netstat lists every socket of the machine: ~50 ms usually, more with thousands of connections. */
const NETSTAT_TIMEOUT_MS = 5_000;
/** The TCP state code for LISTEN in /proc/net/tcp. */
const TCP_LISTEN = '0A';
/** A connect() to a free port on loopback is refused at once; this only bounds a wedged kernel. */
const PORT_CHECK_TIMEOUT_MS = 300;

/** Pure: socket inodes listening on `port` in the text of /proc/net/tcp or /proc/net/tcp6. */
export function listeningInodes(procNetTcp: string, port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const out: string[] = [];
  for (const line of procNetTcp.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
    if (cols.length < 10) continue;
    const local = cols[1] ?? '';
    if (local.slice(local.lastIndexOf(':') + 1) === hexPort && cols[3] === TCP_LISTEN && cols[9] !== '0') out.push(cols[9]!);
  }
  return out;
}

function linuxInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  for (const f of ['/proc/net/tcp', '/proc/net/tcp6']) {
    try {
      for (const i of listeningInodes(fs.readFileSync(f, 'utf8'), port)) inodes.add(i);
    } catch {
      /* no IPv6, or no /proc */
    }
  }
  return inodes;
}

function pidHasSocket(pid: number, inodes: Set<string>): boolean {
  let fds: string[];
  try {
    fds = fs.readdirSync(`/proc/${pid}/fd`);
  } catch {
    return false; // gone, or not ours to look at
  }
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m && inodes.has(m[1]!)) return true;
    } catch {
      /* fd closed meanwhile */
    }
  }
  return false;
}

function lsofPids(port: number): number[] {
  try {
    const out = execFileSync('lsof', ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-t'], { encoding: 'utf8', timeout: LSOF_TIMEOUT_MS });
    return out.split('\n').map(Number).filter((n) => Number.isInteger(n) && n > 0);
  } catch {
    return [];
  }
}

/** Windows: `netstat -ano` names the pid behind every listening socket, of every user. */
function netstatPids(port: number): number[] {
  const { command, args } = windowsNetstatCommand();
  try {
    return parseNetstatListeners(execFileSync(command, args, { encoding: 'utf8', timeout: NETSTAT_TIMEOUT_MS, windowsHide: true }), port);
  } catch {
    return [];
  }
}

/** True when `pid` has a socket listening on `port`. */
export function pidHoldsPort(pid: number, port: number): boolean {
  if (process.platform === 'linux') return pidHasSocket(pid, linuxInodes(port));
  if (process.platform === 'win32') return netstatPids(port).includes(pid);
  return lsofPids(port).includes(pid);
}

/** The pids listening on `port` that we are allowed to see (other users' processes stay hidden on Linux). */
export function pidsListeningOn(port: number): number[] {
  if (process.platform === 'win32') return netstatPids(port);
  if (process.platform !== 'linux') return lsofPids(port);
  const inodes = linuxInodes(port);
  if (inodes.size === 0) return [];
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    if (pidHasSocket(Number(entry), inodes)) pids.push(Number(entry));
  }
  return pids;
}

/** "pid 123: python3 -m http.server 8700", or a plain "another program" when the OS will not say. */
export function describePortHolder(port: number): string {
  const pid = pidsListeningOn(port)[0];
  if (pid === undefined) return 'another program (the OS does not say which; it may belong to another user)';
  const cmd = processCommandLine(pid);
  return cmd ? `pid ${pid}: ${truncate(cmd, 120)}` : `pid ${pid}`;
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/**
 * True when nothing accepts connections on 127.0.0.1:port. Windows retries a refused connect for ~2 s (a closed
 * port never answered within our timeout, so `stop` reported a gone server as "still there"): there we try to
 * bind the port instead, which Windows refuses while anyone listens on it (libuv sets no SO_REUSEADDR there).
 */
export function portIsFree(port: number, platform: NodeJS.Platform = process.platform): Promise<boolean> {
  if (platform === 'win32') return portBindable(port);
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    const done = (free: boolean): void => {
      clearTimeout(timer);
      sock.destroy();
      resolve(free);
    };
    const timer = setTimeout(() => done(false), PORT_CHECK_TIMEOUT_MS);
    sock.once('connect', () => done(false));
    sock.once('error', () => done(true));
  });
}

function portBindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/** A port nobody listens on right now: bind :0 on loopback, read it, close. */
export function pickFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
