// How one value looks in a cell: plain text for data (with search matches marked), a type tag for the dtype
// row, and a bar sparkline for the histogram row. Built with DOM nodes, never innerHTML of data.

import { displayValue } from '../contract/preview-text.ts';
import { formatNumber, type HistogramBar } from './stats.ts';

export { displayValue };

/** Splits text around case-insensitive matches of `term` into plain and marked parts. */
export function matchParts(text: string, term: string): { text: string; match: boolean }[] {
  if (term === '') return [{ text, match: false }];
  const parts: { text: string; match: boolean }[] = [];
  const hay = text.toLowerCase();
  const needle = term.toLowerCase();
  let at = 0;
  for (let i = hay.indexOf(needle); i !== -1; i = hay.indexOf(needle, at)) {
    if (i > at) parts.push({ text: text.slice(at, i), match: false });
    parts.push({ text: text.slice(i, i + needle.length), match: true });
    at = i + needle.length;
  }
  if (at < text.length) parts.push({ text: text.slice(at), match: false });
  return parts;
}

export function renderValue(v: unknown, highlight: string | undefined): HTMLElement | string {
  if (v === null || v === undefined) {
    const s = document.createElement('span');
    s.className = 'bt-null';
    s.textContent = 'null';
    return s;
  }
  const text = displayValue(v);
  if (!highlight || !text.toLowerCase().includes(highlight.toLowerCase())) return text.replace(/[&<>"']/g, escapeChar);
  const span = document.createElement('span');
  for (const p of matchParts(text, highlight)) {
    if (p.match) {
      const m = document.createElement('mark');
      m.textContent = p.text;
      span.append(m);
    } else span.append(p.text);
  }
  return span;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeChar = (c: string): string => ESCAPES[c]!;

export function renderDtype(dtype: string | undefined): HTMLElement {
  const s = document.createElement('span');
  s.className = 'bt-dtype';
  s.textContent = dtype ?? '';
  return s;
}

/** A row of bars scaled to the tallest; each bar's tooltip says its range or value and count. */
export function renderSparkline(bars: readonly HistogramBar[]): HTMLElement {
  const root = document.createElement('div');
  root.className = 'bt-spark';
  const max = Math.max(1, ...bars.map((b) => b.count));
  const total = bars.reduce((n, b) => n + b.count, 0);
  root.title = bars.map((b) => `${b.label}: ${formatNumber(b.count)}`).join('\n');
  for (const b of bars) {
    const bar = document.createElement('div');
    bar.className = `bt-bar bt-bar-${b.kind}`;
    bar.style.height = `${Math.max(b.count > 0 ? 6 : 0, Math.round((b.count / max) * 100))}%`;
    const pct = total > 0 ? ` (${((b.count / total) * 100).toFixed(1)}%)` : '';
    bar.title = `${b.label}: ${formatNumber(b.count)}${pct}`;
    root.append(bar);
  }
  return root;
}
