#!/usr/bin/env bash
# Makes the windows-x64 binary runnable on an x64 Linux machine for its smoke test (test/e2e/windows.test.ts):
# Debian's wine64 (8.0) to run it, and mingw-w64 to build a test-only stub bcryptprimitives.dll, which wine 8.0
# lacks and Bun 1.4's runtime needs (its Rust std calls ProcessPrng). The stub is built by the test into its
# own wine prefix and never shipped. Like ensure-qemu-arm64.sh, it installs only as root on a clean CI machine;
# otherwise it says what is missing and exits 0, and the Windows test skips itself saying why.
set -euo pipefail
WINE=/usr/lib/wine/wine64
MINGW_CC=x86_64-w64-mingw32-gcc

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then exit 0; fi
if [ -x "$WINE" ] && command -v "$MINGW_CC" >/dev/null; then exit 0; fi
if [ "$(id -u)" != "0" ]; then
  echo "ensure-wine: not root; to run the Windows tests: sudo apt-get install -y wine64 gcc-mingw-w64-x86-64-win32" >&2
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "ensure-wine: no apt-get (not Debian/Ubuntu); the Windows tests will skip" >&2
  exit 0
fi
echo "ensure-wine: installing wine64 and mingw-w64…"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends wine64 gcc-mingw-w64-x86-64-win32 >/dev/null
if [ ! -x "$WINE" ] || ! command -v "$MINGW_CC" >/dev/null; then
  echo "ensure-wine: $WINE or $MINGW_CC still missing after apt-get; the Windows tests will skip" >&2
  exit 0
fi
echo "ensure-wine: $("$WINE" --version) and $("$MINGW_CC" --version | head -n1)"
