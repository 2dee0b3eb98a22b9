// Pure: the sentences a person reads about what ensureServer and stop did. The one description of an ensure
// result: the CLI prints it, view_data's text ends with it, and buckaroo_diagnostics lists it per call.

import type { EnsureResult } from './ensure-server.ts';
import type { StopResult } from './stop-server.ts';

const HOW: Record<'shutdown' | 'sigterm' | 'sigkill', string> = {
  shutdown: 'stopped via /shutdown',
  sigterm: 'stopped with SIGTERM',
  sigkill: 'killed with SIGKILL',
};

/** "stopped via /shutdown", "stopped with SIGTERM", "killed with SIGKILL" (anything else as it is). */
export function describeHow(how: string): string {
  return how in HOW ? HOW[how as keyof typeof HOW] : how;
}

export function describeEnsureResult(r: EnsureResult): string {
  const where = `on port ${r.port}`;
  let text: string;
  switch (r.status) {
    case 'reused':
      text = `Reused data server ${r.version} (pid ${r.pid}) ${where} (${r.ms} ms).`;
      break;
    case 'started':
      text = `Started data server ${r.version} (pid ${r.pid}) ${where} (${r.ms} ms).`;
      break;
    case 'replaced': {
      const p = r.previous;
      const old = p ? `${p.version} (pid ${p.pid}, ${HOW[p.how]})` : 'the old server';
      text = `Replaced data server ${old} with ${r.version} (pid ${r.pid}) ${where} (${r.ms} ms).`;
      break;
    }
  }
  return r.notice ? `${text} Note: ${r.notice}.` : text;
}

export function describeStopResult(r: StopResult): string {
  if (r.status === 'not-running') return `No buckaroo-table server is running on port ${r.port}.`;
  const p = r.previous;
  return `Stopped data server ${p.version} (pid ${p.pid}) on port ${r.port}, ${HOW[p.how]} (${r.ms} ms).`;
}
