#!/usr/bin/env bash
# Load test of the HTTP API with 1 and 2 workers (loopback only), headless Locust.
#
#   bench/api_load.sh OUT_DIR [USERS] [SECONDS] [THINK_S]
#
# The TELCO_* settings come from the environment (database, Chroma server, TELCO_API_SECRET);
# see docs/benchmarks.md for the ones used. For each worker count it starts
# `python -m assistant serve --workers N` on a loopback port, waits for /readyz and for every
# worker to load, runs Locust for SECONDS with USERS simulated customers and think time
# THINK_S ("min,max"; "0,0" = saturation), and stops the server.
set -euo pipefail
OUT=${1:?output directory}
USERS=${2:-16}
SECONDS_=${3:-60}
THINK=${4:-0.2,1.0}
PY=${PY:-.venv/bin/python}
LOCUST=${LOCUST:-$(dirname "$PY")/locust}
mkdir -p "$OUT"
for WORKERS in 1 2; do
  PORT=$((18080 + WORKERS))
  "$PY" -m assistant serve --host 127.0.0.1 --port "$PORT" --workers "$WORKERS" \
    >"$OUT/serve-w$WORKERS.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 150); do
    curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break
    sleep 2
  done
  sleep $((10 * WORKERS))  # the other workers finish loading their models
  VELA_BENCH_THINK_S=$THINK VELA_BENCH_MAX_TURNS=${VELA_BENCH_MAX_TURNS:-100000} \
    "$LOCUST" -f bench/locustfile.py --headless -H "http://127.0.0.1:$PORT" \
    -u "$USERS" -r "$USERS" -t "${SECONDS_}s" --csv "$OUT/w$WORKERS" --only-summary \
    >"$OUT/locust-w$WORKERS.txt" 2>&1 || true
  kill "$SERVER"
  wait "$SERVER" || true
done
tail -n 25 "$OUT"/locust-w*.txt
