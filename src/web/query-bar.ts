// The bar under the toolbar that shows the SQL of a query_data result, so the person sees what the agent asked
// and not only the answer. Hidden while the page shows a file.

export interface QueryBar {
  /** The SQL to show, or undefined for a file. */
  show(sql: string | undefined): void;
}

/** The toolbar's name for a query result (the file name's place). */
export const QUERY_RESULT_TITLE = 'Query result';

export function createQueryBar(root: HTMLElement): QueryBar {
  const code = document.createElement('code');
  const bar = document.createElement('div');
  bar.className = 'bt-query';
  bar.id = 'bt-query';
  bar.hidden = true;
  const label = document.createElement('span');
  label.className = 'bt-query-label';
  label.textContent = 'SQL';
  bar.append(label, code);
  // Right under the toolbar, above the banner and the table.
  const toolbar = root.querySelector('.bt-toolbar');
  if (toolbar) toolbar.after(bar);
  else root.prepend(bar);
  return {
    show(sql) {
      bar.hidden = sql === undefined;
      code.textContent = sql ?? '';
      code.title = sql ?? '';
    },
  };
}
