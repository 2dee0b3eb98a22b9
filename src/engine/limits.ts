// Limits on what one file may hold that we set on DuckDB's readers, each with the measurement behind it.

/**
 * Longest line (one CSV record, quoted newlines included) the CSV reader accepts. DuckDB's default, 2 MB,
 * refused a 20 MB text field after 27 s (pandas reads it in 0.8 s); at 32 MiB the same file loads in ~1 s and
 * the 1 M-row benchmark CSV loads as fast and in as much memory as with the default (DuckDB 1.5.6).
 */
export const MAX_LINE_BYTES = 32 * 1024 * 1024;

/**
 * The CSV reader's buffer. DuckDB makes it 16 × max_line_size unless told: 512 MiB at our line limit, one
 * allocation that fails outright under a small memory limit ("could not allocate block of size 512.0 MiB",
 * the 2 GB spill test at 488 MiB). Two lines' worth holds any accepted line and costs 64 MiB.
 */
export const CSV_BUFFER_BYTES = 2 * MAX_LINE_BYTES;

/** The reader options every read_csv/sniff_csv call of ours passes, so the two limits always travel together. */
export const CSV_LINE_OPTIONS = `max_line_size=${MAX_LINE_BYTES}, buffer_size=${CSV_BUFFER_BYTES}`;

/**
 * A preview's head read (preview.ts): lines up to 4 MiB in an 8 MiB buffer, so the first rows come back after
 * 8 MiB of the file, not 64. A file with a longer line is read again with CSV_LINE_OPTIONS.
 */
export const PREVIEW_LINE_OPTIONS = `max_line_size=${4 * 1024 * 1024}, buffer_size=${8 * 1024 * 1024}`;
