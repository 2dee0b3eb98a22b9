// The data server the MCP process last reached (port and bearer token), kept so the chat app's tool calls —
// a window of rows per scroll — do not probe /health each time. Forgotten when it stops answering: the next
// call then finds, starts or replaces it the way view_data does.

import type { EnsureResult } from '../lifecycle/ensure-server.ts';

export interface DataServerLink {
  /** The last server reached, or a fresh `ensure()` when there is none. */
  get(): Promise<EnsureResult>;
  /** view_data reached this one: later app calls use it. */
  remember(server: EnsureResult): void;
  /** It did not answer: the next get() ensures again. */
  forget(): void;
}

export function createDataServerLink(ensure: () => Promise<EnsureResult>): DataServerLink {
  let current: Promise<EnsureResult> | undefined;
  return {
    get() {
      const p = (current ??= ensure());
      // A failed ensure is not kept: the next call tries again.
      p.catch(() => {
        if (current === p) current = undefined;
      });
      return p;
    },
    remember(server) {
      current = Promise.resolve(server);
    },
    forget() {
      current = undefined;
    },
  };
}
