#!/usr/bin/env bash
# REST intake throughput with its two ceilings measured in the same run (docs/benchmarks.md,
# "REST intake"; bench/rest/README.md):
#   ceiling A  bare Undertow answering 202 (BareUndertow.java), wrk with the same requests and connections
#   ceiling B  persistent sends to the gateway's broker set-up, nothing else (ArtemisCeiling.java)
#   single     POST /api/v1/ratings, pre-signed (SignedRequests.java), replayed by wrk (replay.lua)
#   batch      POST /api/v1/ratings/batch, 1,000 ratings a request, a few senders (RestBench.java)
#   rate       (with --rate N) POST /api/v1/ratings at a fixed N/s, open loop (RestBench.java)
# Each load generator is its own process; the gateway is the packaged jar on a fresh data directory.
#
#   bench/rest/run.sh [seconds per scenario=30] [connections=64] [--rate ratings/s]
set -euo pipefail
cd "$(dirname "$0")/../.."

SECS=30
CONN=64
RATE=
positional=()
while (($#)); do
  case $1 in
    --rate) RATE=$2; shift 2 ;;
    *) positional+=("$1"); shift ;;
  esac
done
SECS=${positional[0]:-$SECS}
CONN=${positional[1]:-$CONN}
WARMUP=${WARMUP:-10}               # seconds of load before each measurement, not measured
WRK_THREADS=${WRK_THREADS:-2}
CASES=${CASES:-2000}               # cases the ratings rate (each rating has its own visit, so its own key)
SPREAD=${SPREAD:-1}                # halls and staff members the cases are spread over (1: all one hall, one staff member)
BATCH_SENDERS=${BATCH_SENDERS:-4}
BATCH_SIZE=${BATCH_SIZE:-1000}
JOURNAL_QUEUES=${JOURNAL_QUEUES:-6}  # durable queues on `ratings` in a default gateway (its queue list is printed below)

command -v wrk > /dev/null || { echo "wrk is needed (Debian: apt-get install wrk)" >&2; exit 1; }
. bench/rest/common.sh

bench_workdir rest
mkdir -p bench/results
OUT=bench/results/rest-intake.txt
exec > >(tee -a "$OUT") 2>&1

echo "# $(date -Is) REST intake: ${SECS} s per scenario after ${WARMUP} s warm-up, ${CONN} connections, wrk -t${WRK_THREADS}, cases over $SPREAD hall(s)/staff;" \
  "commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'); $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs);" \
  "$(java -version 2>&1 | head -1)"
LOAD_START=$(load)
echo "# load average at start: $LOAD_START"

# wrk with replay.lua; prints its report, leaves the RESULT line in $WRK
run_wrk() { # port file seconds
  local log=$WORK/wrk.$RANDOM.txt
  wrk -t"$WRK_THREADS" -c"$CONN" -d"${3}s" --latency --timeout 10s -s bench/rest/replay.lua "http://127.0.0.1:$1" -- "$2" "$WRK_THREADS" "${APPKEY:-demo}" > "$log"
  grep -v '^RESULT' "$log" | sed 's/^/    /'
  WRK=$(grep '^RESULT' "$log")
}

# --- ceiling A: bare Undertow ------------------------------------------------------------------
echo "## ceiling A: bare Undertow answering 202"
PORT=$(free_port)
java "${CDS[@]}" -cp "$CP" bench/rest/BareUndertow.java "$PORT" > "$WORK/bare.log" 2>&1 &
BARE=$!; PIDS+=($BARE)
until [ "$(curl -s -o /dev/null -w '%{http_code}' -X POST -d '{}' "http://127.0.0.1:$PORT/api/v1/ratings")" = 202 ]; do
  kill -0 $BARE || { cat "$WORK/bare.log"; exit 1; }; sleep 0.3
done
java -cp "$CP" bench/rest/SignedRequests.java "$WORK/bare.tsv" 20000 demo not-a-secret BARE 100 > /dev/null
run_wrk "$PORT" "$WORK/bare.tsv" "$WARMUP" > /dev/null
c0=$(cpu_ms $BARE); t0=$(now_ms)
run_wrk "$PORT" "$WORK/bare.tsv" "$SECS"
A_CPU=$(awk -v c=$(( $(cpu_ms $BARE) - c0 )) -v t=$(( $(now_ms) - t0 )) 'BEGIN {printf "%.2f", c / t}')
A_RSS=$(rss_mb $BARE); A=$WRK
kill $BARE; wait $BARE 2>/dev/null || true

# --- ceiling B: persistent sends to the same kind of journal ------------------------------------
echo "## ceiling B: persistent sends, embedded Artemis as the gateway sets it up, $CONN senders, $JOURNAL_QUEUES queues"
java -Xmx1g -cp "$CP" bench/rest/ArtemisCeiling.java "$WORK/artemis" "$SECS" "$CONN" "$JOURNAL_QUEUES" "$WARMUP" > "$WORK/artemis.log" 2>&1
grep -E '^(artemis|confirmed)' "$WORK/artemis.log" | sed 's/^/    /'
B=$(grep '^RESULT' "$WORK/artemis.log") || { tail -30 "$WORK/artemis.log"; exit 1; }
rm -rf "$WORK/artemis"

# --- the gateway --------------------------------------------------------------------------------
start_gateway
QUEUES=$(curl -s "$BASE/observe/health" | grep -o '"queue\.[^"]*\.depth"' | tr '\n' ' ')
echo "## gateway pid $GW on port $PORT, idle RSS $(rss_mb $GW) MB; queues: $QUEUES"
java -cp "$CP" bench/rest/RestBench.java cases "$DATA" "$PORT" BC "$CASES" "$SPREAD" | sed 's/^/    /'
settle_queues

# --- scenario: REST single ----------------------------------------------------------------------
echo "## REST single: POST /api/v1/ratings, pre-signed, wrk"
java -cp "$CP" bench/rest/SignedRequests.java "$WORK/warm.tsv" 60000 "$APPKEY" "$SECRET" BC "$CASES" "$SPREAD" > /dev/null
run_wrk "$PORT" "$WORK/warm.tsv" "$WARMUP" > /dev/null
W=$WRK
W_RATE=$(kv "$W" rate); W_OK=$(( $(kv "$W" requests) - $(kv "$W" not202) ))
echo "    warm-up: $W_RATE requests/s, $W_OK answered 202"
# Enough signed requests for twice the warm-up's rate (the file must not run out; timestamps are now)
N=$(( W_RATE * SECS * 2 + 20000 )); [ $N -gt 1500000 ] && N=1500000
java -cp "$CP" bench/rest/SignedRequests.java "$WORK/single.tsv" "$N" "$APPKEY" "$SECRET" BC "$CASES" "$SPREAD" > /dev/null
c0=$(cpu_ms $GW); t0=$(now_ms)
run_wrk "$PORT" "$WORK/single.tsv" "$SECS"
S_CPU=$(awk -v c=$(( $(cpu_ms $GW) - c0 )) -v t=$(( $(now_ms) - t0 )) 'BEGIN {printf "%.2f", c / t}')
S_RSS=$(rss_mb $GW); S=$WRK
S_OK=$(( $(kv "$S" requests) - $(kv "$S" not202) ))
wait_ledger $(( W_OK + S_OK )); S_LEDGER=$LEDGER
echo "    ledger: $S_LEDGER ratings recorded ${LEDGER_S} s after wrk stopped; 202s seen by wrk: $((W_OK + S_OK)) (warm-up + measured);" \
  "difference $((S_LEDGER - W_OK - S_OK)) (at most $CONN requests were in flight when wrk stopped)"
rm -f "$WORK/single.tsv" "$WORK/warm.tsv"

# --- scenario: REST batch -----------------------------------------------------------------------
echo "## REST batch: POST /api/v1/ratings/batch, $BATCH_SIZE ratings a request, $BATCH_SENDERS senders"
before=$(recorded)
c0=$(cpu_ms $GW); t0=$(now_ms)
java -cp "$CP" bench/rest/RestBench.java batch "$DATA" "$PORT" BC "$CASES" "$SECS" "$BATCH_SENDERS" "$BATCH_SIZE" "$WARMUP" "$SPREAD" > "$WORK/batch.log" 2>&1
# CPU over warm-up + measurement (the batch generator measures inside one process)
BT_CPU=$(awk -v c=$(( $(cpu_ms $GW) - c0 )) -v t=$(( $(now_ms) - t0 )) 'BEGIN {printf "%.2f", c / t}')
BT_RSS=$(rss_mb $GW)
grep -v '^RESULT' "$WORK/batch.log" | head -20 | sed 's/^/    /'
BT=$(grep '^RESULT' "$WORK/batch.log") || { tail -30 "$WORK/batch.log"; exit 1; }
wait_ledger $(( before + $(kv "$BT" accepted_total) )); BT_LEDGER=$(( LEDGER - before ))
echo "    ledger: $BT_LEDGER ratings recorded ${LEDGER_S} s after the last answer, for $(kv "$BT" accepted_total) accepted (warm-up + measured)"

# --- optional: fixed rate -----------------------------------------------------------------------
if [ -n "$RATE" ]; then
  echo "## REST single at a fixed $RATE ratings/s, open loop"
  java -cp "$CP" bench/rest/SignedRequests.java "$WORK/rate.tsv" $(( RATE * SECS )) "$APPKEY" "$SECRET" BC "$CASES" "$SPREAD" > /dev/null
  c0=$(cpu_ms $GW); t0=$(now_ms)
  java -cp "$CP" bench/rest/RestBench.java rate "$PORT" "$WORK/rate.tsv" "$APPKEY" "$RATE" "$SECS" > "$WORK/rate.log" 2>&1
  R_CPU=$(awk -v c=$(( $(cpu_ms $GW) - c0 )) -v t=$(( $(now_ms) - t0 )) 'BEGIN {printf "%.2f", c / t}')
  R_RSS=$(rss_mb $GW)
  grep -v '^RESULT' "$WORK/rate.log" | sed 's/^/    /'
  R=$(grep '^RESULT' "$WORK/rate.log") || { tail -30 "$WORK/rate.log"; exit 1; }
  wait_ledger $(( W_OK + S_OK + $(kv "$BT" accepted_total) + $(kv "$R" ok) ))
  echo "    ledger: $LEDGER ratings in all, ${LEDGER_S} s after the last answer, for $(( W_OK + S_OK + $(kv "$BT" accepted_total) + $(kv "$R" ok) )) accepted in all"
fi
grep -E ' (ERROR|WARN) ' "$WORK/gateway.log" | cut -c1-200 | sort | uniq -c | sort -rn | head -5 | sed 's/^/    gateway log: /' || true

LOAD_END=$(load)
echo "# load average at end: $LOAD_END"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", (b > 0 ? a / b : 0)}'; }
A_RATE=$(kv "$A" rate); B_RATE=$(kv "$B" rate)
echo
echo "| scenario | per second | p50 ms | p99 ms | p99.9 ms | errors | CPU (cores) | RSS MB | of ceiling A (bare HTTP) | of ceiling B (journal) |"
echo "|---|---|---|---|---|---|---|---|---|---|"
echo "| ceiling A: bare Undertow, 202 | $A_RATE req | $(kv "$A" p50) | $(kv "$A" p99) | $(kv "$A" p999) | $(( $(kv "$A" not202) + $(kv "$A" sockerr) )) | $A_CPU | $A_RSS | 1 | |"
echo "| ceiling B: persistent sends, $CONN senders | $B_RATE msg | $(kv "$B" p50) | $(kv "$B" p99) | $(kv "$B" p999) | $(kv "$B" errors) | $(kv "$B" cpu) | | | 1 |"
echo "| REST single, $CONN connections | $(kv "$S" rate) ratings | $(kv "$S" p50) | $(kv "$S" p99) | $(kv "$S" p999) | $(( $(kv "$S" not202) + $(kv "$S" sockerr) )) | $S_CPU | $S_RSS | $(ratio "$(kv "$S" rate)" "$A_RATE") | $(ratio "$(kv "$S" rate)" "$B_RATE") |"
echo "| REST batch, $BATCH_SENDERS × $BATCH_SIZE (latency per request) | $(kv "$BT" rate) ratings | $(kv "$BT" p50) | $(kv "$BT" p99) | $(kv "$BT" p999) | $(kv "$BT" errors) | $BT_CPU | $BT_RSS | | $(ratio "$(kv "$BT" rate)" "$B_RATE") |"
if [ -n "$RATE" ]; then
  echo "| REST single at $RATE/s, open loop | $(kv "$R" offered) offered, $(kv "$R" ok) 202 | $(kv "$R" p50) | $(kv "$R" p99) | $(kv "$R" p999) | $(kv "$R" errors) | $R_CPU | $R_RSS | | |"
fi
echo
echo "ledger check: single $S_LEDGER recorded for $((W_OK + S_OK)) 202s; batch $BT_LEDGER recorded for $(kv "$BT" accepted_total) accepted." \
  "Load average $LOAD_START at start, $LOAD_END at end."
