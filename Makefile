# ufc_pipeline: `make demo` (install + run the chain on the local mirror), `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export DAGSTER_HOME := $(CURDIR)/.dagster
DAGSTER_CONFIG ?= dagster.yaml

.PHONY: install demo test test-fast ui lint mirror clean help bench-match bench chaos

help:
	@echo "make demo   - install, run every asset for a..z on the local mirror, print a summary"
	@echo "make test   - install if needed and run the test suite"
	@echo "make ui     - dagster dev on http://127.0.0.1:3000 against the local mirror"
	@echo "make lint   - ruff"

$(VENV)/.installed: pyproject.toml uv.lock
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet "uv==0.13.9"
	UV_PROJECT_ENVIRONMENT=$(VENV) $(PYTHON) -m uv sync --frozen --extra celery --python $(PYTHON) \
		--compile-bytecode
	@touch $@

# Bytecode is compiled ahead (above for the dependencies, here for the project) so that no
# process compiles its imports again, even where PYTHONDONTWRITEBYTECODE is set: every run,
# step subprocess and crawler process starts seconds sooner.
install: $(VENV)/.installed $(DAGSTER_HOME)/dagster.yaml
	@$(BIN)/python -m compileall -q ufc_pipeline ufc_mirror bench >/dev/null

$(DAGSTER_HOME)/dagster.yaml: $(DAGSTER_CONFIG)
	@mkdir -p $(DAGSTER_HOME)
	cp $(DAGSTER_CONFIG) $@

demo: install
	$(BIN)/python -m ufc_mirror.demo

test: install
	$(BIN)/pytest -q

test-fast: install
	$(BIN)/pytest -q -m "not slow"

lint: install
	$(BIN)/ruff check ufc_pipeline ufc_mirror tests bench
	$(BIN)/ruff format --check ufc_pipeline ufc_mirror tests bench

mirror: install
	$(BIN)/python -m ufc_mirror serve --ufcstats-port 8801 --sherdog-port 8802

ui: install
	@$(BIN)/python -m ufc_mirror.ui

clean:
	rm -rf data/raw data/processed data/images data/review data/logs data/.progress*.json data/warehouse.sqlite .dagster

bench-match: install
	$(BIN)/python bench/match_bench.py

bench: install
	$(BIN)/python bench/incremental_bench.py

.PHONY: bench-ufccom bench-faces
bench-ufccom: install
	$(BIN)/python bench/ufccom_match_bench.py

bench-faces: install
	$(BIN)/python bench/face_bench.py --mirror 300

chaos: install
	$(BIN)/python bench/chaos_bench.py

.PHONY: witness
witness: install
	$(BIN)/python bench/witness_greco.py

.PHONY: report
report: install
	@$(BIN)/ufc-pipeline report $(if $(RUNS),--runs $(RUNS))
