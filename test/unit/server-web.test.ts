// server/web.ts: the page's html.

import { describe, expect, it } from 'vitest';
import { viewerPageHtml } from '../../src/server/web.ts';
import type { WebAssets } from '../../src/server/web-assets.ts';

const assets = (list: WebAssets['list'], problem?: string): WebAssets => ({ list, problem, source: 'test', read: () => undefined });

describe('the page html', () => {
  it('links the hashed script and styles and starts in a visible state', () => {
    const html = viewerPageHtml('abc12345', { version: '1.2.3', pid: 4242 }, assets([{ name: 'viewer-AB12.js', bytes: 10, hash: 'h' }, { name: 'viewer-CD34.css', bytes: 5, hash: 'h' }]));
    expect(html).toContain('<script type="module" src="/assets/viewer-AB12.js"></script>');
    expect(html).toContain('<link rel="stylesheet" href="/assets/viewer-CD34.css">');
    expect(html).toContain('Connecting to the buckaroo-table server');
    expect(html).toContain('<meta name="bt-session" content="abc12345">');
    expect(html).toContain('<meta name="bt-pid" content="4242">');
  });

  it('says the viewer is missing instead of showing a blank page', () => {
    const html = viewerPageHtml('abc12345', { version: '1.2.3', pid: 4242 }, assets([], 'the viewer manifest lists no files'));
    expect(html).toContain('The viewer is missing from this build');
    expect(html).not.toContain('<script');
  });
});
