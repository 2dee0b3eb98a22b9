// What to ask macOS and Windows about a process or a port, and how to read the answer: pure command specs and
// parsers, unit-tested with recorded outputs (test/unit/os/process-query.test.ts). process-info.ts and
// port-holder.ts run them. Linux needs none of this: /proc answers directly.

export interface OsCommand {
  command: string;
  args: string[];
}

export interface ProcessRecord {
  /** A string that changes when the pid is reused: `ps` lstart on macOS, CreationDate (UTC, ISO) on Windows. */
  startTime: string;
  commandLine: string;
  /** macOS: the owner's uid. */
  uid?: number;
  /** Windows: the full path of the image, the owner's SID and ours (asked in the same call). */
  exe?: string;
  ownerSid?: string;
  selfSid?: string;
}

/** macOS: owner, start time (`Sun Nov 29 15:13:55 2026`) and full command line in one `ps` call. */
export const macProcessCommand = (pid: number): OsCommand => ({ command: 'ps', args: ['-ww', '-o', 'uid=,lstart=,command=', '-p', String(pid)] });

/** Pure: the line of `ps -o uid=,lstart=,command=`; undefined when ps printed nothing (the pid is gone). */
export function parseMacPs(out: string): ProcessRecord | undefined {
  const m = /^\s*(\d+)\s+(\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4})\s+(.*\S)\s*$/.exec(out.split('\n').find((l) => l.trim() !== '') ?? '');
  if (!m) return undefined;
  return { uid: Number(m[1]), startTime: m[2]!.replace(/\s+/g, ' '), commandLine: m[3]! };
}

/**
 * Windows: one PowerShell call for the process's creation time, image path, command line and owner SID, and
 * our own SID to compare with (GetOwnerSid needs no elevation, unlike Get-Process -IncludeUserName).
 */
export function windowsProcessCommand(pid: number): OsCommand {
  const script = [
    `$p = Get-CimInstance Win32_Process -Filter 'ProcessId=${Math.trunc(pid)}'`,
    'if ($p) {',
    '  $o = Invoke-CimMethod -InputObject $p -MethodName GetOwnerSid',
    "  [pscustomobject]@{ created = $p.CreationDate.ToUniversalTime().ToString('o'); exe = $p.ExecutablePath; cmd = $p.CommandLine;",
    '    sid = $o.Sid; me = [Security.Principal.WindowsIdentity]::GetCurrent().User.Value } | ConvertTo-Json -Compress',
    '}',
  ].join('\n');
  return { command: 'powershell.exe', args: ['-NoProfile', '-NonInteractive', '-Command', script] };
}

/** Pure: the JSON line windowsProcessCommand prints; undefined when it printed nothing (the pid is gone). */
export function parseWindowsProcess(out: string): ProcessRecord | undefined {
  const text = out.trim();
  if (text === '') return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  const r = raw as Record<string, unknown>;
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  const startTime = str(r.created);
  if (!startTime) return undefined;
  // A process of another user shows no command line to us: it stays empty and is never taken for ours.
  return { startTime, commandLine: str(r.cmd) ?? '', exe: str(r.exe), ownerSid: str(r.sid), selfSid: str(r.me) };
}

/** Windows: every TCP socket with its owning pid; netstat ships with every Windows and answers in ~50 ms. */
export const windowsNetstatCommand = (): OsCommand => ({ command: 'netstat', args: ['-ano', '-p', 'TCP'] });

/** Pure: pids listening on 127.0.0.1/0.0.0.0:`port` in `netstat -ano` output (the English and other locales). */
export function parseNetstatListeners(out: string, port: number): number[] {
  const pids = new Set<number>();
  for (const line of out.split(/\r?\n/)) {
    // "  TCP    127.0.0.1:8700         0.0.0.0:0              LISTENING       4242"; the state word is translated
    // in other locales, but a listener's remote address is always 0.0.0.0:0 or [::]:0.
    const m = /^\s*TCP\s+(\S+):(\d+)\s+(?:0\.0\.0\.0:0|\[::\]:0)\s+\S+\s+(\d+)\s*$/.exec(line);
    if (m && Number(m[2]) === port) pids.add(Number(m[3]));
  }
  return [...pids];
}

/**
 * How to stop a verified pid. POSIX: signals (the caller uses process.kill). Windows has no SIGTERM: `taskkill
 * /PID` asks politely (it fails for a windowless process like our server, which is why /shutdown comes first),
 * then `/F` terminates.
 */
export function killCommand(platform: NodeJS.Platform, pid: number, force: boolean): OsCommand | NodeJS.Signals {
  if (platform !== 'win32') return force ? 'SIGKILL' : 'SIGTERM';
  return { command: 'taskkill', args: force ? ['/F', '/PID', String(pid)] : ['/PID', String(pid)] };
}
