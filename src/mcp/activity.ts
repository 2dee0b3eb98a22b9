// What this MCP process's last view_data calls did, for buckaroo_diagnostics. A person told "the table did not
// show up" wants to see, in the agent's own transcript, which file was asked for, what happened to the data
// server (reused, started, replaced — and which old version went), and how the call ended, without opening
// mcp.log.

/** Calls remembered; older ones are in mcp.log. */
export const ACTIVITY_KEPT = 5;

export interface ActivityEntry {
  at: number;
  /** One line: the file and how the call ended. */
  text: string;
}

export interface Activity {
  record(text: string, at?: number): void;
  /** Newest first, each with its age; empty before the first call. */
  lines(now?: number): string[];
}

export function createActivity(): Activity {
  const entries: ActivityEntry[] = [];
  return {
    record(text, at = Date.now()) {
      entries.unshift({ at, text });
      entries.length = Math.min(entries.length, ACTIVITY_KEPT);
    },
    lines(now = Date.now()) {
      if (entries.length === 0) return [];
      return ['Recent view_data calls from this MCP process (newest first):', ...entries.map((e) => `- ${formatAge(now - e.at)} ago: ${e.text}`)];
    },
  };
}

export function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}
