// HTML answers of the server (the viewer page, the landing page, the link pages): one set of headers, one
// escaping rule.

/**
 * Grid styles are injected by AG Grid's Theming API at run time, hence 'unsafe-inline' for styles only;
 * scripts come from our own origin and nothing else is loaded.
 */
const PAGE_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** A small table icon inline, so the browser never asks for /favicon.ico (a 404 in the console). */
export const FAVICON =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Crect x='1' y='2' width='14' height='12' rx='2' fill='%232563eb'/%3E%3Cpath d='M1 6h14M6 6v8' stroke='white' stroke-width='1.5'/%3E%3C/svg%3E";

export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function htmlResponse(body: string | ReadableStream<Uint8Array>, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(body, {
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': PAGE_CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      ...headers,
    },
  });
}

/**
 * An HTML answer sent in parts: `head` at once (the browser starts fetching the page's script and styles), then
 * each of `rest` in order as it resolves (none may reject).
 */
export function htmlStream(head: string, rest: Promise<string>[]): ReadableStream<Uint8Array> {
  const utf8 = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      try {
        controller.enqueue(utf8.encode(head));
        for (const part of rest) controller.enqueue(utf8.encode(await part));
        controller.close();
      } catch {
        // The browser left before the end (the stream was cancelled): nobody is left to tell.
      }
    },
  });
}
