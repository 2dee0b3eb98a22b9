// The data API, defined once: what /load, /api/sessions/:id/{meta,rows,stats} answer, and the error body of
// every route. The server builds these types, view_data parses them (a newer server may have answered), and
// the page imports the types only (same build as its server, so it trusts them and stays free of zod).

import { z } from 'zod';

/** POST /load's body (token-protected). */
export const LoadRequestSchema = z.object({
  path: z.string().min(1, 'path must not be empty'),
  session: z.string().optional(),
  no_browser: z.boolean().optional(),
  /** Answer with the summary stats of this many leading columns too (what view_data's text needs). */
  summary_columns: z.number().int().min(0).optional(),
});
export type LoadRequest = z.infer<typeof LoadRequestSchema>;

/** Every error the HTTP API returns has this shape. */
export const ApiErrorBodySchema = z.object({ error_code: z.string(), message: z.string(), hint: z.string().optional() });
export type ApiErrorBody = z.infer<typeof ApiErrorBodySchema>;

/**
 * A cell value as engine/values.ts encodes it: null, a boolean, a number exact in a double, a string for what
 * JSON numbers cannot carry, or an array/object for nested values.
 */
const Value = z.unknown();

export const ColumnMetaSchema = z.object({ name: z.string(), dtype: z.string() });
export type ColumnMeta = z.infer<typeof ColumnMetaSchema>;

export const TopValueSchema = z.object({ value: Value, count: z.number() });
export type TopValue = z.infer<typeof TopValueSchema>;

/** 10 equal bins over the 1st–99th percentile, the rows below and above them, and the nulls. */
export const NumericHistogramSchema = z.object({
  kind: z.literal('numeric'),
  bins: z.array(z.object({ lo: z.number(), hi: z.number(), count: z.number() })),
  low_tail: z.number(),
  high_tail: z.number(),
  nulls: z.number(),
});
export type NumericHistogram = z.infer<typeof NumericHistogramSchema>;

export const CategoricalHistogramSchema = z.object({
  kind: z.literal('categorical'),
  /** The 7 most frequent values. */
  top: z.array(TopValueSchema),
  /** Rows whose value is outside the top 7 and occurs more than once. */
  longtail: z.number(),
  /** Rows whose value occurs exactly once (null when only an approximation was computed). */
  unique: z.number().nullable(),
  nulls: z.number(),
});
export type CategoricalHistogram = z.infer<typeof CategoricalHistogramSchema>;

export const HistogramSchema = z.discriminatedUnion('kind', [NumericHistogramSchema, CategoricalHistogramSchema]);
export type Histogram = z.infer<typeof HistogramSchema>;

/** What the agent's text needs of a column: the first, cheaper phase of the stats. */
export const ColumnSummarySchema = z.object({
  name: z.string(),
  dtype: z.string(),
  non_null: z.number(),
  nulls: z.number(),
  /** Null for nested columns, which get counts only. */
  distinct: z.number().nullable(),
  /** From a sketch (more than APPROX_DISTINCT_ABOVE_ROWS rows). */
  distinct_approx: z.boolean(),
  min: Value,
  max: Value,
  /** The most frequent values, most frequent first (ties by value). */
  top: z.array(TopValueSchema),
  /** Some string value here was longer than STATS_TEXT_MAX_CHARS and was cut (it says its real length). */
  text_clipped: z.boolean().optional(),
});
export type ColumnSummary = z.infer<typeof ColumnSummarySchema>;

/** Everything the page shows of a column. */
export const ColumnStatsSchema = ColumnSummarySchema.extend({
  /** Quartiles and histogram edges from a t-digest sketch (above APPROX_QUANTILES_ABOVE_ROWS rows). */
  quantiles_approx: z.boolean(),
  mean: Value,
  std: Value,
  q25: Value,
  median: Value,
  q75: Value,
  histogram: HistogramSchema.nullable(),
});
export type ColumnStats = z.infer<typeof ColumnStatsSchema>;

/** The leading columns' summary that /load adds when asked (`summary_columns`). */
export const SummaryStatsSchema = z.object({
  rows: z.number(),
  columns_total: z.number(),
  distinct_approx: z.boolean(),
  columns: z.array(ColumnSummarySchema),
});
export type SummaryStats = z.infer<typeof SummaryStatsSchema>;

/** GET /api/sessions/:id/stats[?limit=N]: full stats of every column, or of the first N. */
export const StatsAnswerSchema = SummaryStatsSchema.extend({
  session: z.string(),
  dataset_id: z.number(),
  path: z.string(),
  /** How long this request waited for the stats (they are computed once per dataset, then cached). */
  wait_ms: z.number(),
  columns: z.array(ColumnStatsSchema),
});
export type StatsAnswer = z.infer<typeof StatsAnswerSchema>;

export const BrowserActionSchema = z.enum(['refreshed', 'opened', 'skipped', 'disabled', 'failed']);
export type BrowserAction = z.infer<typeof BrowserActionSchema>;

/**
 * POST /load's answer. Fields a server of another version might lack are optional: view_data may be talking
 * to a newer server it deferred to.
 */
export const LoadAnswerSchema = z.object({
  session: z.string(),
  path: z.string(),
  format: z.string(),
  gzip: z.boolean().optional(),
  /** The text encoding the server read the file in (UTF-8, UTF-16LE, Windows-1252…; absent from older servers). */
  encoding: z.string().optional(),
  bytes: z.number().optional(),
  rows: z.number(),
  columns: z.array(ColumnMetaSchema),
  load_ms: z.number(),
  url: z.string(),
  /** What happened about a browser tab (a string, so a newer server's new action still reads). */
  browser_action: z.string(),
  browser_reason: z.string().optional(),
  replaced: z.boolean().optional(),
  dataset_id: z.number().optional(),
  server_pid: z.number(),
  /** The file's SQL table name for query_data (`sales.csv` → `sales`); absent from older servers. */
  table: z.string().optional(),
  /** The summary stats asked for (`summary_columns`); absent when they could not be computed. */
  stats: SummaryStatsSchema.optional(),
});
export type LoadAnswer = z.infer<typeof LoadAnswerSchema>;

/** GET /api/sessions/:id/rows: a window of rows, with the dataset's and the search's row counts. */
export const RowsAnswerSchema = z.object({
  session: z.string(),
  dataset_id: z.number(),
  offset: z.number(),
  limit: z.number(),
  /** Rows in the dataset. */
  total: z.number(),
  /** Rows matching the search (equals total without one). */
  filtered: z.number(),
  sort: z.string().nullable(),
  dir: z.enum(['asc', 'desc']),
  search: z.string().nullable(),
  columns: z.array(z.string()),
  /** One array per row, values in `columns` order. */
  rows: z.array(z.array(Value)),
  /** Each row's 0-based position in the file. */
  row_numbers: z.array(z.number()),
});
export type RowsAnswer = z.infer<typeof RowsAnswerSchema>;

/** GET /api/sessions/:id/meta while a load runs: DuckDB's percent when it can tell. */
export const MetaLoadingSchema = z.object({
  session: z.string(),
  status: z.literal('loading'),
  loading: z.object({
    path: z.string(),
    percent: z.number().nullable(),
    elapsed_ms: z.number(),
    /** The file's size; bytes_read is percent of it (DuckDB's progress is the share of the file read). */
    bytes: z.number().nullable(),
    bytes_read: z.number().nullable(),
    /** Time left at the pace so far; null until DuckDB reports progress. */
    eta_ms: z.number().nullable(),
  }),
});

/** GET /api/sessions/:id/preview while a load runs: the file's first rows, before the full load ends. */
export const PreviewAnswerSchema = z.object({
  session: z.string(),
  path: z.string(),
  preview: z.literal(true),
  columns: z.array(ColumnMetaSchema),
  rows: z.array(z.array(Value)),
  /** The most rows a preview holds; fewer means the file has no more. */
  preview_rows: z.number(),
});
export type PreviewAnswer = z.infer<typeof PreviewAnswerSchema>;

/** GET /api/sessions/:id/meta once the session shows a dataset (and the last load's error, if it failed). */
export const MetaReadySchema = z.object({
  session: z.string(),
  status: z.literal('ready'),
  dataset_id: z.number(),
  path: z.string(),
  file_name: z.string(),
  format: z.string(),
  gzip: z.boolean(),
  bytes: z.number(),
  rows: z.number(),
  columns: z.array(ColumnMetaSchema),
  load_ms: z.number(),
  loaded_at: z.string(),
  server_version: z.string(),
  last_error: ApiErrorBodySchema.optional(),
  /** The SQL a query_data result was computed from (format "query"); absent for a file. */
  sql: z.string().optional(),
});

export const MetaAnswerSchema = z.discriminatedUnion('status', [MetaLoadingSchema, MetaReadySchema]);
export type MetaAnswer = z.infer<typeof MetaAnswerSchema>;
export type MetaReady = z.infer<typeof MetaReadySchema>;

/** POST /api/sessions/:id/query's body (token-protected): query_data's SQL and how many rows to answer with. */
export const QueryRequestSchema = z.object({
  sql: z.string(),
  limit: z.number().int().min(0).optional(),
  no_browser: z.boolean().optional(),
});
export type QueryRequest = z.infer<typeof QueryRequestSchema>;

/**
 * POST /api/sessions/:id/query's answer: the first `limit` rows (values encoded as in RowsAnswer), how many the
 * whole result has, and where the person sees all of it.
 */
export const QueryAnswerSchema = z.object({
  session: z.string(),
  dataset_id: z.number(),
  sql: z.string(),
  columns: z.array(ColumnMetaSchema),
  rows: z.array(z.array(Value)),
  returned_rows: z.number(),
  total_rows: z.number(),
  truncated: z.boolean(),
  /** The session's tables the SQL may read. */
  tables: z.array(z.string()),
  query_ms: z.number(),
  url: z.string(),
  browser_action: z.string(),
  browser_reason: z.string().optional(),
  server_pid: z.number(),
});
export type QueryAnswer = z.infer<typeof QueryAnswerSchema>;

/** POST /api/sessions/:id/compare's body (token-protected): two absolute paths, and the key columns if known. */
export const CompareRequestSchema = z.object({
  left: z.string().min(1, 'left must not be empty'),
  right: z.string().min(1, 'right must not be empty'),
  keys: z.array(z.string()).optional(),
  no_browser: z.boolean().optional(),
});
export type CompareRequest = z.infer<typeof CompareRequestSchema>;

const ComparedFileSchema = z.object({ path: z.string(), table: z.string(), rows: z.number(), columns: z.number() });

/** POST /api/sessions/:id/compare's answer: how the two files differ; the page shows the differing rows. */
export const CompareAnswerSchema = z.object({
  session: z.string(),
  dataset_id: z.number(),
  left: ComparedFileSchema,
  right: ComparedFileSchema,
  keys: z.array(z.string()),
  /** True when the server picked the key (the first column unique and non-null on both sides). */
  keys_detected: z.boolean(),
  only_in_left: z.number(),
  only_in_right: z.number(),
  changed_rows: z.number(),
  changed_by_column: z.record(z.string(), z.number()),
  columns_only_in_left: z.array(z.string()),
  columns_only_in_right: z.array(z.string()),
  type_changes: z.array(z.object({ column: z.string(), left: z.string(), right: z.string() })),
  compare_ms: z.number(),
  url: z.string(),
  browser_action: z.string(),
  browser_reason: z.string().optional(),
  server_pid: z.number(),
});
export type CompareAnswer = z.infer<typeof CompareAnswerSchema>;
