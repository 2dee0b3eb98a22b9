// The help text, kept next to the command table so the two cannot drift apart.

import { DEFAULT_PORT, PRODUCT_NAME, VERSION } from '../version.ts';

export function usage(): string {
  return `${PRODUCT_NAME} ${VERSION} — show data files to a person as an interactive table, from any MCP agent.

Usage:
  ${PRODUCT_NAME} mcp                       MCP stdio server (put this in your agent's MCP config)
  ${PRODUCT_NAME} server [--port N] [--no-browser] [--idle-timeout MIN|90s]
                                           the local data server (normally started for you)
  ${PRODUCT_NAME} view <file> [--no-browser] [--port N]
                                           show a file in the browser (starts the server if needed)
  ${PRODUCT_NAME} status | stop | restart [--port N] [--json]
                                           inspect, stop (graceful, then verified kill) or restart the server
  ${PRODUCT_NAME} upgrade [--check] [--to VERSION] [--keep-server]
                                           replace this binary with the latest release (verified)
  ${PRODUCT_NAME} install-mcp [--client claude-code|claude-desktop|cursor|vscode|codex] [--dry-run]
                                           register this binary in an MCP client's config
  ${PRODUCT_NAME} version | --version       print the version
  ${PRODUCT_NAME} help | --help             this text

Environment:
  BUCKAROO_PORT        server port (default ${DEFAULT_PORT}; 0 = any free port)
  BUCKAROO_HOME        state, logs and caches (default ~/.buckaroo)
  BUCKAROO_NO_BROWSER  1 = never open a browser tab
  BUCKAROO_DUCKDB_MEMORY_LIMIT  DuckDB memory before it spills to BUCKAROO_HOME/tmp (e.g. 4GB; default half of RAM)
  BUCKAROO_DUCKDB_THREADS       DuckDB threads (default one per core)
  BUCKAROO_DUCKDB_NICE          DuckDB threads' nice value, 0–19 (default 10: the server stays responsive)
  BUCKAROO_SHUTDOWN_TIMEOUT  wait for an old server to leave before signalling it (ms, or e.g. 3s; default 3000)
  BUCKAROO_STARTUP_TIMEOUT   wait for a new server to answer (ms, or e.g. 5s; default 5000)
  BUCKAROO_NO_UPDATE_CHECK  1 = never ask the release feed (also off when CI is set)
  BUCKAROO_UPDATE_URL  release feed (default: the project's GitHub latest-release API)
`;
}
