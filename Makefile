# Harbour's developer commands. `make run` and `make test` are all a new machine needs:
# each sets up what it depends on (venv, node_modules, assets) and skips what is up to date.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PYTHON := $(VENV)/bin/python
# Stamps record "done for these inputs": make re-runs a step only when its inputs are newer.
INSTALL_STAMP := $(VENV)/.harbour-installed
NODE_STAMP := node_modules/.harbour-installed
DIST := assets/dist
CSS := $(DIST)/harbour.css
ARGS ?=

.PHONY: help install assets run test test-quick bench lint clean distclean

help:
	@echo "make run        set up and start Harbour with a demo school on http://127.0.0.1:8000"
	@echo "make test       set up, start throwaway PostgreSQL and Redis, run pytest (ARGS='...')"
	@echo "make test-quick as make test without the browser and process-starting tests (inner loop)"
	@echo "make bench     measure Harbour at local-authority scale (SCALE=small: under 2 min)"
	@echo "make lint       ruff, ruff format --check, import-linter layers, djlint, mypy"
	@echo "make install    create $(VENV) and install Harbour with its dev dependencies"
	@echo "make assets     build GOV.UK Frontend and Harbour's Sass into $(DIST)"
	@echo "make clean      remove built assets and caches; distclean also $(VENV), node_modules, var"

# --- Python ----------------------------------------------------------------------------------
install: $(INSTALL_STAMP)

# Harbour supports Python 3.11 (what Debian 12 ships). On a bare Debian the venv module lives
# in a separate package, so install it with apt when we can.
$(INSTALL_STAMP): pyproject.toml
	@set -euo pipefail; \
	if [ ! -x $(PYTHON) ]; then \
	  if command -v python3.11 >/dev/null; then py=python3.11; \
	  elif command -v python3 >/dev/null && python3 -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then py=python3; \
	  else echo "Harbour needs Python 3.11 (python3.11 or python3 at version 3.11): install it first." >&2; exit 1; fi; \
	  echo "==> creating $(VENV) with $$($$py --version)"; \
	  if ! $$py -m venv $(VENV) 2>/dev/null; then \
	    rm -rf $(VENV); \
	    if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	      echo "==> installing python3.11-venv with apt"; \
	      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3.11-venv; \
	      $$py -m venv $(VENV); \
	    else echo "Cannot create a venv: install python3.11-venv (apt-get install python3.11-venv)." >&2; exit 1; fi; \
	  fi; \
	fi; \
	echo "==> pip install -e '.[dev]'"; \
	log=$$(mktemp); \
	if ! $(PYTHON) -m pip install --disable-pip-version-check -e '.[dev]' >"$$log" 2>&1; then \
	  cat "$$log" >&2; rm -f "$$log"; exit 1; fi; \
	rm -f "$$log"; \
	touch $@

# --- Front-end assets ------------------------------------------------------------------------
assets: $(CSS)

# npm ci installs exactly what package-lock.json says; re-run when the lock file changes.
# --ignore-scripts: nothing we use needs an install script (@parcel/watcher ships prebuilt).
$(NODE_STAMP): package.json package-lock.json
	@set -euo pipefail; \
	if ! command -v npm >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "==> installing nodejs and npm with apt"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; \
	  else echo "npm is missing: install Node.js 18 or later with npm (apt-get install nodejs npm)." >&2; exit 1; fi; \
	fi; \
	if ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) < 18 ? 1 : 0)'; then \
	  echo "Node.js $$(node --version) is too old for sass: install Node.js 18 or later." >&2; exit 1; fi; \
	echo "==> npm ci"; \
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error; \
	touch $@

# One script does the build so the Dockerfile builds assets exactly as we do.
$(CSS): $(wildcard assets/*.scss) $(NODE_STAMP) scripts/build-assets.sh
	@scripts/build-assets.sh

# --- Running and testing ---------------------------------------------------------------------
run:
	@scripts/run.sh

test:
	@scripts/test.sh $(ARGS)

# The inner loop: everything but the tests marked `browser` (Chromium) and `slow` (workers,
# servers). CI runs the whole suite, `make test`.
test-quick:
	@scripts/test.sh -m "not browser and not slow" $(ARGS)

# Not part of CI (.ci/run): it takes minutes and measures the machine it runs on.
bench:
	@SCALE=$(or $(SCALE),full) scripts/bench.sh $(ARGS)

# mypy checks the typed layers (services and selectors) of every app that has them; the
# glob finds them so a new app is covered without editing this file.
# mypy's Django plugin loads the settings, which refuse the development key unless told.
lint: $(INSTALL_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	@set -euo pipefail; shopt -s nullglob; \
	dirs=(templates */templates); dirs=($$(printf '%s\n' "$${dirs[@]}" | sort -u)); \
	existing=(); for d in "$${dirs[@]}"; do [ -d "$$d" ] && existing+=("$$d"); done; \
	if [ $${#existing[@]} -gt 0 ]; then \
	  echo "$(VENV)/bin/djlint $${existing[*]} --lint"; $(VENV)/bin/djlint "$${existing[@]}" --lint; \
	else echo "djlint: no templates yet"; fi
	@set -euo pipefail; shopt -s nullglob; \
	files=(*/services.py */selectors.py); \
	if [ $${#files[@]} -gt 0 ]; then \
	  echo "$(VENV)/bin/mypy $${files[*]}"; HARBOUR_ALLOW_DEV_KEY=true $(VENV)/bin/mypy "$${files[@]}"; \
	else echo "mypy: no services.py or selectors.py yet"; fi

# --- Cleaning --------------------------------------------------------------------------------
# clean keeps the venv, node_modules and var/ (the demo database) so the next make run is quick.
clean:
	rm -rf $(DIST) .pytest_cache .mypy_cache .ruff_cache .benchmarks test-results
	find . -path ./$(VENV) -prune -o -path ./node_modules -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) node_modules var harbour.egg-info
