// The data API's numbers that both ends must agree on. Free of zod and of Node modules: the viewer page
// imports these values (and only the types of data-api.ts), so its bundle stays as small as it was.

/**
 * How long a client (view_data, `buckaroo-table view`) waits for /load to answer. A 2 GB file takes minutes to
 * materialise; the caller waits that long rather than report a false failure.
 */
export const LOAD_TIMEOUT_MS = 30 * 60_000;

/** Above this many rows, distinct counts (and which values are most frequent) come from sketches. */
export const APPROX_DISTINCT_ABOVE_ROWS = 1_000_000;

/** Whether a dataset of this many rows gets approximate distinct counts (`distinct_approx` in the answers). */
export function isDistinctApprox(rows: number): boolean {
  return rows > APPROX_DISTINCT_ABOVE_ROWS;
}

/**
 * Rows in the page's first window. The server's page preloads exactly this request and the page then asks
 * for it, so both must build the same URL (same path, same query order) or the browser fetches twice.
 */
export const FIRST_WINDOW_ROWS = 200;

/** The URL of a session's data routes (ids are base64url: encoding only guards against a hand-typed one). */
export function sessionApiPath(session: string): string {
  return `/api/sessions/${encodeURIComponent(session)}`;
}

/** The first window's URL: the server's preload of it in the page, and the page's own request for it. */
export function firstWindowPath(session: string): string {
  return `${sessionApiPath(session)}/rows?offset=0&limit=${FIRST_WINDOW_ROWS}`;
}

/**
 * Longest string value (min, max, quantiles, most frequent values) a stats answer carries. A file can hold a
 * 20 MB field; sent whole in min, max and the top values it made one /stats answer 63 MB. A longer value is cut
 * to this many characters and ends with CLIPPED_SUFFIX naming its real length, and its column says
 * `text_clipped`: what the page and the agent show is visibly cut, never silently.
 */
export const STATS_TEXT_MAX_CHARS = 1_000;

const CLIPPED_SUFFIX = /… \(([\d,]+) characters\)$/;

/** `value` cut to STATS_TEXT_MAX_CHARS, saying how long it was; unchanged when it fits. */
export function clipStatsText(value: string): string {
  if (value.length <= STATS_TEXT_MAX_CHARS) return value;
  return `${value.slice(0, STATS_TEXT_MAX_CHARS)}… (${value.length.toLocaleString('en-US')} characters)`;
}

/** The real length of a value clipStatsText cut, or undefined for a value it left whole. */
export function clippedTextLength(value: string): number | undefined {
  if (value.length <= STATS_TEXT_MAX_CHARS) return undefined;
  const m = CLIPPED_SUFFIX.exec(value);
  return m?.[1] ? Number(m[1].replaceAll(',', '')) : undefined;
}
