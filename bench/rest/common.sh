# Shell helpers shared by bench/rest/run.sh and bench/rest/soak.sh (sourced, not run). The sourcing
# script calls bench_workdir (below) for WORK, its scratch directory, and PIDS, the processes to stop on exit.

JAR=target/haochaping-gateway.jar
JSA=target/haochaping-gateway.jsa
CP="$JAR"
[ -f "$JAR" ] || mvn -B -q -o package -DskipTests
CDS=()
[ -f "$JSA" ] && CDS=(-XX:SharedArchiveFile=$JSA)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
cpu_ms() { local s; read -r -a s < "/proc/$1/stat"; echo $(( (s[13] + s[14]) * 1000 / $(getconf CLK_TCK) )); }
rss_mb() { awk '/VmRSS/ {printf "%d", $2 / 1024}' "/proc/$1/status"; }
kv() { tr ' ' '\n' <<< "$1" | sed -n "s/^$2=//p"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
now_ms() { date +%s%3N; }

# Starts the packaged gateway on a fresh data directory ($WORK/data), embedded broker and database,
# the built-in simulators on free ports, with $GATEWAY_JAVA_OPTS; waits until it is ready. Sets PORT,
# DATA, BASE, GW (its pid, also added to PIDS), APPKEY, SECRET (the demo client) and TOKEN (admin).
start_gateway() {
  PORT=$(free_port)
  DATA=$WORK/data
  BASE=http://127.0.0.1:$PORT
  HCP_DATA_DIR="$DATA" HCP_HTTP_HOST=127.0.0.1 HCP_HTTP_PORT=$PORT HCP_BROKER_CORE_ACCEPTOR=none \
    HCP_MQTT_HOST=127.0.0.1 HCP_MQTT_PORT=0 HCP_PROVINCE_SIM_PORT=0 HCP_SMSC_SIM_PORT=0 HCP_SMSC_SIM_CONTROL_PORT=-1 \
    java "${CDS[@]}" ${GATEWAY_JAVA_OPTS:-} -jar "$JAR" run > "$WORK/gateway.log" 2>&1 &
  GW=$!; PIDS+=($GW)
  until curl -sf -o /dev/null "$BASE/observe/health/ready"; do
    kill -0 $GW 2>/dev/null || { echo "the gateway stopped:"; tail -30 "$WORK/gateway.log"; exit 1; }
    sleep 0.3
  done
  APPKEY=$(sed -n 's/^client\.demo\.appKey=//p' "$DATA/credentials.properties")
  SECRET=$(sed -n 's/^client\.demo\.secret=//p' "$DATA/credentials.properties")
  TOKEN=$(sed -n 's/^admin\.token=//p' "$DATA/credentials.properties")
}

# Waits (at most 60 s) until every durable queue in the health report is empty: the pushed cases'
# completion events go through prompts and timers; let that settle before measuring.
settle_queues() {
  for _ in $(seq 1 120); do
    curl -s "$BASE/observe/health" | grep -Eo '"queue\.[^"]*\.depth":"?[0-9]+' | grep -Eqv ':"?0$' || break
    sleep 0.5
  done
}

# Ratings in the ledger table: the admin overview's ratingsToday (rows received since midnight, China
# time; a run across 16:00 UTC would split): the table itself, not a counter of one process.
recorded() {
  curl -s -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/admin/overview" \
    | python3 -c 'import json, sys; print(sum(json.load(sys.stdin).get("ratingsToday", {}).values()))' 2>/dev/null || echo 0
}

# Waits until the ledger holds $1 ratings, or its queue is empty and the count has not moved for 20 s,
# or 300 s have passed; sets LEDGER (the count) and LEDGER_S (seconds waited).
wait_ledger() {
  local want=$1 have last=-1 t0 since now depth
  t0=$(date +%s); since=$t0
  while :; do
    have=$(recorded); now=$(date +%s)
    [ "$have" -ge "$want" ] && break
    if [ "$have" != "$last" ]; then since=$now; last=$have; fi
    depth=$(curl -s "$BASE/observe/health" | grep -o '"queue\.ledger\.depth":"\?[0-9-]*' | grep -o '[0-9-]*$' || true)
    if [ "$depth" = 0 ] && [ $((now - since)) -ge 20 ]; then break; fi
    [ $((now - t0)) -ge 300 ] && break
    sleep 1
  done
  LEDGER=$have; LEDGER_S=$(( $(date +%s) - t0 ))
}

# A scratch directory for the run ($WORK, /tmp/hcp-bench-<name>.*) and the processes to stop at exit
# ($PIDS); KEEP=1 keeps the directory (the gateway's log and data) for a look afterwards.
bench_workdir() {
  WORK=$(mktemp -d "/tmp/hcp-bench-$1.XXXXXX")
  PIDS=()
  trap bench_cleanup EXIT
}
bench_cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done
  [ -n "${KEEP:-}" ] || rm -rf "$WORK"
}
