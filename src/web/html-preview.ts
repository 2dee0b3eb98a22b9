// The preview the server wrote into this page's HTML (#18, src/server/page-preview-html.ts): readable before this
// script ran. Here the page's grid takes it over in place: its JSON copy answers the page's preview request (no
// second trip), and the HTML stays on top until the grid has painted rows, so nothing blinks or jumps.

import type { PreviewAnswer } from '../contract/data-api.ts';
import { HTML_PREVIEW_DATA_ID, HTML_PREVIEW_ID } from '../contract/preview-text.ts';
import type { PreviewRows } from './api.ts';

/** The grid paints its first rows within a few frames; past this the HTML goes anyway (the grid is what counts). */
const HANDOVER_TIMEOUT_MS = 5_000;
/** The HTML table's row height (style.css .bt-html-table), to find the row the person scrolled to. */
const HTML_ROW_HEIGHT_PX = 28;

export interface HtmlPreview {
  /** The HTML's preview rows when they are `path`'s (the file the page is told is loading); once. */
  take(path: string): PreviewRows | undefined;
  /** The first data row in view in the HTML table (0 unless the person scrolled it). */
  topRow(): number;
  /** Takes the HTML away once `grid` has painted rows (or at once when `grid` is undefined). */
  handOver(grid?: HTMLElement): void;
}

/**
 * Takes the HTML preview out of `root` before the page's view replaces root's children; `cover()` puts it back on
 * top of the view. Undefined when the HTML carries none.
 */
export function adoptHtmlPreview(root: HTMLElement): (HtmlPreview & { cover(): void }) | undefined {
  const block = document.getElementById(HTML_PREVIEW_ID);
  const data = document.getElementById(HTML_PREVIEW_DATA_ID);
  if (!block) return undefined;
  block.remove();
  let answer: PreviewAnswer | undefined;
  try {
    answer = data?.textContent ? (JSON.parse(data.textContent) as PreviewAnswer) : undefined;
  } catch {
    answer = undefined; // the page then asks the server, as without an HTML preview
  }
  data?.remove();
  let gone = false;
  const remove = (): void => {
    gone = true;
    block.remove();
  };
  return {
    cover() {
      if (!gone) root.append(block);
    },
    take(path) {
      const a = answer;
      answer = undefined;
      return a && a.path === path ? { path: a.path, columns: a.columns, rows: a.rows } : undefined;
    },
    topRow() {
      const scroller = block.querySelector<HTMLElement>('.bt-html-scroll');
      return scroller ? Math.floor(scroller.scrollTop / HTML_ROW_HEIGHT_PX) : 0;
    },
    handOver(grid) {
      if (gone) return;
      if (!grid) return remove();
      const started = performance.now();
      const painted = (): boolean => grid.querySelector('.ag-row[row-index="0"]') !== null || grid.querySelector('.ag-overlay-no-rows-wrapper') !== null;
      const check = (): void => {
        if (gone) return;
        // One more frame after the rows are in the DOM: they are on screen when the HTML goes.
        if (painted() || performance.now() - started > HANDOVER_TIMEOUT_MS) requestAnimationFrame(remove);
        else requestAnimationFrame(check);
      };
      requestAnimationFrame(check);
    },
  };
}
