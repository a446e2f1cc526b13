# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO := scenarios/vardar-corridor
HOST ?= 127.0.0.1
PORT ?= 8000
# axe-core, from npm, for the browser tests' accessibility checks only: it is never served.
AXE := node_modules/axe-core/axe.min.js
NPM := $(shell command -v npm 2>/dev/null)

.PHONY: run play test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[reports,dev]'
	touch $(STAMP)

# The lock file pins axe-core; npm ci installs exactly it (and dates its files 1985, hence
# the touch). Without npm on a laptop the tests still run and their summary says how many
# accessibility checks did not; CI installs npm (.ci/run) and fails without axe-core.
$(AXE): package.json package-lock.json
ifdef NPM
	npm ci --no-audit --no-fund --loglevel=error
	touch $(AXE)
else
	@echo "npm is missing: the browser tests' accessibility checks will not run (apt-get install npm)"
endif

# Serve the app (HOST=0.0.0.0 make run lets the room's Wi-Fi reach it). CASEROOM_HOST tells
# the settings which host names to answer to; uvicorn sends no Server banner.
# Static files are collected (hashed names, gzip and Brotli copies) and served as collected.
run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	CASEROOM_STATIC_COLLECTED=true $(BIN)/python manage.py collectstatic --noinput -v0
	CASEROOM_HOST=$(HOST) $(BIN)/python manage.py loaddemo --host $(HOST) --port $(PORT)
	CASEROOM_STATIC_COLLECTED=true CASEROOM_HOST=$(HOST) $(BIN)/uvicorn caseroom.asgi:application --host $(HOST) --port $(PORT) --no-server-header

# Play the demo case in the terminal, as an author does.
play: $(STAMP)
	$(BIN)/caseroom play $(DEMO)

# The whole suite on SQLite with the in-memory channel layer, the shipped scenarios
# validated, then, where TEST_DATABASE_URL and TEST_REDIS_URL are set (always in CI), the
# suite again on PostgreSQL with the Redis layer; with LINT=1 (CI) `make lint` too. Every
# pass runs even when one before it failed; the last line sums them up (.ci/test).
test: $(STAMP) $(AXE)
	@BIN=$(BIN) LINT=$(LINT) .ci/test

lint: $(STAMP)
	$(BIN)/ruff check caseroom tests benchmarks
	$(BIN)/ruff format --check caseroom tests benchmarks
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/engine.py

clean:
	rm -rf $(VENV)
