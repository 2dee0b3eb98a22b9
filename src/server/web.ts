// The viewer's HTTP side: `GET /s/:session` (the page), `GET /assets/<hashed name>` (its script and styles,
// cached for a year because the name changes with the content) and `GET /` (a short "I am running" page).

import type { H3 } from 'h3';
import { getRouterParam } from 'h3';
import { firstWindowPath, sessionApiPath } from '../contract/data-limits.ts';
import { isValidSessionId } from '../contract/session-id.ts';
import type { ServerContext } from './context.ts';
import { ApiError } from './errors.ts';
import { badSessionError, sessionParam } from './session-param.ts';
import { contentTypeFor, type WebAssets } from './web-assets.ts';
import { escapeHtml, FAVICON, htmlResponse as html, htmlStream } from './html.ts';
import { HTML_PREVIEW_PAINT_MS, htmlPreviewOf } from './page-preview-html.ts';
import { sessionStore } from './sessions.ts';

/** Hashed names never change content, so browsers may keep them for a year without asking again. */
const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable';
/**
 * The first requests the page makes, started while its script is still loading. The URLs must equal the
 * page's own fetches (src/web/api.ts builds them from the same contract functions) or the browser fetches twice.
 */
function preloads(session: string): string {
  const base = sessionApiPath(session);
  return [`${base}/meta`, firstWindowPath(session), `${base}/stats`]
    .map((href) => `<link rel="preload" href="${escapeHtml(href)}" as="fetch" crossorigin="anonymous">`)
    .join('\n');
}

/** The server that serves the page: the page compares it with the one its live stream meets (see main.ts). */
export interface PageServer {
  version: string;
  pid: number;
}

/** The page's HTML in three parts: `body` goes between `head` and `end` (see viewerPageHtml). */
export interface ViewerPageParts {
  head: string;
  body: string;
  end: string;
}

/** The page's HTML: static text that is already a state ("Connecting…"), then the bundle takes over. */
export function viewerPageParts(session: string, server: PageServer, assets: WebAssets): ViewerPageParts {
  const js = assets.list.filter((a) => a.name.endsWith('.js'));
  const css = assets.list.filter((a) => a.name.endsWith('.css'));
  const problem = assets.problem ?? (js.length === 0 ? 'the viewer script is missing from this build' : undefined);
  const body = problem
    ? `<div class="bt-state bt-error" role="alert"><h1>The viewer is missing from this build</h1><p>${escapeHtml(problem)}.</p>
<p>Reinstall buckaroo-table, or run <code>buckaroo-table server</code> from a complete build. Details: <a href="/diagnostics">/diagnostics</a>.</p></div>`
    : `<div class="bt-state" id="bt-boot" role="status"><p>Connecting to the buckaroo-table server…</p>
<p class="bt-boot-hint">Still here after a few seconds? The page's script did not run: reload, or see <a href="/diagnostics">/diagnostics</a>.</p></div>`;
  const head = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="bt-session" content="${escapeHtml(session)}">
<meta name="bt-version" content="${escapeHtml(server.version)}">
<meta name="bt-pid" content="${server.pid}">
<title>buckaroo-table</title>
<link rel="icon" href="${FAVICON}">
${preloads(session)}
${css.map((a) => `<link rel="stylesheet" href="/assets/${escapeHtml(a.name)}">`).join('\n')}
${js.map((a) => `<script type="module" src="/assets/${escapeHtml(a.name)}"></script>`).join('\n')}
</head>
<body>
<div id="app">`;
  return { head, body, end: `</div>\n</body>\n</html>\n` };
}

export function viewerPageHtml(session: string, server: PageServer, assets: WebAssets): string {
  const p = viewerPageParts(session, server, assets);
  return p.head + p.body + p.end;
}

/**
 * The page of a session whose file is loading carries the file's first rows in its HTML (page-preview-html.ts),
 * written after the usual "Connecting…" text as soon as the head read has them (and laid over that text): readable
 * before the viewer's script has run. Other pages, and a load without a preview, get the usual static page.
 */
function viewerPage(ctx: ServerContext, session: string, assets: WebAssets): Response {
  const page = viewerPageParts(session, { version: ctx.version, pid: ctx.pid }, assets);
  const loading = assets.problem ? undefined : sessionStore(ctx).loading(session);
  if (!loading) return html(page.head + page.body + page.end);
  const preview = htmlPreviewOf(session, loading).then((p) => p ?? '');
  // The document's end apart and a little later: the browser runs the page's (deferred) script as the document
  // ends, before it paints; with the end in the same packet, the table waited for the script to run.
  const end = preview.then((p) => (p ? new Promise<string>((r) => setTimeout(() => r(page.end), HTML_PREVIEW_PAINT_MS)) : page.end));
  return html(htmlStream(page.head + page.body, [preview, end]));
}

export function landingPageHtml(ctx: ServerContext): string {
  const viewers = ctx.viewers.total();
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="color-scheme" content="light dark"><link rel="icon" href="${FAVICON}"><title>buckaroo-table ${escapeHtml(ctx.version)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}code{font-size:90%}</style></head>
<body>
<h1>buckaroo-table ${escapeHtml(ctx.version)}</h1>
<p>The data server is running (pid ${ctx.pid}, port ${ctx.port}, ${viewers} viewer page${viewers === 1 ? '' : 's'} open).</p>
<p>Ask your agent to show a file with the <code>view_data</code> tool; it opens the table at <code>/s/&lt;session&gt;</code>.</p>
<p>For an install problem, see <a href="/diagnostics">/diagnostics</a> and <a href="/health">/health</a>.</p>
</body>
</html>
`;
}

export function installWebRoutes(assets: WebAssets) {
  return (app: H3, ctx: ServerContext): void => {
    app.get('/', () => html(landingPageHtml(ctx)));
    app.get('/s/:session', (event) => {
      const session = sessionParam(event, 'session');
      if (!isValidSessionId(session)) throw badSessionError();
      return viewerPage(ctx, session, assets);
    });
    app.get('/assets/:name', (event) => {
      const name = getRouterParam(event, 'name') ?? '';
      const data = assets.read(name);
      if (!data) throw new ApiError(404, 'E_NOT_FOUND', `No viewer asset named ${JSON.stringify(name)} in this build.`);
      return new Response(new Uint8Array(data), {
        headers: {
          'content-type': contentTypeFor(name),
          'content-length': String(data.length),
          'cache-control': IMMUTABLE_CACHE,
          'x-content-type-options': 'nosniff',
        },
      });
    });
  };
}
