#!/usr/bin/env bash
# Stop what scripts/spark_cluster_start.sh started (Thrift server, worker, master), by the pid
# files spark-daemon.sh wrote under $KOL_ATTR_SPARK_RUN (default target/spark-cluster).
set -uo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}
export SPARK_HOME=$("$PYTHON" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')
RUN=$(realpath -m "${KOL_ATTR_SPARK_RUN:-target/spark-cluster}")
export SPARK_LOG_DIR=$RUN/logs SPARK_PID_DIR=$RUN/pids
DAEMON="$SPARK_HOME/sbin/spark-daemon.sh"
bash "$DAEMON" stop org.apache.spark.sql.hive.thriftserver.HiveThriftServer2 1
bash "$DAEMON" stop org.apache.spark.deploy.worker.Worker 1
bash "$DAEMON" stop org.apache.spark.deploy.master.Master 1
