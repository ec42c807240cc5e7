#!/usr/bin/env bash
# QoS 1 ratings/s from simulated window evaluators to durable storage, with acks (docs/benchmarks.md,
# "MQTT evaluators"). Starts the packaged gateway on a fresh data directory with its defaults
# (embedded Artemis, H2), runs the load generator in a second JVM on the same machine, stops the
# gateway. Usage: bench/mqtt/run.sh [devices] [ratings per device] [in flight per device]
set -euo pipefail
cd "$(dirname "$0")/../.."

DEVICES=${1:-50}
PER_DEVICE=${2:-2000}
INFLIGHT=${3:-32}
HTTP_PORT=${HTTP_PORT:-28083}
MQTT_PORT=${MQTT_PORT:-21883}
JAR=target/haochaping-gateway.jar

[ -f "$JAR" ] || mvn -B -q package -DskipTests
for port in $HTTP_PORT $MQTT_PORT; do
  if (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then echo "port $port is in use (set HTTP_PORT / MQTT_PORT)"; exit 1; fi
done
DATA=$(mktemp -d /tmp/hcp-bench-mqtt.XXXXXX)
mkdir -p bench/results

HCP_DATA_DIR="$DATA" HCP_HTTP_PORT=$HTTP_PORT HCP_HTTP_HOST=127.0.0.1 HCP_MQTT_PORT=$MQTT_PORT HCP_MQTT_HOST=127.0.0.1 \
  HCP_BROKER_CORE_ACCEPTOR=none java ${GATEWAY_JAVA_OPTS:--Xmx1g} -jar "$JAR" > "$DATA/gateway.log" 2>&1 &
GATEWAY=$!
trap 'kill $GATEWAY 2>/dev/null; wait $GATEWAY 2>/dev/null || true' EXIT
until curl -sf "http://127.0.0.1:$HTTP_PORT/observe/health/ready" > /dev/null; do
  kill -0 $GATEWAY || { echo "gateway exited, see $DATA/gateway.log"; exit 1; }
  sleep 0.5
done

{
  echo "# $(date -Is) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(java -version 2>&1 | head -1)," \
    "database ${HCP_DB_URL:-H2 (embedded)}, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  java ${BENCH_JAVA_OPTS:--Xmx512m} -cp "$JAR" bench/mqtt/MqttEvaluatorBench.java --http $HTTP_PORT --mqtt $MQTT_PORT \
    --data "$DATA" --devices "$DEVICES" --per-device "$PER_DEVICE" --inflight "$INFLIGHT" --gateway-pid $GATEWAY
  echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee -a bench/results/mqtt-evaluators.txt
