#!/usr/bin/env bash
# Makes linux-arm64 binaries runnable on an x64 Linux machine, for the arm64 build's smoke test and e2e test:
# Debian's qemu-user-static and arm64 C/C++ runtime, and a binfmt_misc entry so an arm64 ELF file runs directly
# (the binary re-executes itself for `server` and `unpack-native`; a plain `qemu-aarch64 <file>` would not
# follow). Like ensure-chromium.sh, it installs only as root on a clean CI machine; otherwise it says what is
# missing and exits 0, and the arm64 test skips itself saying why.
set -euo pipefail
BINFMT_DIR=/proc/sys/fs/binfmt_misc
ENTRY="$BINFMT_DIR/qemu-aarch64"
CONF=/usr/lib/binfmt.d/qemu-aarch64.conf

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then exit 0; fi
if [ -e "$ENTRY" ] && [ -d /usr/aarch64-linux-gnu/lib ]; then exit 0; fi
if [ "$(id -u)" != "0" ]; then
  echo "ensure-qemu-arm64: not root; to run the arm64 tests: sudo apt-get install -y qemu-user-static libc6-arm64-cross libstdc++6-arm64-cross" >&2
  exit 0
fi
if [ ! -f "$CONF" ] || [ ! -d /usr/aarch64-linux-gnu/lib ]; then
  echo "ensure-qemu-arm64: installing qemu-user-static and the arm64 C/C++ runtime…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends qemu-user-static libc6-arm64-cross libstdc++6-arm64-cross >/dev/null
fi
if [ ! -e "$BINFMT_DIR/register" ]; then
  mount binfmt_misc -t binfmt_misc "$BINFMT_DIR" 2>/dev/null || {
    echo "ensure-qemu-arm64: cannot mount binfmt_misc here (a container without the privilege?); the arm64 tests will skip" >&2
    exit 0
  }
fi
if [ ! -e "$ENTRY" ]; then
  # The .conf is systemd-binfmt's format, which is the kernel's register line as it is.
  if ! cat "$CONF" > "$BINFMT_DIR/register" 2>/dev/null; then
    echo "ensure-qemu-arm64: the kernel refused the binfmt_misc entry; the arm64 tests will skip" >&2
    exit 0
  fi
fi
echo "ensure-qemu-arm64: arm64 binaries run through $(head -n1 "$ENTRY")"
