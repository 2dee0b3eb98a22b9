// The table inside the chat (MCP Apps): the UI resource's address and the app-only tools the app page calls
// through the host, with their arguments. Free of zod and Node modules: the app page imports it as it is.

/** The viewer app's resource (`text/html;profile=mcp-app`), declared by view_data and the tools that show data. */
export const VIEWER_APP_URI = 'ui://buckaroo-table/viewer.html';

/** App-only tools (visibility ["app"]): the page reads the data server through them, never over HTTP itself. */
export const VIEWER_TOOLS = {
  meta: 'viewer_meta',
  rows: 'viewer_rows',
  stats: 'viewer_stats',
} as const;

/** Every app-only tool reads the session's current data, or with `dataset` the app instance's own (kept a while). */
export interface ViewerMetaArgs {
  session: string;
  dataset?: number;
}

export interface ViewerRowsArgs {
  session: string;
  dataset?: number;
  offset: number;
  limit: number;
  sort?: string;
  dir?: 'asc' | 'desc';
  search?: string;
}

export interface ViewerStatsArgs {
  session: string;
  dataset?: number;
  /** Only the first N columns (all when left out). */
  limit?: number;
}

/**
 * What the structuredContent of view_data, query_data and compare_data tells the app about the table to show:
 * the session and the dataset id identify it; only view_data has a file path.
 */
export interface ViewerTableRef {
  session: string;
  path?: string;
  dataset_id: number | null;
  display: 'app' | 'browser';
  url: string;
}
