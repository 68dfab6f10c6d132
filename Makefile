# The two commands of the README: `make run` (set up, then the main job on samples/) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test test-fast lint clean

setup: $(STAMP)

$(STAMP): pyproject.toml setup.py tasks/_kernels.c
	@$(PYTHON) -c 'import sys; sys.exit("newsprep needs Python 3.11+, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/newsprep run --warehouse warehouse
	$(BIN)/newsprep status --warehouse warehouse

test: $(STAMP)
	$(BIN)/python -m pytest -q

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow"

lint: $(STAMP)
	$(BIN)/ruff check flows tasks schemas tests benchmarks scripts newsprep

clean:
	rm -rf $(VENV) warehouse .pytest_cache build tasks/_kernels.*.so
