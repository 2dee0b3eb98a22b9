// Request bodies read with a ceiling: a client holding the token still must not make the server buffer
// gigabytes (h3's readBody takes whatever arrives).

import type { H3Event } from 'h3';
import { ApiError } from './errors.ts';

/** /load's body is a path and a few flags; a path is at most a few KiB on every OS. */
export const MAX_JSON_BODY_BYTES = 64 * 1024;

/** The body parsed as JSON, or undefined when it is not JSON; 413 past `maxBytes` (read no further). */
export async function readJsonBodyCapped(event: H3Event, maxBytes = MAX_JSON_BODY_BYTES): Promise<unknown> {
  const tooLarge = (): ApiError => new ApiError(413, 'E_BODY_TOO_LARGE', `The request body is larger than ${maxBytes} bytes.`, 'Send JSON {"path": "/absolute/file.csv", ...}: the file is named, never sent.');
  const declared = Number(event.req.headers.get('content-length') ?? '0');
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  const body = event.req.body;
  if (!body) return undefined;
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}
