# router-agent: the Makefile is the entry point.
#   make test   - set up (as root on Debian 12), build, lint and run every test
#   make demo   - bring up the router lab and show it working
SHELL := /bin/bash
NODE_BIN := node_modules/.bin

.PHONY: all deps system-deps build lint test test-unit bench clean demo demo-down release e2e-guest lab-build

all: build

system-deps:
	@bash scripts/install-system-deps.sh

node_modules: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch node_modules

deps: system-deps node_modules

build: node_modules
	$(NODE_BIN)/tsc -p tsconfig.json

lint: node_modules
	$(NODE_BIN)/biome check .
	$(NODE_BIN)/tsc -p tsconfig.test.json

test: deps build
	$(NODE_BIN)/vitest run

test-unit: node_modules
	$(NODE_BIN)/vitest run test/unit

clean:
	rm -rf dist test-results release

# Benchmarks print figures and assert nothing (root: they use real nft and
# dnsmasq in throwaway namespaces). Pass RUNS=N for more runs per figure.
RUNS ?= 5
bench: deps build
	@for b in bench/*.ts; do \
	  n=$$(basename $$b .ts); \
	  $(NODE_BIN)/esbuild $$b --bundle --platform=node --format=esm --packages=external \
	    --log-level=warning --outfile=dist/bench/$$n.mjs || exit 1; \
	  echo "== bench/$$n"; node dist/bench/$$n.mjs $(RUNS) || exit 1; \
	done

# The router lab demo (test/lab/lab.ts, lab/demo.ts). Ctrl-C or `make demo-down` tears it down.
lab-build: build
	$(NODE_BIN)/tsc -p lab/tsconfig.json

demo: deps lab-build
	node dist/lab/lab/demo.js

demo-down: node_modules
	$(NODE_BIN)/tsc -p lab/tsconfig.json
	node dist/lab/lab/demo-down.js

# Release tarballs for x64 and arm64 in release/ (packaging/build-release.ts).
# The Node.js runtime is fetched once into .cache/node (outside git).
release: node_modules
	$(NODE_BIN)/esbuild packaging/build-release.ts --bundle --platform=node --format=esm \
		--packages=external --log-level=warning --outfile=.cache/build-release.mjs
	node .cache/build-release.mjs

# First boot of the release in a real systemd guest (test/guest/); needs root,
# debootstrap and systemd-nspawn. The Debian rootfs is cached in
# /var/cache/router-agent-e2e between runs.
e2e-guest: deps release
	@command -v debootstrap >/dev/null && command -v systemd-nspawn >/dev/null || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap systemd-container >/dev/null; }
	$(NODE_BIN)/vitest run --config test/guest/vitest.config.ts
