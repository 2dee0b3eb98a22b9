// What the toolbar names for the dataset on screen, the same in the browser page and the chat app: a file by its
// name, a query_data result as "Query result" with its SQL in the bar under the toolbar, a compare_data diff by
// both file names.

import { DIFF_FORMAT } from '../contract/diff.ts';
import { QUERY_RESULT_TITLE, type QueryBar } from './query-bar.ts';
import { basename, type View } from './view.ts';

export function showDatasetTitle(view: Pick<View, 'setFile'>, queryBar: QueryBar, path: string, format: string): void {
  // A query_data result's "path" is its SQL (server/meta.ts): shown in full in its own bar, not as a file name.
  queryBar.show(format === 'query' ? path : undefined);
  if (format === 'query') return view.setFile(QUERY_RESULT_TITLE, 'SQL');
  // A diff's "path" is "left → right" (engine/compare.ts): both file names.
  if (format === DIFF_FORMAT) return view.setFile(path.split(' → ').map(basename).join(' → '), 'diff');
  return view.setFile(path, format);
}
