#!/usr/bin/env bash
# Network benchmarks: weft beside Netty (NIO) and, for pub/sub, Redis, with one load generator
# (dev.weft.bench.net.LoadGen), each server alone in its own JVM or process, all in the same run.
# Prints a RESULT line per cell and a table of ratios (weft / peer).
#   weft-bench/run-net.sh                 # every cell, 2 s each after 1 s of warm-up
#   CELL_SECONDS=5 weft-bench/run-net.sh  # longer cells
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
JAVA_HOME="$("$root/bin/find-jdk")"
cell="${CELL_SECONDS:-2}"
loops="$(nproc)"
jar="$here/target/benchmarks.jar"
results="${RESULTS:-$here/target/net-results.tsv}"

if [ ! -f "$jar" ] || [ -n "$(find "$root/weft-net/src" "$here/src" -newer "$jar" -print -quit)" ]; then
  "$root/build" -q -DskipTests -pl weft-bench -am package
fi
if ! command -v redis-server >/dev/null; then
  apt-get install -y redis-server >/dev/null
fi
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

java=("$JAVA_HOME/bin/java" --sun-misc-unsafe-memory-access=allow -Xms512m -Xmx1g -cp "$jar")
port=9170
server_pid=""

start_java_server() { # KIND
  port=$((port + 1))
  "${java[@]}" dev.weft.bench.net.BenchServer "$1" "$port" "$loops" > "$here/target/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 100); do
    grep -q ready "$here/target/server.log" 2>/dev/null && return 0
    timeout 0.1 tail -f /dev/null || true
  done
  echo "server $1 did not start" >&2; cat "$here/target/server.log" >&2; exit 1
}

start_redis() {
  port=$((port + 1))
  redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no \
    --client-output-buffer-limit "pubsub 64mb 64mb 0" > "$here/target/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 100); do
    grep -q "Ready to accept" "$here/target/server.log" 2>/dev/null && return 0
    timeout 0.1 tail -f /dev/null || true
  done
  echo "redis-server did not start" >&2; exit 1
}

stop_server() {
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
}
trap stop_server EXIT

gen() { "${java[@]}" dev.weft.bench.net.LoadGen "$@" | tee -a "$results"; }

: > "$results"
for server in weft-echo netty-echo weft-blocking-echo; do
  start_java_server "$server"
  for connections in 1 50 500; do
    for size in 64 4096; do
      gen echo "$port" "$server" "$connections" "$size" "$cell"
    done
  done
  gen bulk "$port" "$server" "$cell"
  stop_server
done

for server in weft-echo netty-echo; do
  start_java_server "$server"
  gen idle "$port" "$server" 10000 "$server_pid"
  stop_server
done

for server in weft-pubsub netty-pubsub redis; do
  if [ "$server" = redis ]; then start_redis; mode=redis; else start_java_server "$server"; mode=line; fi
  for subscribers in 10 100 1000; do
    gen pubsub "$port" "$server" "$subscribers" "$cell" "$mode"
  done
  stop_server
done

python3 - "$results" <<'PY'
import sys, collections
rows = collections.defaultdict(dict)
for line in open(sys.argv[1]):
    if not line.startswith("RESULT"):
        continue
    _, server, cell, unit, value, _, p99 = line.rstrip("\n").split("\t")
    family = "echo" if "echo" in server else ("pubsub" if cell.startswith("pubsub") else server)
    name = server.replace("-echo", "").replace("-pubsub", "")
    rows[cell][name] = (unit, float(value), float(p99))
print("\n| cell | weft | peer | weft/peer (higher is better) | p99 weft/peer (lower is better) |")
print("|---|---|---|---|---|")
for cell, by in rows.items():
    if "weft" not in by:
        continue
    unit, value, p99 = by["weft"]
    for peer in ("netty", "redis", "weft-blocking"):
        if peer in by:
            _, pv, pp = by[peer]
            lower_better = unit.startswith("rss")
            ratio = (pv / value if lower_better else value / pv) if pv and value else float("nan")
            p99r = p99 / pp if pp == pp and pp else float("nan")
            print(f"| {cell} ({unit}) | {value:,.0f} | {peer} {pv:,.0f} | {ratio:.2f} | {p99r:.2f} |")
PY
