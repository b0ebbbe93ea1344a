#!/usr/bin/env bash
# HTTP benchmark: weft's HttpServer (its handler declared non-blocking, so answered on weft-net's
# event loops) beside Netty's HTTP codec (NIO) and nginx, all serving GET / with
# the same 12-byte body, loaded by wrk with keep-alive connections (1, 64, 256) and with pipelining
# (64 connections, 16 requests per write). The three servers run at once (each alone in its
# process); every round loads each in turn, cell by cell, so a disturbance hits all three.
# Prints one RESULT line per measurement and a table of ratios (weft / peer, medians of the rounds).
#   weft-bench/run-http.sh                          # 3 rounds of 3 s cells
#   ROUNDS=5 CELL_SECONDS=5 weft-bench/run-http.sh  # longer
#   JFR=/tmp/weft-http.jfr weft-bench/run-http.sh    # also profile weft's server (JDK Flight Recorder)
# Run it under flock /tmp/weft-bench.lock.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
JAVA_HOME="$("$root/bin/find-jdk")"
rounds="${ROUNDS:-3}"
cell="${CELL_SECONDS:-3}"
threads="$(nproc)"
jar="${JAR:-$here/target/benchmarks.jar}"   # JAR=... measures a jar built earlier, as it is
results="${RESULTS:-$here/target/http-results.tsv}"
base_port="${BASE_PORT:-9480}"

"$root/bin/ensure-tools" wrk nginx
if [ -z "${JAR:-}" ] && { [ ! -f "$jar" ] || [ -n "$(find "$root/weft-http/src/main" "$here/src" -newer "$jar" -print -quit)" ]; }; then
  "$root/build" -q -DskipTests -pl weft-bench -am package
fi
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

work="$(mktemp -d /tmp/weft-http-bench.XXXXXX)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

java=("$JAVA_HOME/bin/java" --sun-misc-unsafe-memory-access=allow -Xms512m -Xmx1g -cp "$jar")
declare -A port
port[weft]=$((base_port + 1))
port[netty]=$((base_port + 2))
port[nginx]=$((base_port + 3))

await() { # NAME URL
  for _ in $(seq 200); do
    curl -sf -o /dev/null "$2" && return 0
    timeout 0.1 tail -f /dev/null || true
  done
  echo "$1 did not start" >&2; cat "$work"/*.log >&2 || true; exit 1
}

for kind in weft netty; do
  profile=()
  if [ "$kind" = weft ] && [ -n "${JFR:-}" ]; then
    profile=("-XX:StartFlightRecording=filename=$JFR,settings=profile,dumponexit=true")
  fi
  "${java[@]:0:1}" "${profile[@]}" "${java[@]:1}" dev.weft.bench.http.HttpBenchServer "$kind" "${port[$kind]}" "$threads" > "$work/$kind.log" 2>&1 &
  pids+=($!)
done
mkdir -p "$work/nginx/logs"
cat > "$work/nginx/nginx.conf" <<CONF
worker_processes $threads;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  server {
    listen 127.0.0.1:${port[nginx]};
    location = / {
      default_type text/plain;
      return 200 "hello world\n";
    }
  }
}
CONF
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" > "$work/nginx.log" 2>&1 &
pids+=($!)
for kind in weft netty nginx; do
  await "$kind" "http://127.0.0.1:${port[$kind]}/"
done

load() { # KIND CONNECTIONS SECONDS [pipeline]
  local url="http://127.0.0.1:${port[$1]}/" args=(-t "$(( $2 < threads ? $2 : threads ))" -c "$2" -d "${3}s" --latency)
  if [ "${4:-}" = pipeline ]; then
    wrk "${args[@]}" -s "$here/pipeline.lua" "$url" -- 16
  else
    wrk "${args[@]}" "$url"
  fi
}

cells=("keep-alive c=1|1|" "keep-alive c=64|64|" "keep-alive c=256|256|" "pipelined c=64 depth=16|64|pipeline")
: > "$results"
for kind in weft netty nginx; do # warm-up: JIT and connection set-up, not recorded
  load "$kind" 64 2 > /dev/null
  load "$kind" 64 1 pipeline > /dev/null
done
for round in $(seq "$rounds"); do
  for spec in "${cells[@]}"; do
    IFS='|' read -r name connections mode <<< "$spec"
    for kind in weft netty nginx; do
      out="$(load "$kind" "$connections" "$cell" "$mode")"
      rps="$(awk '/^Requests\/sec:/ {print $2}' <<< "$out")"
      p99="$(awk '$1 == "99%" {print $2}' <<< "$out")"
      errors="$(grep -c 'Non-2xx\|Socket errors' <<< "$out" || true)"
      printf 'RESULT\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$name" "$kind" "$rps" "$p99" "$errors" | tee -a "$results"
    done
  done
done

python3 - "$results" <<'PY'
import sys, statistics, collections
rps = collections.defaultdict(lambda: collections.defaultdict(list))
for line in open(sys.argv[1]):
    _, rnd, cell, kind, value, p99, errors = line.rstrip("\n").split("\t")
    rps[cell][kind].append(float(value))
print("\n| cell | weft req/s | Netty req/s | nginx req/s | weft/Netty | weft/nginx |")
print("|---|---|---|---|---|---|")
for cell, by in rps.items():
    m = {k: statistics.median(v) for k, v in by.items()}
    print(f"| {cell} | {m['weft']:,.0f} | {m['netty']:,.0f} | {m['nginx']:,.0f} | {m['weft']/m['netty']:.2f} | {m['weft']/m['nginx']:.2f} |")
PY
