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

# The whole suite on SQLite with the in-memory channel layer, then, where TEST_DATABASE_URL
# and TEST_REDIS_URL are set (always in CI), again on PostgreSQL with the Redis layer.
test: $(STAMP)
	$(BIN)/pytest -q
	$(BIN)/caseroom validate --strict scenarios/*/
	@if [ -n "$$TEST_DATABASE_URL" ] && [ -n "$$TEST_REDIS_URL" ]; then \
	  echo "== the suite again on PostgreSQL and Redis"; \
	  DATABASE_URL="$$TEST_DATABASE_URL" REDIS_URL="$$TEST_REDIS_URL" $(BIN)/pytest -q; \
	elif [ "$$CI" = "true" ]; then \
	  echo "CI must run the suite on PostgreSQL and Redis: set TEST_DATABASE_URL and TEST_REDIS_URL" >&2; \
	  exit 1; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check caseroom tests benchmarks
	$(BIN)/ruff format --check caseroom tests benchmarks
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/engine.py

clean:
	rm -rf $(VENV)
