# The habits of this project. `make run` and `make test` are all a fresh machine needs.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
PYTEST_WORKERS ?= auto

.PHONY: install install-test run test test-fast lint format bench bench-scoring bench-mastery bench-server bench-catalog bench-jobs clean

install: $(STAMP)

# constraints.txt pins every package to the versions that produced the stored catalog numbers.
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e ".[postgres,notebook,workers]"
	touch $@

install-test: $(TEST_STAMP)

$(TEST_STAMP): $(STAMP) pyproject.toml constraints.txt
	$(PY) -m pip install --quiet -c constraints.txt -e ".[postgres,notebook,workers,test,lint]"
	touch $@

# Builds the built-in catalog (cached) and starts the personal web app on 127.0.0.1.
run: install
	$(BIN)/trackrecord catalog build
	$(BIN)/trackrecord serve

test: install-test
	$(PY) -m pytest -n $(PYTEST_WORKERS) -q

test-fast: install-test
	$(PY) -m pytest -n $(PYTEST_WORKERS) -q -m "not slow and not browser"

lint: install-test
	$(BIN)/ruff format --check src tests bench
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

format: install-test
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

bench: bench-scoring bench-mastery bench-server bench-catalog bench-jobs

bench-scoring: install
	$(PY) bench/scoring.py

# The pyBKT peer runs in its own virtualenv (it needs scikit-learn 1.7): built on first use.
bench/.peer-venv/.ready:
	sh bench/peer_env.sh
	touch $@

bench-mastery: install bench/.peer-venv/.ready
	$(PY) bench/mastery.py --data ../shared/data/kt/assistments09

bench-server: install-test
	$(PY) bench/server.py

bench-catalog: install
	$(PY) bench/catalog.py --fields

# Needs Redis (TRACKRECORD_TEST_REDIS_URL or redis://127.0.0.1:6379/0) and bubblewrap.
bench-jobs: install-test
	$(PY) bench/jobs.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
