// What the agent is told about this server at initialize time. Written for a model: when to call what.

export const SERVER_INSTRUCTIONS = `buckaroo-table shows data files to the person you are working with, as an interactive table in their browser (sortable, searchable, with per-column stats and histograms), and tells you what is in the file.

Use view_data(path) whenever the person should look at a CSV, TSV, Parquet, JSON or NDJSON file (gzip-compressed too), or asks to "see", "show" or "open" data. The result lists rows × columns, each column's type, nulls, distinct count and range, so you rarely need to read the file yourself. Calling view_data again replaces what the person's open page shows; it does not open a new tab.

Each file view_data loads becomes a SQL table named after it (sales.csv → sales; view_data says the name). To answer a question about the data ("which city has the most returns?"), call query_data(sql) with one read-only DuckDB query over those tables instead of writing a script: it returns the first rows with the true total (check \`truncated\`) and shows the whole result to the person.

If something fails, the error says what to do. buckaroo_diagnostics reports the data server's state (version, pid, port, logs) for debugging.`;
