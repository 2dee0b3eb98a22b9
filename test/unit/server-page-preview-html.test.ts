// server/page-preview-html.ts: the loading file's first rows written into the page's HTML (#18).

import { describe, expect, it } from 'vitest';
import type { PreviewAnswer } from '../../src/contract/data-api.ts';
import type { LoadProgress } from '../../src/engine/sessions.ts';
import { HTML_CELL_MAX_CHARS, HTML_PREVIEW_MAX_CELLS, htmlPreviewOf, previewHtml } from '../../src/server/page-preview-html.ts';

const answer = (rows: unknown[][], columns = [{ name: 'name', dtype: 'VARCHAR' }, { name: 'n', dtype: 'BIGINT' }]): PreviewAnswer =>
  ({ session: 'sess-1234', path: '/data/a<b>.csv', preview: true, columns, rows, preview_rows: 200 }) as PreviewAnswer;

/** The JSON copy the page's grid takes over, read back as the page reads it. */
const jsonCopy = (html: string): unknown => JSON.parse(/<script type="application\/json" id="bt-html-preview-data">([^]*?)<\/script>/.exec(html)![1]!);

const loadingWith = (preview: () => ReturnType<LoadProgress['preview']>): LoadProgress => ({ path: '/data/a.csv', startedMs: Date.now(), percent: () => null, preview });

describe('the preview in the page html', () => {
  it('labels the rows as a preview and shows each value as the grid does', () => {
    const html = previewHtml(answer([['Ann', 1], [null, { $decimal: '1.10' }]]));
    expect(html).toContain('Preview: first 2 rows — loading…');
    expect(html).toContain('2 preview rows × 2 columns');
    expect(html).toContain('Sorting, search and stats wait for the full load.');
    expect(html).toContain('<td>Ann</td><td class="bt-num">1</td>');
    expect(html).toContain('<td class="bt-null">null</td><td class="bt-num">1.10</td>');
    expect(html).toContain('<td class="bt-num">BIGINT</td>');
  });

  it('handles_markup_in_values_and_names_as_text', () => {
    const evil = '</script><script>alert(1)</script><!--';
    const html = previewHtml(answer([[evil, 2]], [{ name: '<b>x"</b>', dtype: 'VARCHAR' }, { name: 'n', dtype: 'BIGINT' }]));
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<b>x');
    expect(html).toContain('<td>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;!--</td>');
    expect(html).toContain('title="/data/a&lt;b&gt;.csv">a&lt;b&gt;.csv</span>');
    // The JSON copy cannot close its element either, and reads back exactly.
    expect(html.match(/<\/script>/g)).toHaveLength(1);
    expect(jsonCopy(html)).toEqual(answer([[evil, 2]], [{ name: '<b>x"</b>', dtype: 'VARCHAR' }, { name: 'n', dtype: 'BIGINT' }]));
  });

  it('keeps a wide file and a long value small in the html, whole in the json copy', () => {
    const columns = Array.from({ length: 1_000 }, (_, i) => ({ name: `c${i}`, dtype: 'VARCHAR' }));
    const rows = Array.from({ length: 200 }, () => columns.map(() => 'v'));
    const html = previewHtml(answer(rows, columns));
    const shown = HTML_PREVIEW_MAX_CELLS / 1_000;
    expect(html).toContain(`Preview: first ${shown} rows`);
    expect(html.match(/<tr><th class="bt-index">\d/g)).toHaveLength(shown);
    expect((jsonCopy(html) as PreviewAnswer).rows).toHaveLength(200);
    const long = 'x'.repeat(HTML_CELL_MAX_CHARS * 3);
    const one = previewHtml(answer([[long, 1]]));
    expect(one).toContain(`<td>${'x'.repeat(HTML_CELL_MAX_CHARS)}…</td>`);
    expect((jsonCopy(one) as PreviewAnswer).rows[0]![0]).toBe(long);
  });

  it('handles_a_file_without_preview_a_failed_or_slow_head_read_by_writing_none', async () => {
    expect(await htmlPreviewOf('sess-1234', loadingWith(async () => ({ none: 'format' })))).toBeUndefined();
    expect(await htmlPreviewOf('sess-1234', loadingWith(() => Promise.reject(new Error('bad file'))))).toBeUndefined();
    expect(await htmlPreviewOf('sess-1234', loadingWith(() => new Promise(() => {})), 20)).toBeUndefined();
    const html = await htmlPreviewOf('sess-1234', loadingWith(async () => ({ columns: [{ name: 'a', dtype: 'INTEGER' }], rows: [[7]] })));
    expect(html).toContain('<td class="bt-num">7</td>');
    expect(jsonCopy(html!)).toMatchObject({ session: 'sess-1234', path: '/data/a.csv', rows: [[7]] });
  });
});
