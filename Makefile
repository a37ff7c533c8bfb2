# Two commands on a fresh clone:  `make build`  and  `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export DBT_PROFILES_DIR := $(CURDIR)/profiles
export KOL_ATTR_DB ?= $(CURDIR)/kol_attr.duckdb
DBT := $(BIN)/dbt

.PHONY: venv build test lint pytest dbt-test docs demo-seeds clean report

$(BIN)/.installed: requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $@

venv: $(BIN)/.installed

## build: set up .venv if missing, load the demo seeds and run `dbt build` on DuckDB, into a working
## copy that is published over $(KOL_ATTR_DB) atomically only when the build succeeds (kol_attr.publish)
build: venv
	$(BIN)/python -m kol_attr.publish --published $(KOL_ATTR_DB) -- build
	@echo ""
	@echo "Built: $(KOL_ATTR_DB)"
	@echo "  query it:   $(BIN)/python -c \"import duckdb; print(duckdb.connect('$(KOL_ATTR_DB)', read_only=True).sql('show all tables'))\""
	@echo "  docs:       $(DBT) docs generate && $(DBT) docs serve --port 8080"

## test: everything: ruff, sqlfluff, pytest, and a full dbt build with every test on a fresh database
test: venv dbt-test lint pytest

CI_DB := $(CURDIR)/target/ci.duckdb

# sqlfluff's dbt templater compiles against the database built by dbt-test (config seeds are read at compile time)
lint: venv
	$(BIN)/ruff check src pytests bench
	KOL_ATTR_DB=$(CI_DB) $(BIN)/sqlfluff lint models tests analyses snapshots

# tests that need a full demo build reuse the one dbt-test just made (pytests/dbt/conftest.py)
pytest: venv
	KOL_ATTR_BUILT_DB=$(CI_DB) $(BIN)/pytest -q

dbt-test: venv
	mkdir -p target
	rm -f $(CI_DB)
	KOL_ATTR_DB=$(CI_DB) $(DBT) build

docs: venv
	$(DBT) docs generate

## demo-seeds: regenerate seeds/demo/ from the simulator (byte-identical for the same seed)
demo-seeds: venv
	$(BIN)/python -m kol_attr_sim --scale demo --seed 42 --format csv --out seeds/demo --truth-out data/demo/truth

## report: render reports/kol_attr_report.html (one self-contained page of plots) from the marts in $(KOL_ATTR_DB)
report: venv
	$(BIN)/python -m kol_attr_report --db $(KOL_ATTR_DB) --out reports/kol_attr_report.html

clean:
	rm -rf target logs kol_attr.duckdb

## build-spark-session: the demo on Apache Spark (in-process pyspark session, target `spark`, needs Java 17),
## in a fresh Parquet warehouse under target/spark-warehouse. Python models and what needs the snapshot are
## not yet built on Spark (DECISIONLOG "Spark"). Not yet part of `make test`.
SPARK_WAREHOUSE := $(CURDIR)/target/spark-warehouse
SPARK_EXCLUDE := resource_type:snapshot dim_campaigns+ int_kol_incrementality+ int_credits_markov+ int_credits_shapley+ int_credits_counterfactual+ int_credits_incremental+
.PHONY: build-spark-session
build-spark-session: venv
	rm -rf $(SPARK_WAREHOUSE) && mkdir -p $(SPARK_WAREHOUSE)
	cd $(SPARK_WAREHOUSE) && PYSPARK_SUBMIT_ARGS="--driver-memory 3g pyspark-shell" KOL_ATTR_SPARK_WAREHOUSE=$(SPARK_WAREHOUSE) \
		$(CURDIR)/$(DBT) build --project-dir $(CURDIR) --target spark --exclude $(SPARK_EXCLUDE)
