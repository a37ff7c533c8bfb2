#!/usr/bin/env bash
# Stop what scripts/spark_cluster_start.sh started (Thrift server, worker, master), by the pid
# files spark-daemon.sh wrote under $KOL_ATTR_SPARK_RUN (default target/spark-cluster), and wait
# until those JVMs have exited (spark-daemon.sh only sends the signal); a daemon still running after
# KOL_ATTR_SPARK_STOP_WAIT seconds (default 60) is killed. The worker stops its executors itself.
set -uo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}
export SPARK_HOME=$("$PYTHON" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')
RUN=$(realpath -m "${KOL_ATTR_SPARK_RUN:-target/spark-cluster}")
export SPARK_LOG_DIR=$RUN/logs SPARK_PID_DIR=$RUN/pids
DAEMON="$SPARK_HOME/sbin/spark-daemon.sh"
PIDS=$(cat "$SPARK_PID_DIR"/*.pid 2>/dev/null || true)
bash "$DAEMON" stop org.apache.spark.sql.hive.thriftserver.HiveThriftServer2 1
bash "$DAEMON" stop org.apache.spark.deploy.worker.Worker 1
bash "$DAEMON" stop org.apache.spark.deploy.master.Master 1

running() {  # alive and not a zombie
  local state
  state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
  [[ $state != Z* ]]
}
for _ in $(seq 1 "${KOL_ATTR_SPARK_STOP_WAIT:-60}"); do
  left=""
  for pid in $PIDS; do running "$pid" && left="$left $pid"; done
  [ -z "$left" ] && exit 0
  sleep 1
done
echo "still running after ${KOL_ATTR_SPARK_STOP_WAIT:-60} s, killing:$left" >&2
kill -9 $left 2>/dev/null
exit 0
