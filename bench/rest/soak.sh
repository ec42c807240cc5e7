#!/usr/bin/env bash
# Soak: signed single ratings (POST /api/v1/ratings) at a fixed rate, open loop, for MINUTES, against
# the packaged gateway on a fresh data directory (issue 11; bench/rest/README.md, "Soak"). Every
# SAMPLE seconds: the gateway's RSS and CPU, its heap, the depth of every durable queue, the ledger
# counter, the 202s so far; written to bench/results/soak-<time>.tsv. After the load, the queues drain
# and the rows of the rating table are counted against the 202s. Exits 1 if a rating is lost (fewer
# rows than 202s), 0 otherwise; RSS growth and queue depths are reported, not judged.
#
#   bench/rest/soak.sh [minutes=10] [ratings/s=300]
set -euo pipefail
cd "$(dirname "$0")/../.."

MINUTES=${1:-10}
RATE=${2:-300}
SAMPLE=${SAMPLE:-10}               # seconds between samples
CASES=${CASES:-2000}               # cases the ratings rate (each rating has its own visit, so its own key)
SPREAD=${SPREAD:-1}                # halls and staff members the cases are spread over
DRAIN_MAX=${DRAIN_MAX:-600}        # seconds to wait after the load for every queue to be empty
MAX_IN_FLIGHT=${MAX_IN_FLIGHT:-256}  # requests sent and not yet answered, at most (connections); a request due while
                                   # the cap is reached waits, and its latency still counts from when it was due
GATEWAY_JAVA_OPTS=${GATEWAY_JAVA_OPTS:--Xmx1g}  # a bounded heap: without one, RSS follows the garbage up to a quarter of RAM
SECS=$((MINUTES * 60))

. bench/rest/common.sh
bench_workdir soak
mkdir -p bench/results
TSV=bench/results/soak-$(date +%Y%m%d-%H%M%S).tsv
exec > >(tee -a bench/results/soak.txt) 2>&1

echo "# $(date -Is) soak: POST /api/v1/ratings at $RATE/s, open loop, for $MINUTES min; sample every $SAMPLE s;" \
  "GATEWAY_JAVA_OPTS=$GATEWAY_JAVA_OPTS; at most $MAX_IN_FLIGHT requests in flight; $CASES cases over $SPREAD hall(s)/staff;" \
  "commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'); $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs);" \
  "$(java -version 2>&1 | head -1)"
LOAD_START=$(load)
echo "# load average at start: $LOAD_START"

export GATEWAY_JAVA_OPTS
start_gateway
echo "## gateway pid $GW on port $PORT, idle RSS $(rss_mb $GW) MB"
java -cp "$CP" bench/rest/RestBench.java cases "$DATA" "$PORT" BC "$CASES" "$SPREAD" | sed 's/^/    /'
settle_queues
read -r -a QUEUES <<< "$(curl -s "$BASE/observe/metrics" | sed -n 's/^hcp_broker_queue_depth{queue="\([^"]*\)".*/\1/p' | tr '\n' ' ')"
echo "## durable queues: ${QUEUES[*]}"

# One TSV row: seconds since the load started, phase, then the figures (the header names them).
header() {
  printf 't_s\tphase\trss_mb\tcpu_cores\theap_mb\theap_committed_mb\tlive_mb\tdata_mb\tsent\tok_202\terrors\tin_flight\tledger_recorded_total\tdlq'
  printf '\tq:%s' "${QUEUES[@]}"
  printf '\tload1\n'
}
LAST_CPU=$(cpu_ms $GW); LAST_T=$(now_ms)
sample() { # phase; a figure the metrics scrape did not give (the gateway too busy to answer in 5 s) is NA
  local m now cpu progress
  m=$(curl -s --max-time 5 "$BASE/observe/metrics" || true)
  now=$(now_ms); cpu=$(cpu_ms $GW)
  progress=$(cat "$WORK/progress" 2>/dev/null || true)
  [ -n "$progress" ] || progress="0 0 0 0"
  printf '%d\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s' $(( (now - T0) / 1000 )) "$1" "$(rss_mb $GW)" \
    "$(awk -v c=$((cpu - LAST_CPU)) -v t=$((now - LAST_T)) 'BEGIN {printf "%.2f", (t > 0 ? c / t : 0)}')" \
    "$(mb '^jvm_memory_used_bytes[{].*area="heap"' "$m")" "$(mb '^jvm_memory_committed_bytes[{].*area="heap"' "$m")" \
    "$(mb '^jvm_gc_live_data_size_bytes' "$m")" "$(du -sm "$DATA" | cut -f1)" "$(tr ' ' '\t' <<< "$progress")"
  metric hcp_ledger_recorded_total "$m"
  metric hcp_dlq_depth "$m"
  for q in "${QUEUES[@]}"; do
    metric "hcp_broker_queue_depth{queue=\"$q\"}" "$m"
  done
  printf '\t%s\n' "$(cut -d' ' -f1 /proc/loadavg)"
  LAST_CPU=$cpu; LAST_T=$now
}
mb() { # regex, metrics text: the sum of the lines' values in MB, or NA
  awk -v r="$1" '$0 ~ r {s += $NF; n++} END {if (n) printf "%d", s / 1048576; else printf "NA"}' <<< "$2"
}
metric() { # name (with labels or not), metrics text: a tab and the sum of the lines' values, or NA
  awk -v p="$1" 'index($0, p) == 1 && substr($0, length(p) + 1, 1) ~ /[ {]/ {s += $NF; n++} END {if (n) printf "\t%d", s; else printf "\tNA"}' <<< "$2"
}
queued() { # the last row's total queue depth, -1 if unknown
  tail -1 "$TSV" | awk -F'\t' -v n=${#QUEUES[@]} '{s = 0; for (i = NF - n; i < NF; i++) {if ($i == "NA") {print -1; exit}; s += $i}; print s}'
}

header > "$TSV"
echo "## load: $RATE/s for $SECS s; samples in $TSV"
T0=$(now_ms)
java -cp "$CP" bench/rest/RestBench.java soak "$DATA" "$PORT" BC "$CASES" "$RATE" "$SECS" "$SPREAD" "$WORK/progress" "$MAX_IN_FLIGHT" > "$WORK/soak.log" 2>&1 &
GEN=$!; PIDS+=($GEN)
sample load >> "$TSV"
k=1
while kill -0 $GEN 2>/dev/null; do
  wait_ms=$(( T0 + k * SAMPLE * 1000 - $(now_ms) ))
  [ $wait_ms -gt 0 ] && sleep "$(awk -v w=$wait_ms 'BEGIN {printf "%.3f", w / 1000}')"
  kill -0 $GEN 2>/dev/null || break
  sample load >> "$TSV"
  echo "    $(tail -1 "$TSV" | cut -f1-13)	queued $(queued)"
  k=$((k + 1))
done
wait $GEN || { echo "the load generator failed:"; tail -30 "$WORK/soak.log"; exit 1; }
LOAD_END_MS=$(now_ms)
LOAD_END=$(load)
sample end >> "$TSV"
grep -v '^RESULT' "$WORK/soak.log" | sed 's/^/    /'
R=$(grep '^RESULT' "$WORK/soak.log")
OK=$(kv "$R" ok)

echo "## drain: until every queue is empty (at most $DRAIN_MAX s)"
while [ "$(queued)" != 0 ] && [ $(( $(now_ms) - LOAD_END_MS )) -lt $((DRAIN_MAX * 1000)) ]; do
  sleep 2
  sample drain >> "$TSV"
done
DRAIN_S=$(awk -v t=$(( $(now_ms) - LOAD_END_MS )) 'BEGIN {printf "%.0f", t / 1000}')
sample drained >> "$TSV"
wait_ledger "$OK"
LOST=$(( OK > LEDGER ? OK - LEDGER : 0 ))
grep -E ' (ERROR|WARN) ' "$WORK/gateway.log" | cut -c1-200 | sort | uniq -c | sort -rn | head -5 | sed 's/^/    gateway log: /' || true

# --- summary ------------------------------------------------------------------------------------
col() { head -1 "$TSV" | tr '\t' '\n' | grep -nx "$1" | cut -d: -f1; }
at() { # column, phase filter (awk regex), which (first row with t >= 60 | last | max)
  awk -F'\t' -v c="$(col "$1")" -v p="$2" -v w="$3" 'NR > 1 && $2 ~ p && $c != "NA" {
      if (w == "min1" && $1 >= 60 && v == "") v = $c
      if (w == "last") v = $c
      if (w == "max" && (v == "" || $c + 0 > v + 0)) v = $c
    } END {print v == "" ? "NA" : v}' "$TSV"
}
RSS1=$(at rss_mb '^(load|end)$' min1); RSSE=$(at rss_mb '^(load|end)$' last); RSSMAX=$(at rss_mb '^(load|end)$' max)
RSSD=$(at rss_mb drained last)
GROWTH=$(awk -v a="$RSS1" -v b="$RSSE" 'BEGIN {printf "%+.1f", (a > 0 ? (b - a) * 100 / a : 0)}')
RSSH=$(awk -F'\t' -v c="$(col rss_mb)" -v h=$((SECS / 2)) 'NR > 1 && $2 == "load" && $1 >= h {print $c; exit}' "$TSV")
GROWTH2=$(awk -v a="$RSSH" -v b="$RSSE" 'BEGIN {printf "%+.1f", (a > 0 ? (b - a) * 100 / a : 0)}')
# least-squares slope of RSS over the samples after the first minute, MB per minute
SLOPE=$(awk -F'\t' -v c="$(col rss_mb)" 'NR > 1 && $2 ~ /^(load|end)$/ && $1 >= 60 {n++; sx += $1; sy += $c; sxx += $1 * $1; sxy += $1 * $c}
  END {d = n * sxx - sx * sx; printf "%+.2f", (d > 0 ? (n * sxy - sx * sy) / d * 60 : 0)}' "$TSV")
CPU=$(awk -F'\t' -v c="$(col cpu_cores)" 'NR > 2 && $2 ~ /^(load|end)$/ {n++; s += $c} END {printf "%.2f", n ? s / n : 0}' "$TSV")
HEAP1=$(at heap_mb '^(load|end)$' min1); HEAPE=$(at heap_mb '^(load|end)$' last)
COMM1=$(at heap_committed_mb '^(load|end)$' min1); COMME=$(at heap_committed_mb '^(load|end)$' last)
LIVE1=$(at live_mb '^(load|end)$' min1); LIVEE=$(at live_mb '^(load|end)$' last)
DATA1=$(at data_mb '^(load|end)$' min1); DATAE=$(at data_mb drained last)
LOAD_AFTER=$(load)

{
  echo
  echo "## soak summary: $RATE ratings/s offered for $MINUTES min (gateway $GATEWAY_JAVA_OPTS)"
  echo
  echo "| figure | value |"
  echo "|---|---|"
  echo "| offered | $(kv "$R" offered)/s, $(( RATE * SECS )) requests |"
  echo "| answered 202 | $OK |"
  echo "| errors (not 202, or no answer) | $(kv "$R" errors) |"
  echo "| latency from the scheduled time p50 / p99 / p99.9 ms | $(kv "$R" p50) / $(kv "$R" p99) / $(kv "$R" p999) |"
  echo "| rows in the rating table after the drain | $LEDGER (hcp_ledger_recorded_total $(at ledger_recorded_total drained last)) |"
  echo "| lost (202s without a row) | $LOST |"
  echo "| dead-letter entries at the end | $(at dlq drained last) |"
  echo "| gateway CPU, mean over the load | $CPU cores of $(nproc) |"
  echo "| RSS at 1 min → end of load (growth) | $RSS1 → $RSSE MB ($GROWTH %; target ≤ +5 %) |"
  echo "| RSS at half-time → end of load (growth) | $RSSH → $RSSE MB ($GROWTH2 %) |"
  echo "| RSS max during the load; after the drain | $RSSMAX MB; $RSSD MB |"
  echo "| RSS trend after the first minute (least squares) | $SLOPE MB/min |"
  echo "| heap committed at 1 min → end of load | $COMM1 → $COMME MB (RSS follows it up to -Xmx) |"
  echo "| old generation after the last GC (jvm_gc_live_data_size) at 1 min → end | $LIVE1 → $LIVEE MB (a leak grows this) |"
  echo "| data directory (database, broker journal) at 1 min → after the drain | $DATA1 → $DATAE MB |"
  echo "| heap used at 1 min → end of load | $HEAP1 → $HEAPE MB (a sample, depends on the GC cycle) |"
  echo "| queues empty after the load | ${DRAIN_S} s |"
  echo "| load average (1, 5, 15 min) | start $LOAD_START; end of load $LOAD_END; after drain $LOAD_AFTER |"
  echo
  echo "| queue | at 1 min | max during the load | end of load | after the drain |"
  echo "|---|---|---|---|---|"
  for q in "${QUEUES[@]}"; do
    echo "| $q | $(at "q:$q" '^(load|end)$' min1) | $(at "q:$q" '^(load|end)$' max) | $(at "q:$q" '^(load|end)$' last) | $(at "q:$q" drained last) |"
  done
  echo
  echo "samples: $TSV"
} | tee "$WORK/summary.md"
cp "$WORK/summary.md" "${TSV%.tsv}.md"
if [ "$LOST" -gt 0 ]; then
  echo "FAILED: $LOST ratings answered 202 are not in the rating table" >&2
  exit 1
fi
