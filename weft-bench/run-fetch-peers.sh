#!/usr/bin/env bash
# weft fetch beside aria2c and curl (--parallel) on the same files: the demo server alone
# (weft fetch --serve-demo, 300 files of 1-40 KiB, 50 ms latency, no faults) on loopback, each
# downloader fetching every file with the same concurrency, rounds interleaved. Whole-process wall
# time, so weft's figure includes JVM start-up; prints the median of each and the ratios.
#   weft-bench/run-fetch-peers.sh          # 3 rounds, 16 at a time
#   ROUNDS=5 CONCURRENCY=64 weft-bench/run-fetch-peers.sh
# Run it under flock /tmp/weft-bench.lock when others benchmark on the machine.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/bin/ensure-tools" aria2c:aria2 curl
rounds="${ROUNDS:-3}"
c="${CONCURRENCY:-16}"
java="$("$root/bin/find-jdk")/bin/java"
jar="$root/weft-cli/target/weft.jar"
"$root/weft" --version >/dev/null # builds the jar when missing or stale
work="$(mktemp -d)"
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
"$java" --sun-misc-unsafe-memory-access=allow -jar "$jar" fetch --serve-demo -o "$work" \
  --demo-404 0 --demo-500 0 --demo-stalls 0 > "$work/server.out" &
server=$!
for _ in $(seq 100); do grep -q '^urls:' "$work/server.out" 2>/dev/null && break; sleep 0.1; done
urls="$work/urls.txt"
echo "$(wc -l < "$urls") files, $c at a time, $rounds rounds"

seconds() { local start end; start=$(date +%s.%N); "$@" >/dev/null 2>&1; end=$(date +%s.%N); echo "$end - $start" | bc; }
run_weft() { rm -rf "$work/w"; "$java" --sun-misc-unsafe-memory-access=allow -jar "$jar" fetch -q -c "$c" -i "$urls" -o "$work/w"; }
run_aria2c() { rm -rf "$work/a"; aria2c -q -j "$c" -i "$urls" -d "$work/a" --allow-overwrite=true --auto-file-renaming=false; }
run_curl() { rm -rf "$work/c"; mkdir -p "$work/c"; xargs curl -s -Z --parallel-max "$c" --remote-name-all --output-dir "$work/c" < "$urls"; }

declare -A times
for _ in $(seq "$rounds"); do
  for tool in weft aria2c curl; do
    times[$tool]+="$(seconds "run_$tool") "
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
w=$(echo "${times[weft]}" | median)
for tool in weft aria2c curl; do
  m=$(echo "${times[$tool]}" | median)
  printf '%-7s median %6.2f s  (rounds: %s)  weft/%s = %.2f\n' "$tool" "$m" "${times[$tool]}" "$tool" "$(echo "$w / $m" | bc -l)"
done
