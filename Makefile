# Two commands on a fresh clone:  `make build`  and  `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export DBT_PROFILES_DIR := $(CURDIR)/profiles
export KOL_ATTR_DB ?= $(CURDIR)/kol_attr.duckdb
DBT := $(BIN)/dbt

.PHONY: venv build test lint pytest spark-parity dbt-test docs demo-seeds clean report

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

## test: everything: ruff, sqlfluff, pytest, and a full dbt build with every test on a fresh database;
## when `java` is found, also the Spark (session) build of the demo, then a pytest that compares it mart
## by mart with the DuckDB build. The Spark build keeps about one of two cores busy (its ~560 statements
## are mostly Spark planning and scheduling), so it runs beside ruff, sqlfluff and pytest instead of
## after them (DECISIONLOG "Spark in CI"). KOL_ATTR_SPARK=0 make test leaves Spark out.
HAVE_JAVA := $(shell command -v java 2>/dev/null)
SPARK_CI := $(if $(filter 0,$(KOL_ATTR_SPARK)),,$(if $(HAVE_JAVA),1))
SPARK_LOG := $(CURDIR)/target/spark-build.log
test: venv
ifeq ($(SPARK_CI),1)
	@mkdir -p target && echo "Spark (session) build started beside the checks; log: $(SPARK_LOG)"
	@$(MAKE) --no-print-directory build-spark-session > $(SPARK_LOG) 2>&1 & spark=$$!; \
	$(MAKE) --no-print-directory dbt-test lint pytest; checks=$$?; \
	wait $$spark; spark_rc=$$?; \
	if [ $$spark_rc -ne 0 ]; then grep -a -v " WARN " $(SPARK_LOG) | tail -n 80; fi; \
	grep -a -E "Done\.|Spark \(session\) build" $(SPARK_LOG); \
	[ $$checks -eq 0 ] && [ $$spark_rc -eq 0 ]
	@$(MAKE) --no-print-directory spark-parity
else
	@$(MAKE) --no-print-directory dbt-test lint pytest
endif

CI_DB := $(CURDIR)/target/ci.duckdb

# sqlfluff's dbt templater compiles against the database built by dbt-test (config seeds are read at compile time)
lint: venv
	$(BIN)/ruff check src pytests bench
	KOL_ATTR_DB=$(CI_DB) $(BIN)/sqlfluff lint --processes 2 models tests analyses snapshots

# tests that need a full demo build reuse the one dbt-test just made (pytests/dbt/conftest.py);
# PYTEST_WORKERS processes (pytest-xdist), each test file kept on one worker (module fixtures build once).
# The Spark parity test runs on its own (spark-parity), once the Spark build is there.
PYTEST_WORKERS ?= 2
pytest: venv
	KOL_ATTR_BUILT_DB=$(CI_DB) KOL_ATTR_SKIP_SPARK_PARITY=1 $(BIN)/pytest -q -n $(PYTEST_WORKERS) --dist loadfile

## spark-parity: every mart of the Spark build (build-spark-session) against the DuckDB one (dbt-test)
spark-parity: venv
	KOL_ATTR_BUILT_DB=$(CI_DB) KOL_ATTR_SPARK_BUILT_WAREHOUSE=$(SPARK_WAREHOUSE) $(BIN)/pytest -q pytests/spark/test_spark_matches_duckdb.py

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

## build-spark-session: the demo on Apache Spark (in-process pyspark session, target `spark`, needs Java 17):
## every seed, model (SQL and Python), snapshot and test, in a fresh Parquet warehouse under
## target/spark-warehouse, with its own dbt target and log paths (it runs beside other dbt commands in
## `make test`). Part of `make test` when Java is found (DECISIONLOG "Spark in CI").
SPARK_WAREHOUSE := $(CURDIR)/target/spark-warehouse
.PHONY: build-spark-session build-spark venv-spark spark-cluster-start spark-cluster-stop
build-spark-session: venv
	rm -rf $(SPARK_WAREHOUSE) && mkdir -p $(SPARK_WAREHOUSE)
	@start=$$(date +%s); \
	cd $(SPARK_WAREHOUSE) && PYSPARK_SUBMIT_ARGS="--driver-memory 3g pyspark-shell" KOL_ATTR_SPARK_WAREHOUSE=$(SPARK_WAREHOUSE) \
		DBT_TARGET_PATH=$(CURDIR)/target/spark-dbt DBT_LOG_PATH=$(CURDIR)/target/spark-dbt-logs \
		$(CURDIR)/$(DBT) build --project-dir $(CURDIR) --target spark; rc=$$?; \
	echo "Spark (session) build: $$(( $$(date +%s) - start )) s"; exit $$rc

## build-spark: the demo on a standalone Spark cluster on loopback (master, worker, Spark Thrift
## Server from the pyspark wheel; target `spark_thrift`, needs Java 17). Installs dbt-spark's PyHive
## extra (requirements-spark.txt) into .venv, starts the cluster, builds every node, stops the cluster
## (also when the build fails). Ports: Thrift 10000, master 7077, web UIs 8090/8091; set
## KOL_ATTR_THRIFT_PORT, KOL_ATTR_SPARK_MASTER_PORT, KOL_ATTR_SPARK_MASTER_WEBUI_PORT and
## KOL_ATTR_SPARK_WORKER_WEBUI_PORT to run beside another cluster (scripts/spark_cluster_start.sh).
SPARK_CLUSTER_WAREHOUSE := $(CURDIR)/target/spark-cluster-warehouse
SPARK_CLUSTER_RUN := $(CURDIR)/target/spark-cluster
SPARK_CLUSTER_ENV := KOL_ATTR_SPARK_WAREHOUSE=$(SPARK_CLUSTER_WAREHOUSE) KOL_ATTR_SPARK_RUN=$(SPARK_CLUSTER_RUN) PYTHON=$(BIN)/python

$(BIN)/.installed-spark: requirements-spark.txt $(BIN)/.installed
	$(BIN)/pip install --quiet -r requirements-spark.txt
	@touch $@

venv-spark: $(BIN)/.installed-spark

build-spark: venv-spark
	rm -rf $(SPARK_CLUSTER_WAREHOUSE) $(SPARK_CLUSTER_RUN)
	@start=$$(date +%s); \
	$(SPARK_CLUSTER_ENV) scripts/spark_cluster_start.sh \
		&& $(SPARK_CLUSTER_ENV) $(DBT) build --target spark_thrift; rc=$$?; \
	$(SPARK_CLUSTER_ENV) scripts/spark_cluster_stop.sh; \
	echo "Spark (Thrift cluster) build, cluster start to stop: $$(( $$(date +%s) - start )) s"; exit $$rc

spark-cluster-start: venv
	$(SPARK_CLUSTER_ENV) scripts/spark_cluster_start.sh

spark-cluster-stop: venv
	$(SPARK_CLUSTER_ENV) scripts/spark_cluster_stop.sh
