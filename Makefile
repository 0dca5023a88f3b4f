# Two commands on a fresh machine with Python 3.11+: `make demo` and `make test`.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The first Python 3.11+ on PATH (override with `make PYTHON=/path/to/python3.12 ...`).
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3 python; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	2>/dev/null && echo $$p && break; done)

.PHONY: demo test lint typecheck unit docs bench fit-check mutation clean

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "error: Statecraft needs Python 3.11 or newer on PATH" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/statecraft forecast karabakh-2020

# ruff, then the layers and import rules of pyproject.toml's [tool.importlinter].
lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks docs scripts
	$(BIN)/ruff format --check src tests benchmarks docs scripts
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest

# The docs site, into site/: strict, so a broken link or anchor, a stale API reference or a
# page that docs/index.md does not list fails (a few seconds; `mkdocs serve` while editing).
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

test: lint typecheck docs unit

# Refit the DEU parameters and the models' error record, and check that those shipped are
# current (about a minute).
fit-check: $(STAMP)
	$(BIN)/python scripts/fit_deu.py --check
	$(BIN)/python scripts/fit_errors.py --check

# Mutation testing of the kernel modules, one at a time with the tests that exercise each
# (scripts/mutation.py; docs/testing.md): slow, so not part of `make test`.
# `make mutation MODULES="winners median"` runs just those.
mutation: $(STAMP)
	$(BIN)/python scripts/mutation.py $(MODULES)

bench: $(STAMP)
	$(BIN)/pytest benchmarks --benchmark-only

clean:
	rm -rf $(VENV) site .mypy_cache .ruff_cache .pytest_cache .hypothesis .import_linter_cache
