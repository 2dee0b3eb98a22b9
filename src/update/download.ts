// Downloads one release asset into memory while hashing it, reporting progress as bytes arrive. A transfer
// that stalls is aborted; nothing is written to disk here, so a refused download leaves no trace.

import crypto from 'node:crypto';
import { PRODUCT_NAME, VERSION } from '../version.ts';
import type { Env } from '../paths.ts';
import { UpdateError } from './errors.ts';
import { assertUpdateUrl } from './update-url.ts';

/** Abort when no byte has arrived for this long (a slow link is fine, a dead one is not). */
export const DOWNLOAD_STALL_TIMEOUT_MS = 30_000;


export interface Downloaded {
  data: Buffer;
  sha256: string;
}

export type ProgressFn = (done: number, total: number | undefined) => void;

export interface DownloadLimits {
  /** Refuse (and stop reading) past this many bytes. */
  maxBytes: number;
  /** Decides which URLs may be fetched (https only; loopback under the test setting): see update-url.ts. */
  env: Env;
}

export async function downloadAsset(url: string, limits: DownloadLimits, onProgress: ProgressFn = () => {}, stallMs = DOWNLOAD_STALL_TIMEOUT_MS): Promise<Downloaded> {
  assertUpdateUrl(url, limits.env);
  const tooLarge = (): UpdateError => new UpdateError(`${url} is larger than ${limits.maxBytes} bytes; refusing to download it.`, 'E_TOO_LARGE');
  const ac = new AbortController();
  let timer = setTimeout(() => ac.abort(new Error(`no data for ${stallMs} ms`)), stallMs);
  const kick = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => ac.abort(new Error(`no data for ${stallMs} ms`)), stallMs);
  };
  try {
    const { ofetch } = await import('ofetch');
    const res = await ofetch.raw(url, {
      retry: 0,
      signal: ac.signal,
      responseType: 'stream',
      headers: { 'user-agent': `${PRODUCT_NAME}/${VERSION}` },
    });
    // Redirects are followed (GitHub sends downloads to its object store): the last hop must be allowed too.
    if (res.url && res.url !== url) assertUpdateUrl(res.url, limits.env);
    const body = res._data;
    if (!body) throw new UpdateError(`Downloading ${url} returned no body.`, 'E_DOWNLOAD');
    const lengthHeader = Number(res.headers.get('content-length'));
    const total = Number.isFinite(lengthHeader) && lengthHeader > 0 ? lengthHeader : undefined;
    if (total !== undefined && total > limits.maxBytes) throw tooLarge();
    const hash = crypto.createHash('sha256');
    const chunks: Buffer[] = [];
    let done = 0;
    const reader = body.getReader();
    for (;;) {
      const { done: finished, value } = await reader.read();
      if (finished) break;
      kick();
      const buf = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      hash.update(buf);
      chunks.push(buf);
      done += buf.length;
      if (done > limits.maxBytes) {
        await reader.cancel().catch(() => {});
        throw tooLarge();
      }
      onProgress(done, total);
    }
    if (total !== undefined && done !== total) throw new UpdateError(`Downloading ${url} stopped after ${done} of ${total} bytes.`, 'E_DOWNLOAD');
    return { data: Buffer.concat(chunks), sha256: hash.digest('hex') };
  } catch (err) {
    if (err instanceof UpdateError) throw err;
    if (err instanceof Error && err.name === 'FetchError' && (err as { statusCode?: number }).statusCode) throw new UpdateError(`Downloading ${url} failed: HTTP ${(err as { statusCode?: number }).statusCode}.`, 'E_DOWNLOAD');
    throw new UpdateError(`Downloading ${url} failed: ${(err as Error)?.message ?? String(err)}`, 'E_DOWNLOAD');
  } finally {
    clearTimeout(timer);
  }
}

/** Pure: one line of progress, e.g. `[#########···········]  45%  27.1/60.3 MiB`. */
export function formatProgress(done: number, total: number | undefined, width = 30): string {
  const mib = (n: number): string => (n / 1024 / 1024).toFixed(1);
  if (total === undefined || total <= 0) return `${mib(done)} MiB`;
  const frac = Math.min(1, done / total);
  const filled = Math.round(frac * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.floor(frac * 100)).padStart(3)}%  ${mib(done)}/${mib(total)} MiB`;
}
