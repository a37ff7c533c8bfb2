#!/usr/bin/env bash
# Start a standalone Spark cluster on loopback from the pyspark wheel: one master, one worker and
# the Spark Thrift Server (HiveThriftServer2, port 10000 unless KOL_ATTR_THRIFT_PORT), for the dbt target `spark_thrift`.
#
# The pyspark wheel ships bin/spark-class, sbin/spark-daemon.sh and the Thrift server's jar
# (jars/spark-hive-thriftserver_2.13-*.jar) but not sbin/start-master.sh, start-worker.sh or
# start-thriftserver.sh, so the three daemons are started with spark-daemon.sh directly.
#
# Environment (all optional):
#   PYTHON                    python of the venv holding pyspark (default .venv/bin/python)
#   KOL_ATTR_SPARK_WAREHOUSE  warehouse directory (default target/spark-cluster-warehouse)
#   KOL_ATTR_SPARK_RUN        pid / log directory (default target/spark-cluster)
#   KOL_ATTR_THRIFT_PORT      Thrift server port (default 10000; the profile `spark_thrift` reads the same)
#   KOL_ATTR_SPARK_MASTER_PORT master port (default 7077); KOL_ATTR_SPARK_MASTER_WEBUI_PORT (8090),
#   KOL_ATTR_SPARK_WORKER_WEBUI_PORT (8091): change all four to run beside another cluster
#   SPARK_WORKER_MEMORY       worker memory (default 3g); SPARK_WORKER_CORES (default 2)
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}
export SPARK_HOME=$("$PYTHON" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')
WAREHOUSE=$(realpath -m "${KOL_ATTR_SPARK_WAREHOUSE:-target/spark-cluster-warehouse}")
RUN=$(realpath -m "${KOL_ATTR_SPARK_RUN:-target/spark-cluster}")
mkdir -p "$WAREHOUSE" "$RUN"
export SPARK_LOG_DIR=$RUN/logs SPARK_PID_DIR=$RUN/pids SPARK_WORKER_DIR=$RUN/work
export SPARK_LOCAL_IP=127.0.0.1 SPARK_MASTER_HOST=127.0.0.1
export SPARK_WORKER_MEMORY=${SPARK_WORKER_MEMORY:-3g} SPARK_WORKER_CORES=${SPARK_WORKER_CORES:-2}
MASTER_PORT=${KOL_ATTR_SPARK_MASTER_PORT:-7077}
MASTER_WEBUI_PORT=${KOL_ATTR_SPARK_MASTER_WEBUI_PORT:-8090}
WORKER_WEBUI_PORT=${KOL_ATTR_SPARK_WORKER_WEBUI_PORT:-8091}
THRIFT_PORT=${KOL_ATTR_THRIFT_PORT:-10000}
DAEMON="$SPARK_HOME/sbin/spark-daemon.sh"
if ! command -v java >/dev/null; then
  echo "no java on the PATH: the Spark cluster needs Java 17" >&2
  exit 1
fi
port_open() {
  "$PYTHON" -c "import socket,sys; s=socket.socket(); s.settimeout(1); sys.exit(s.connect_ex(('127.0.0.1', $1)))"
}
# a server already listening would be taken for ours (dbt would build against it)
for port in "$THRIFT_PORT" "$MASTER_PORT" "$MASTER_WEBUI_PORT" "$WORKER_WEBUI_PORT"; do
  if port_open "$port"; then
    echo "port $port on 127.0.0.1 is in use (another Spark?): stop it or set KOL_ATTR_THRIFT_PORT /" \
      "KOL_ATTR_SPARK_MASTER_PORT / KOL_ATTR_SPARK_MASTER_WEBUI_PORT / KOL_ATTR_SPARK_WORKER_WEBUI_PORT" >&2
    exit 1
  fi
done
if [ ! -f "$SPARK_HOME/jars/spark-hive-thriftserver_2.13-$("$PYTHON" -c 'import pyspark; print(pyspark.__version__)').jar" ]; then
  echo "the pyspark wheel has no spark-hive-thriftserver jar: the Thrift server cannot start" >&2
  exit 1
fi

bash "$DAEMON" start org.apache.spark.deploy.master.Master 1 \
  --host 127.0.0.1 --port "$MASTER_PORT" --webui-port "$MASTER_WEBUI_PORT"
bash "$DAEMON" start org.apache.spark.deploy.worker.Worker 1 \
  --host 127.0.0.1 --webui-port "$WORKER_WEBUI_PORT" "spark://127.0.0.1:$MASTER_PORT"
# the Thrift server is the cluster's driver; its Derby metastore lives beside the warehouse
(cd "$RUN" && bash "$DAEMON" submit org.apache.spark.sql.hive.thriftserver.HiveThriftServer2 1 \
  --master "spark://127.0.0.1:$MASTER_PORT" \
  --name kol_attr_thrift \
  --driver-memory "${KOL_ATTR_THRIFT_DRIVER_MEMORY:-2g}" \
  --executor-memory "${KOL_ATTR_THRIFT_EXECUTOR_MEMORY:-2g}" \
  --conf spark.driver.host=127.0.0.1 \
  --conf spark.driver.bindAddress=127.0.0.1 \
  --conf spark.sql.warehouse.dir="$WAREHOUSE" \
  --conf "spark.driver.extraJavaOptions=-Dderby.system.home=$WAREHOUSE/derby" \
  --conf spark.sql.shuffle.partitions="${KOL_ATTR_SPARK_SHUFFLE_PARTITIONS:-1}" \
  --conf spark.sql.ansi.enabled=true \
  --conf spark.sql.session.timeZone=UTC \
  --conf spark.sql.legacy.createHiveTableByDefault=false \
  --conf spark.sql.sources.default=parquet \
  --conf spark.ui.enabled=false \
  --hiveconf hive.server2.thrift.bind.host=127.0.0.1 \
  --hiveconf hive.server2.thrift.port="$THRIFT_PORT" \
  --hiveconf hive.server2.authentication=NOSASL)

echo "waiting for the Thrift server on 127.0.0.1:$THRIFT_PORT ..."
for _ in $(seq 1 120); do
  if port_open "$THRIFT_PORT"; then
    echo "Spark cluster up: master spark://127.0.0.1:$MASTER_PORT, Thrift 127.0.0.1:$THRIFT_PORT, warehouse $WAREHOUSE"
    exit 0
  fi
  sleep 2
done
echo "Thrift server did not open port $THRIFT_PORT; logs in $SPARK_LOG_DIR" >&2
exit 1
