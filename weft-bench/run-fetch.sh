#!/usr/bin/env bash
# The downloader benchmark: the flags set (2,000 files, 50 ms server latency, 5% 404, 2% 500,
# 4 stalls of 100 ms mid-body) fetched from one flags server (dev.weft.bench.fetch.FlagsServer)
# by weft's HTTP client, the JDK's HttpClient (each in dev.weft.bench.fetch.FetchBench), curl
# --parallel and aria2c, at N = 16, 64, 256 in the same run, beside the latency-bound ideal
# (files x latency / N). Every tool's files are checked byte for byte and its error counts
# against the set. Prints a RESULT line per run and a table of ratios.
#   weft-bench/run-fetch.sh                          # every tool at every N
#   NS="64" TOOLS="weft jdk curl" weft-bench/run-fetch.sh
#   REPEAT=3 weft-bench/run-fetch.sh                 # best of 3 per cell
# Run it under `flock /tmp/weft-bench.lock`.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
JAVA_HOME="$("$root/bin/find-jdk")"
ns="${NS:-16 64 256}"
tools="${TOOLS:-weft jdk curl aria2c}"
repeat="${REPEAT:-1}"
latency_ms=50
files=2000
jar="$here/target/benchmarks.jar"
work="${WORK:-$(mktemp -d /tmp/weft-fetch.XXXXXX)}"
results="${RESULTS:-$here/target/fetch-results.tsv}"

"$root/bin/ensure-tools" curl aria2c:aria2
if [ ! -f "$jar" ] || [ -n "$(find "$root/weft-http/src/main" "$root/weft-core/src/main" "$here/src" -newer "$jar" -print -quit)" ]; then
  "$root/build" -q -DskipTests -pl weft-bench -am package
fi
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
mkdir -p "$here/target"
java=("$JAVA_HOME/bin/java" --sun-misc-unsafe-memory-access=allow -Xms256m -Xmx1g -cp "$jar")

port=$((9300 + RANDOM % 500))
"${java[@]}" dev.weft.bench.fetch.FlagsServer "$port" "$latency_ms" > "$work/server.log" 2>&1 &
server_pid=$!
stop() { kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; rm -rf "$work"; }
trap stop EXIT
for _ in $(seq 100); do
  grep -q ready "$work/server.log" 2>/dev/null && break
  timeout 0.1 tail -f /dev/null || true
done
grep -q ready "$work/server.log" || { echo "flags server did not start" >&2; cat "$work/server.log" >&2; exit 1; }
base="http://127.0.0.1:$port/flags"

# Checks DIR and counts from a list of statuses (one per line) for tools outside the JVM.
check() { # TOOL N SECONDS DIR STATUSFILE
  local counts verdict
  counts="$(sort "$5" | uniq -c | awk '{printf "%s%s=%s", (NR>1?", ":""), $2, $1}')"
  verdict="$("${java[@]}" dev.weft.bench.fetch.FlagsCheck "$4" "$5")"
  printf 'RESULT\t%s\t%s\t%s\t{%s}\t%s\t\n' "$1" "$2" "$3" "$counts" "$verdict"
}

now() { date +%s.%N; }

run_curl() { # N DIR
  local config="$work/curl.cfg"
  : > "$config"
  for i in $(seq 0 $((files - 1))); do
    printf -v name '%04d.gif' "$i"
    printf 'url = "%s/%s"\noutput = "%s/%s"\n' "$base" "$name" "$2" "$name" >> "$config"
  done
  local start end
  start="$(now)"
  curl --parallel --parallel-immediate --parallel-max "$1" --silent --fail --max-time 10 --config "$config" \
    --write-out '%{http_code}\n' > "$work/statuses" 2>/dev/null || true
  end="$(now)"
  check curl "$1" "$(echo "$end - $start" | bc)" "$2" "$work/statuses"
}

run_aria2c() { # N DIR
  local list="$work/aria2.list"
  : > "$list"
  for i in $(seq 0 $((files - 1))); do
    printf '%s/%04d.gif\n' "$base" "$i" >> "$list"
  done
  local start end
  start="$(now)"
  aria2c -j "$1" -i "$list" -d "$2" --async-dns=false --max-tries=1 --retry-wait=0 --timeout=10 \
    --allow-overwrite=true --auto-file-renaming=false --file-allocation=none \
    --summary-interval=0 --console-log-level=error --download-result=full \
    --log="$work/aria2.log" --log-level=notice > "$work/aria2.out" 2>&1 || true
  end="$(now)"
  # the download result lists one row per file (gid|stat|avg speed|path); an error's status is
  # only in the log: "status=500", or "Resource not found" for a 404
  { grep -c '|OK  |' "$work/aria2.out" | awk '{for (i = 0; i < $1; i++) print 200}'
    grep -- '-> \[HttpSkipResponseCommand' "$work/aria2.log" \
      | sed -n -e 's/.*status=\([0-9]*\).*/\1/p' -e 's/.*Resource not found.*/404/p' || true
  } > "$work/statuses"
  check aria2c "$1" "$(echo "$end - $start" | bc)" "$2" "$work/statuses"
}

run_java() { # CLIENT N DIR
  "${java[@]}" dev.weft.bench.fetch.FetchBench "$1" "$2" "$port" "$3"
}

: > "$results"
for n in $ns; do
  printf 'RESULT\tideal\t%s\t%s\t{}\tok\t\n' "$n" "$(echo "scale=3; $files * $latency_ms / 1000 / $n" | bc)" | tee -a "$results"
  for r in $(seq "$repeat"); do
    for tool in $tools; do
      dir="$work/out-$tool-$n-$r"
      rm -rf "$dir"; mkdir -p "$dir"
      case "$tool" in
        curl) run_curl "$n" "$dir" ;;
        aria2c) run_aria2c "$n" "$dir" ;;
        *) run_java "$tool" "$n" "$dir" ;;
      esac | tee -a "$results"
      rm -rf "$dir"
    done
  done
done

python3 - "$results" <<'PY'
import sys, collections
best = collections.defaultdict(dict)
verdicts = {}
for line in open(sys.argv[1]):
    if not line.startswith("RESULT"):
        continue
    f = line.rstrip("\n").split("\t")
    tool, n, seconds, verdict = f[1], int(f[2]), float(f[3]), f[5]
    if seconds < best[n].get(tool, float("inf")):
        best[n][tool] = seconds
    verdicts[(tool, n)] = verdicts.get((tool, n), "ok") if verdict == "ok" else verdict
tools = [t for t in dict.fromkeys(t for by in best.values() for t in by) if t != "ideal"]
print("\n| N | ideal s | " + " | ".join(f"{t} s" for t in tools) + " | "
      + " | ".join(f"{t}/ideal" for t in tools) + " | weft vs " + ", ".join(t for t in tools if t != "weft") + " |")
print("|---" * (2 + 2 * len(tools) + 1) + "|")
for n in sorted(best):
    by = best[n]
    ideal = by.get("ideal", float("nan"))
    cells = [f"{by[t]:.2f}" if t in by else "-" for t in tools]
    over = [f"{by[t] / ideal:.2f}" if t in by else "-" for t in tools]
    w = by.get("weft")
    vs = [f"{by[t] / w:.2f}x" if w and t in by else "-" for t in tools if t != "weft"]
    print(f"| {n} | {ideal:.2f} | " + " | ".join(cells) + " | " + " | ".join(over) + " | " + ", ".join(vs) + " |")
bad = {k: v for k, v in verdicts.items() if v != "ok"}
print("\nall files byte-identical, all errors counted right" if not bad else f"\nWRONG: {bad}")
PY
