#!/bin/sh
# `make install`: copy a built binary to $PREFIX/bin next to the old one, then rename over it, so a running
# buckaroo-table (an agent's MCP process) is never overwritten in place.
set -eu
src="$1"
prefix="$2"
[ -x "$src" ] || { echo "install-local.sh: $src is missing; run make build" >&2; exit 1; }
mkdir -p "$prefix/bin"
tmp="$prefix/bin/.buckaroo-table.$$.new"
cp "$src" "$tmp"
chmod 755 "$tmp"
mv -f "$tmp" "$prefix/bin/buckaroo-table"
echo "Installed $("$prefix/bin/buckaroo-table" --version) at $prefix/bin/buckaroo-table"
echo "Register it with your agent:  $prefix/bin/buckaroo-table install-mcp --client claude-code   (or see README.md)"
