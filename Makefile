# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO := scenarios/vardar-corridor
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run play test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[reports,dev]'
	touch $(STAMP)

# Serve the app (HOST=0.0.0.0 make run lets the room's Wi-Fi reach it). CASEROOM_HOST tells
# the settings which host names to answer to; uvicorn sends no Server banner.
run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	CASEROOM_HOST=$(HOST) $(BIN)/python manage.py loaddemo --host $(HOST) --port $(PORT)
	CASEROOM_HOST=$(HOST) $(BIN)/uvicorn caseroom.asgi:application --host $(HOST) --port $(PORT) --no-server-header

# Play the demo case in the terminal, as an author does.
play: $(STAMP)
	$(BIN)/caseroom play $(DEMO)

# The whole suite on SQLite with the in-memory channel layer, the shipped scenarios
# validated, then, where TEST_DATABASE_URL and TEST_REDIS_URL are set (always in CI), the
# suite again on PostgreSQL with the Redis layer; with LINT=1 (CI) `make lint` too. Every
# pass runs even when one before it failed; the last line sums them up (.ci/test).
test: $(STAMP)
	@BIN=$(BIN) LINT=$(LINT) .ci/test

lint: $(STAMP)
	$(BIN)/ruff check caseroom tests benchmarks
	$(BIN)/ruff format --check caseroom tests benchmarks
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/engine.py

clean:
	rm -rf $(VENV)
