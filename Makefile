# The two commands of the README's quick start: `make run` and `make test`.
# Both create the virtual environment and install the project first.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install run test bench clean chromium

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

test: install chromium
	$(BIN)/python -m pytest

# The browser tests drive Debian's Chromium (a browser a pip package would download cannot be
# fetched here). Installed once, as root, only where /usr/bin/chromium is missing.
chromium:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then \
		if [ "$$(id -u)" != 0 ]; then \
			echo "make: the browser tests need Chromium: run 'sudo apt-get install -y chromium chromium-driver'" >&2; exit 1; \
		fi; \
		echo "installing chromium and chromium-driver (apt-get)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null \
			|| { echo "make: apt-get could not install chromium chromium-driver" >&2; exit 1; }; \
	fi

# Every figure the README quotes comes from one of these scripts (README "Measured").
bench: install
	$(BIN)/python tests/benchmarks/bench_dates.py
	$(BIN)/python tests/benchmarks/bench_parse.py
	$(BIN)/python tests/benchmarks/bench_crawl.py
	$(BIN)/python tests/benchmarks/bench_crawl.py --ablate --rounds 3
	$(BIN)/python tests/benchmarks/bench_raw_store.py
	$(BIN)/python tests/benchmarks/vote_coverage.py
	$(BIN)/python tests/benchmarks/eval_votes.py --no-misses
	$(BIN)/python tests/benchmarks/eval_votes.py --no-misses --labels tests/data/vote_labels_holdout.jsonl
	$(BIN)/python tests/benchmarks/eval_topics.py --set tuning || true
	$(BIN)/python tests/benchmarks/eval_topics.py --set holdout || true
	$(BIN)/python tests/benchmarks/eval_topics.py --set all || true
	$(BIN)/python tests/benchmarks/eval_topics.py --set towns-all || true
	$(BIN)/python tests/benchmarks/eval_topics.py --set towns-blind || true
	$(BIN)/python tests/benchmarks/eval_search.py
	$(BIN)/python tests/benchmarks/signatory_coverage.py --sample 0
	$(BIN)/python tests/benchmarks/bench_oparl_sync.py
	$(BIN)/python tests/benchmarks/bench_oparl_items.py
	$(BIN)/python tests/benchmarks/bench_load.py
	$(BIN)/python tests/benchmarks/bench_documents_stage.py
	$(BIN)/python tests/benchmarks/bench_web.py
	$(BIN)/python tests/benchmarks/fault_table.py
	$(BIN)/python tests/benchmarks/unreachable_source.py
	$(BIN)/python tests/benchmarks/bench_parallel.py

clean:
	rm -rf data/staging data/raw data/exports data/ratsinfo.duckdb data/ratsinfo.duckdb.wal
