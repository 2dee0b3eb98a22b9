// Asks the release feed for a release object (GitHub's API or a mirror with the same shape). One request,
// no retries, a hard timeout: the background check must never be noticed, and `upgrade` reports failures.

import type { FetchError } from 'ofetch';
import type { Env } from '../paths.ts';
import { PRODUCT_NAME, VERSION } from '../version.ts';
import { UpdateError } from './errors.ts';
import { DEFAULT_FEED_URL, parseRelease, type Release } from './release.ts';
import { assertUpdateUrl } from './update-url.ts';

/** The background check in MCP mode gives up after this long. */
export const BACKGROUND_FEED_TIMEOUT_MS = 2_000;

export function feedUrl(env: Env = process.env): string {
  const override = env.BUCKAROO_UPDATE_URL;
  return override && override.trim() !== '' ? override.trim() : DEFAULT_FEED_URL;
}

// In its own small module so the MCP start-up can ask it without loading this one (semver, zod schemas).
export { updateCheckDisabledReason } from './disabled.ts';

export async function fetchRelease(url: string, timeoutMs: number, env: Env, signal?: AbortSignal): Promise<Release> {
  assertUpdateUrl(url, env);
  const timeout = AbortSignal.timeout(timeoutMs);
  let raw: unknown;
  try {
    // Loaded on first use: MCP start-up must not pay for the HTTP client.
    const { ofetch } = await import('ofetch');
    raw = await ofetch<unknown>(url, {
      retry: 0,
      // ofetch ignores `timeout` when a signal is passed: combine the two ourselves.
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      headers: { accept: 'application/vnd.github+json', 'user-agent': `${PRODUCT_NAME}/${VERSION}` },
      responseType: 'json',
    });
  } catch (err) {
    throw toFeedError(err, url, timeoutMs);
  }
  try {
    return parseRelease(raw);
  } catch (err) {
    if (err instanceof UpdateError) throw new UpdateError(`${err.message} (${url})`, err.code);
    throw err;
  }
}

function toFeedError(err: unknown, url: string, timeoutMs: number): UpdateError {
  if (isFetchError(err)) {
    if (err.statusCode) return new UpdateError(`The release feed ${url} answered HTTP ${err.statusCode}.`, 'E_FEED_HTTP');
    const cause = err.cause as { name?: string } | undefined;
    if (cause?.name === 'TimeoutError' || cause?.name === 'AbortError') {
      return new UpdateError(`The release feed ${url} did not answer within ${timeoutMs} ms.`, 'E_FEED_TIMEOUT');
    }
    // A body that is not JSON surfaces here as a parse error on some paths.
    if (err.message.includes('JSON')) return new UpdateError(`The release feed ${url} did not answer JSON.`, 'E_RELEASE_FORMAT');
    return new UpdateError(`Could not reach the release feed ${url}: ${err.message}`, 'E_FEED_UNREACHABLE');
  }
  const name = (err as { name?: string } | undefined)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new UpdateError(`The release feed ${url} did not answer within ${timeoutMs} ms.`, 'E_FEED_TIMEOUT');
  }
  return new UpdateError(`Could not read the release feed ${url}: ${String((err as Error)?.message ?? err)}`, 'E_FEED_UNREACHABLE');
}

function isFetchError(err: unknown): err is FetchError {
  return err instanceof Error && err.name === 'FetchError';
}
