// The shape of compare_data's diff table, shared by the engine that builds it and the page that highlights it.
// Free of zod and Node modules (the page imports it).

/** The dataset format of a diff (a file's is csv, parquet…; a query result's is "query"). */
export const DIFF_FORMAT = 'diff';
/** First column: which side a row is on, or that it changed (`diff_change` when a file has a column `change`). */
export const CHANGE_COLUMN = 'change';
/** Last column: the names of a changed row's changed columns (renamed likewise). */
export const CHANGED_COLUMNS_COLUMN = 'changed_columns';
export const CHANGE = { onlyLeft: 'only in left', onlyRight: 'only in right', changed: 'changed' } as const;
