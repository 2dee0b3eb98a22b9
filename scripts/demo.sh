#!/usr/bin/env bash
# make demo: show the bundled sample file with the freshly built binary. It starts (or reuses, or replaces a
# stale) data server on BUCKAROO_PORT (default 8700), loads samples/penguins.csv and opens a browser tab;
# on a machine without a desktop it prints the URL to open. The server keeps running after this script ends
# (`dist/buckaroo-table stop` stops it; it also exits by itself after 30 idle minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="$PWD/dist/buckaroo-table"
"$BIN" view "$PWD/samples/penguins.csv"
echo
"$BIN" status
