// Limits on what one file may hold that we set on DuckDB's readers, each with the measurement behind it.

/**
 * Longest line (one CSV record, quoted newlines included) the CSV reader accepts. DuckDB's default, 2 MB,
 * refused a 20 MB text field after 27 s (pandas reads it in 0.8 s); at 32 MiB the same file loads in ~1 s and
 * the 1 M-row benchmark CSV loads as fast and in as much memory as with the default (DuckDB 1.5.6).
 */
export const MAX_LINE_BYTES = 32 * 1024 * 1024;
