#!/usr/bin/env bash
# Time from `java ... run` to the first 200 of /observe/health/ready, on a fresh data directory each
# time (the first start of a clean checkout: migrations, broker journal, generated credentials), with
# and without the class-data archive that `mvn package` writes — alternately, in the same run, so a
# busy machine shows in both. Also the process CPU time at that moment (/proc), which a shared
# machine disturbs less than the wall clock.
#
#   bench/startup/startup.sh [runs]        (from the repository root, after mvn -B -q package -DskipTests)
set -euo pipefail
runs=${1:-5}
jar=target/haochaping-gateway.jar
jsa=target/haochaping-gateway.jsa
[[ -f $jar && -f $jsa ]] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
tck=$(getconf CLK_TCK)

once() { # $1 = label, rest = JVM flags
  local label=$1; shift
  rm -rf "$work/data"
  local start end pid
  start=$(date +%s%N)
  HCP_DATA_DIR="$work/data" HCP_HTTP_HOST=127.0.0.1 HCP_HTTP_PORT=$port HCP_BROKER_CORE_ACCEPTOR=none \
    HCP_MQTT_HOST=127.0.0.1 HCP_MQTT_PORT=0 HCP_PROVINCE_SIM_PORT=0 HCP_SMSC_SIM_PORT=0 HCP_SMSC_SIM_CONTROL_PORT=-1 \
    java "$@" -jar "$jar" run > "$work/log.txt" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/observe/health/ready"; do
    kill -0 $pid 2>/dev/null || { echo "the gateway stopped; see its log:" >&2; tail -20 "$work/log.txt" >&2; exit 1; }
    sleep 0.02
  done
  end=$(date +%s%N)
  local stat; read -r -a stat < "/proc/$pid/stat"
  printf '%s\t%d\t%d\t%s\n' "$label" $(( (end - start) / 1000000 )) $(( (stat[13] + stat[14]) * 1000 / tck )) "$(cut -d' ' -f1 /proc/loadavg)"
  kill $pid; wait $pid 2>/dev/null || true
}

echo -e "start\twall ms\tCPU ms\tload"
for ((i = 1; i <= runs; i++)); do
  once "with archive" -XX:SharedArchiveFile=$jsa
  once "without" 
done
