#!/usr/bin/env bash
# make demo: start the data server from the freshly built binary and show the bundled sample file.
# Uses the real ~/.buckaroo unless BUCKAROO_HOME is set; the server keeps running after this script ends.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="$PWD/dist/buckaroo-table"
SAMPLE="$PWD/samples/penguins.csv"
if "$BIN" help | grep -q ' view <file>' && "$BIN" view --help >/dev/null 2>&1; then
  "$BIN" view "$SAMPLE"
else
  PORT="${BUCKAROO_PORT:-8700}"
  "$BIN" server --port "$PORT" >/dev/null 2>&1 &
  sleep 1
  echo "Server running: http://127.0.0.1:$PORT/"
  curl -s "http://127.0.0.1:$PORT/health"; echo
fi
