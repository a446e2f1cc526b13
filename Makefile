# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO := scenarios/drina-corridor

.PHONY: run test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/caseroom validate $(DEMO)
	$(BIN)/caseroom play $(DEMO)

test: $(STAMP)
	$(BIN)/pytest -q
	$(BIN)/caseroom validate --strict scenarios/*/

lint: $(STAMP)
	$(BIN)/ruff check caseroom tests benchmarks
	$(BIN)/ruff format --check caseroom tests benchmarks
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/engine.py

clean:
	rm -rf $(VENV)
