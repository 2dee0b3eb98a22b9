// The chat app's page for build.ts: src/web/app bundled into ONE self-contained HTML file (script and styles
// inline), written as web/app.html beside the viewer's assets and embedded with them (src/mcp/viewer-app-html.ts).

import fs from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { APP_HTML_NAME } from '../src/mcp/viewer-app-html.ts';

/**
 * zod's classic and core entry points re-export every locale (`export * as locales`), ~260 KB of the app page
 * that esbuild cannot drop; only English is ever used (zod's default, set by the import of `en`). This keeps
 * `locales` with `en` alone.
 */
const zodEnglishOnly: esbuild.Plugin = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      args.importer.includes(`${path.sep}zod${path.sep}`) ? { path: path.resolve(args.resolveDir, '../locales/en.js'), namespace: 'zod-locales' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({ contents: `export { default as en } from ${JSON.stringify(args.path)};`, resolveDir: path.dirname(args.path) }));
  },
};

/** Script text that cannot end the inline <script> element holding it, or open an HTML comment in it. */
function inlineScriptText(js: string): string {
  return js.replaceAll('</script', '<\\/script').replaceAll('<!--', '<\\!--');
}

/**
 * Bundles the chat app (src/web/app/main.ts) and writes it as one self-contained HTML file: hosts load MCP App
 * resources as a single document in a sandboxed frame with no network, so nothing may be a separate file.
 */
export async function buildAppPage(root: string, webOut: string): Promise<number> {
  const result = await esbuild.build({
    entryPoints: { app: path.join(root, 'src/web/app/main.ts') },
    outdir: webOut,
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    loader: { '.css': 'css' },
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [zodEnglishOnly],
  });
  const text = (ext: string): string => result.outputFiles.filter((f) => f.path.endsWith(ext)).map((f) => f.text).join('\n');
  const js = text('.js');
  const css = text('.css');
  if (!js || !css) throw new Error('the chat app bundle has no script or no styles');
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>buckaroo-table</title>
<style>${css.replaceAll('</style', '<\\/style')}</style>
</head>
<body>
<div id="app"><div class="bt-state" role="status"><p>Starting the table…</p></div></div>
<script type="module">${inlineScriptText(js)}</script>
</body>
</html>
`;
  // Anything loaded by URL would be a network request the host's sandbox refuses.
  if (/<(script|link|img)\b[^>]*\b(src|href)=/i.test(html.replace(/<script type="module">[\s\S]*<\/script>/, ''))) {
    throw new Error('the chat app page refers to a file by URL; it must be self-contained');
  }
  fs.writeFileSync(path.join(webOut, APP_HTML_NAME), html);
  return Buffer.byteLength(html);
}
