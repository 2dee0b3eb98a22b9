// The small pages around a single-use link: the hand-over (sets the cookie, then moves to the clean URL) and
// the refusal, which says what happened and how to get a new link.

import { escapeHtml, FAVICON, htmlResponse } from '../html.ts';
import type { PageVerdict } from './decide.ts';

/** How a person gets a fresh link (the API's 401 hint says the same). */
export const REOPEN_ASK = 'ask your agent to show the file again (view_data), or run';
export const REOPEN_COMMAND = 'buckaroo-table view <file>';

function page(title: string, body: string, head = ''): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="color-scheme" content="light dark"><link rel="icon" href="${FAVICON}">${head}<title>${escapeHtml(title)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}code{font-size:90%}</style></head>
<body>
${body}
</body>
</html>
`;
}

/**
 * Answers a link with the cookie and a same-origin move to the clean URL. Not a redirect: after a cross-site
 * navigation (a link clicked in a web app) the browser would not send a SameSite=Strict cookie along a
 * redirect, but it does on a navigation our own page starts.
 */
export function handOverResponse(session: string, setCookieHeader: string | undefined): Response {
  const target = `/s/${encodeURIComponent(session)}`;
  const html = page(
    'buckaroo-table',
    `<p role="status">Opening the table… <a href="${escapeHtml(target)}">continue</a></p>`,
    `<meta http-equiv="refresh" content="0; url=${escapeHtml(target)}">`,
  );
  return htmlResponse(html, 200, setCookieHeader ? { 'set-cookie': setCookieHeader } : {});
}

const REASONS: Record<Extract<PageVerdict, { kind: 'refuse' }>['why'], { title: string; text: string }> = {
  'no-credential': {
    title: 'This table needs its link',
    text: 'This browser has not been given access to this buckaroo-table server. Tables open from the link your agent shows (or the tab it opens), once per browser.',
  },
  used: {
    title: 'This link was already used',
    text: 'Each link opens the table once, in the first browser that opens it, so that nobody else on this computer can reuse a link they saw. If you opened it in another browser or profile, the table is there.',
  },
  expired: {
    title: 'This link has expired',
    text: 'Links to a table are valid for a short time only.',
  },
  unknown: {
    title: 'This link is not valid on this server',
    text: 'The link may come from a data server that has since been restarted or replaced.',
  },
};

export function refusalResponse(why: Extract<PageVerdict, { kind: 'refuse' }>['why']): Response {
  const r = REASONS[why];
  const html = page(r.title, `<h1>${escapeHtml(r.title)}</h1>\n<p>${escapeHtml(r.text)}</p>\n<p>To open it again, ${escapeHtml(REOPEN_ASK)} <code>${escapeHtml(REOPEN_COMMAND)}</code> for a new link.</p>`);
  return htmlResponse(html, 401);
}
