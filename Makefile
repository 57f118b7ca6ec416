# IndexPilot: one entry point for people and CI. `make help` lists the targets.
SHELL := /bin/bash
CARGO ?= cargo
TARGET_DIR := $(or $(CARGO_TARGET_DIR),$(CURDIR)/target)
INDEXPILOT := $(TARGET_DIR)/debug/indexpilot
APP := $(TARGET_DIR)/debug/indexpilot-app
RELEASE_APP := $(TARGET_DIR)/release/indexpilot-app
# Seconds of pgbench per throughput round in the advisor benchmark.
BENCH_SECONDS ?= 10
GUI_ENV := NO_AT_BRIDGE=1 xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session --

.PHONY: help setup deps ui-deps tauri-driver cli app app-release package test-package screenshots demo demo-stop test test-rust test-pg-majors test-ui test-e2e lint bench bindings clean

help:
	@echo "make demo       set up everything, start the demo database and open the app (headless: a CLI tour)"
	@echo "make test       set up everything and run every test suite"
	@echo "make lint       cargo fmt/clippy and the UI's lint and type check"
	@echo "make bench      benchmarks: discovery (100,000 fields), statement analysis (10,000), collection, advisor (speed; vs an expert index set on a zoo of ten workloads), UI genome filter (100,000), workload view (10,000) and command palette (100,000 fields), app launch to interactive and idle memory (release build)"
	@echo "make package    the .deb and .rpm (desktop app, CLI, desktop entry, icons) in $(TARGET_DIR)/release/bundle/"
	@echo "make test-package  build them, check their contents, install the .deb into a clean Debian 12 root and run it there"
	@echo "make screenshots  the README's pictures, one per view and the palette, in the real window over the full demo"
	@echo "make demo-stop  stop the demo database"

## Setup ---------------------------------------------------------------------------------
setup: deps ui-deps tauri-driver

deps:
	bash .ci/install-system-deps

ui-deps:
	cd ui && npm ci --no-audit --no-fund

tauri-driver:
	@command -v tauri-driver >/dev/null || [ -x "$$HOME/.cargo/bin/tauri-driver" ] || \
		$(CARGO) install tauri-driver --locked --version 2.1.0

## Build ---------------------------------------------------------------------------------
cli:
	$(CARGO) build --locked -p indexpilot-cli -p indexpilot-host-example
	$(CARGO) build --locked -p indexpilot-tests --bin pg-sandbox

# The app with its UI embedded (custom-protocol), as it ships.
app: ui-deps
	cd ui && npm run build
	$(CARGO) build --locked -p indexpilot-app --features custom-protocol

# The app as it ships, optimised: what the launch benchmark measures.
app-release: ui-deps
	cd ui && npm run build
	$(CARGO) build --locked --release -p indexpilot-app --features custom-protocol

## Packages ------------------------------------------------------------------------------
# The installable packages, built offline by Tauri's bundler (the npm CLI in ui/): the release
# app with its UI embedded, the release CLI as /usr/bin/indexpilot, a desktop entry and icons.
PACKAGE_FILES := {"/usr/bin/indexpilot":"$(TARGET_DIR)/release/indexpilot"}
package: ui-deps
	cd ui && npm run build
	$(CARGO) build --locked --release -p indexpilot-cli
	cd src-tauri && CARGO_TARGET_DIR=$(TARGET_DIR) ../ui/node_modules/.bin/tauri build --ci --bundles deb,rpm \
		--config '{"build":{"beforeBuildCommand":""},"bundle":{"linux":{"deb":{"files":$(PACKAGE_FILES)},"rpm":{"files":$(PACKAGE_FILES)}}}}'
	@ls -l $(TARGET_DIR)/release/bundle/deb/*.deb $(TARGET_DIR)/release/bundle/rpm/*.rpm

test-package: package
	$(GUI_ENV) tests/package/check $(TARGET_DIR)/release/bundle

## Screenshots ---------------------------------------------------------------------------
# docs/screenshots/*.png: the real window over the full demo, each view once it shows data.
screenshots: setup cli app
	$(GUI_ENV) tests/screenshots/run $(TARGET_DIR)

## The main job --------------------------------------------------------------------------
demo: setup cli app
	$(INDEXPILOT) demo --detach
	@url=$$($(INDEXPILOT) demo url); \
	echo; echo "== the demo database: $$url"; \
	$(INDEXPILOT) --database-url "$$url" tenants | head -n 15; echo; \
	$(INDEXPILOT) --database-url "$$url" genome list --group custom; echo; \
	$(INDEXPILOT) --database-url "$$url" fields list | head -n 12; echo; \
	echo "== the advisor's proposals for the demo's workload (recorded: the app's Advisor view opens on them)"; \
	$(INDEXPILOT) --database-url "$$url" advise; echo; \
	if [ -n "$$DISPLAY" ] || [ -n "$$WAYLAND_DISPLAY" ]; then \
		echo "== opening the desktop app"; $(APP); \
	else \
		echo "== no display: the headless path is the CLI above (indexpilot --help); the app needs a desktop session"; \
	fi

demo-stop: cli
	$(INDEXPILOT) demo stop

## Tests ---------------------------------------------------------------------------------
test: setup test-rust test-pg-majors test-ui test-e2e

# The engine's documentation examples run too, against a server of their own.
test-rust: cli
	tests/with-doc-server $(TARGET_DIR) $(CARGO) test --locked --workspace

# The engine suite without HypoPG on PostgreSQL 13, 14, 16, 17 and 18 (the machine's own
# major, 15, runs all of it in test-rust).
test-pg-majors: cli
	tests/pg-majors/run $(TARGET_DIR)

test-ui: ui-deps
	cd ui && npm run build && npm test && npm run test:browser && npm run bench

test-e2e: app tauri-driver
	$(CARGO) build --locked -p indexpilot-tests --bin pg-sandbox
	INDEXPILOT_APP=$(APP) INDEXPILOT_TARGET_DIR=$(TARGET_DIR) $(GUI_ENV) tests/e2e/run

lint: ui-deps
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --locked --workspace --all-targets -- -D warnings
	bash .ci/check-keyring-backends
	cd ui && npm run lint && npm run check

# Regenerates the UI's TypeScript types from the Rust types (checked by cargo test).
bindings:
	UPDATE_BINDINGS=1 $(CARGO) test --locked -p indexpilot-app --test bindings

bench: ui-deps app-release tauri-driver
	$(CARGO) run --locked --release -q -p indexpilot-tests --bin bench-discovery
	$(CARGO) run --locked --release -q -p indexpilot-tests --bin bench-analyse
	$(CARGO) run --locked --release -q -p indexpilot-tests --bin bench-collect
	$(CARGO) run --locked --release -q -p indexpilot-tests --bin bench-advise-speed
	$(CARGO) run --locked --release -q -p indexpilot-tests --bin bench-advisor -- --seconds $(BENCH_SECONDS)
	$(CARGO) run --locked --release -q -p indexpilot-tests --bin bench-advisor -- --seconds $(BENCH_SECONDS) --random-page-cost 1.1 --only crm,analytics
	cd ui && npm run bench
	INDEXPILOT_APP=$(RELEASE_APP) $(GUI_ENV) tests/bench/app-launch/run

clean:
	$(CARGO) clean
	rm -rf ui/dist ui/node_modules
