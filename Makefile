# The two commands of the README's quick start: `make run` and `make test`.
# Both create the virtual environment and install the project first.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install run test bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/.installed

# Serve the bundled demo council sites on 127.0.0.1, run the nightly flow
# against them (crawl → load → export) and print a summary.
run: install
	$(BIN)/ratsinfo run --demo

test: install
	$(BIN)/python -m pytest

# Benchmarks print their figures; see README "Measured".
bench: install
	$(BIN)/python tests/benchmarks/bench_dates.py

clean:
	rm -rf data/staging data/raw data/exports data/ratsinfo.duckdb data/ratsinfo.duckdb.wal
