// A call that survives another session replacing the server under it: ensureServer → call; when the call
// loses its connection, ensureServer once more and, if another server of ours took over, the call again.

import { ServerRequestError } from './api-client.ts';
import { decideAfterLostServer } from './decide.ts';
import type { EnsureResult } from './ensure-server.ts';

export interface ServedCall<T> {
  /** The server that answered the call (after a retry, the replacement, its notice saying so). */
  server: EnsureResult;
  value: T;
}

export async function callThroughReplacement<T>(ensure: () => Promise<EnsureResult>, call: (server: EnsureResult) => Promise<T>): Promise<ServedCall<T>> {
  const first = await ensure();
  try {
    return { server: first, value: await call(first) };
  } catch (err) {
    if (!(err instanceof ServerRequestError) || err.code !== 'E_UNREACHABLE') throw err;
    const now = await ensure();
    const next = decideAfterLostServer({ lost: first, now });
    if (next.kind === 'fail') throw new ServerRequestError(err.message, err.code, err.status, err.hint ?? next.hint);
    const server = { ...now, notice: now.notice ? `${next.notice}; ${now.notice}` : next.notice };
    return { server, value: await call(server) };
  }
}
