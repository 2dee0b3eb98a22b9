// The client side of the HTTP API, for the MCP tools and CLI commands: JSON in, JSON out, the server's own
// error message preserved so the agent reads it instead of "HTTP Error 404".

import type { FetchError } from 'ofetch';
import { ApiErrorBodySchema } from '../contract/data-api.ts';

export const DIAGNOSTICS_TIMEOUT_MS = 3_000;

export class ServerRequestError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status?: number,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'ServerRequestError';
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST';
  body?: Record<string, unknown>;
  token?: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

export async function callServer<T>(port: number, pathname: string, opts: RequestOptions): Promise<T> {
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  // ofetch ignores `timeout` when a signal is passed: combine the two ourselves.
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  // Loaded on first use: MCP start-up (initialize answered) must not pay for the HTTP client.
  const { ofetch } = await import('ofetch');
  try {
    return await ofetch<T>(`http://127.0.0.1:${port}${pathname}`, {
      method: opts.method ?? 'GET',
      body: opts.body,
      headers: opts.token ? { authorization: `Bearer ${opts.token}` } : {},
      retry: 0,
      signal,
    });
  } catch (err) {
    throw toServerRequestError(err, port, pathname, opts.timeoutMs);
  }
}

function toServerRequestError(err: unknown, port: number, pathname: string, timeoutMs: number): ServerRequestError {
  if (isFetchError(err)) {
    const parsed = ApiErrorBodySchema.safeParse(err.data);
    if (parsed.success) return new ServerRequestError(parsed.data.message, parsed.data.error_code, err.statusCode, parsed.data.hint);
    if (err.statusCode) {
      return new ServerRequestError(`The server on port ${port} answered ${err.statusCode} to ${pathname}.`, 'E_HTTP', err.statusCode);
    }
    const cause = err.cause as { name?: string } | undefined;
    if (cause?.name === 'TimeoutError' || cause?.name === 'AbortError') {
      return new ServerRequestError(`The server on port ${port} did not answer ${pathname} within ${timeoutMs} ms.`, 'E_TIMEOUT');
    }
    return new ServerRequestError(`Could not reach the server on port ${port}: ${err.message}`, 'E_UNREACHABLE');
  }
  return new ServerRequestError(String((err as Error)?.message ?? err), 'E_UNKNOWN');
}

function isFetchError(err: unknown): err is FetchError {
  return err instanceof Error && err.name === 'FetchError';
}
