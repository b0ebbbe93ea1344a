#!/usr/bin/env bash
# The downloader benchmark: the flags set (2,000 files, 50 ms server latency, 5% 404, 2% 500,
# 4 stalls of 100 ms mid-body) fetched from one flags server (dev.weft.bench.fetch.FlagsServer)
# by weft's HTTP client and the JDK's HttpClient in a harness (dev.weft.bench.fetch.FetchBench:
# weft, jdk, and jdk-h1* variants for the investigation; NAME-warm runs 600 files on a first
# client before the timed pass on a new one, to see the client without the JIT's warm-up), by the real command (`weft fetch
# --client weft|jdk --retries 0` through the ./weft launcher: weft-cli, jdk-cli; JVM start included;
# weft-cli-plain is the same command as `java -jar`, without the launcher's options and AOT cache), by curl --parallel and
# aria2c, at N = 16, 64, 256 in the same run, beside the latency-bound ideal (files x latency /
# N). Every tool's files are checked byte for byte and its error counts against the set. Prints a
# RESULT line per run and a table of ratios.
#   weft-bench/run-fetch.sh                          # every tool at every N
#   NS="64" TOOLS="weft jdk curl" weft-bench/run-fetch.sh
#   REPEAT=3 weft-bench/run-fetch.sh                 # best of 3 per cell
#   BASELINE_WEFT=/tmp/old/weft TOOLS="weft-cli weft-cli-before curl" weft-bench/run-fetch.sh
#                                 # weft-cli-before: the launcher of another checkout (an earlier build)
#   WORK=$(mktemp -d /dev/shm/weft-fetch.XXXXXX) weft-bench/run-fetch.sh
#                                 # every tool's files on tmpfs: see docs/performance.md for why /tmp
#                                 # (ext4 here) makes the file system the floor at N = 64 and 256
# Run it under `flock /tmp/weft-bench.lock`.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
JAVA_HOME="$("$root/bin/find-jdk")"
ns="${NS:-16 64 256}"
tools="${TOOLS:-weft jdk weft-warm jdk-warm weft-cli jdk-cli curl aria2c}"
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
cli_jar="$root/weft-cli/target/weft.jar"
case " $tools " in *-cli*) "$root/weft" --help > /dev/null ;; esac # builds, and records the launcher's AOT cache
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
  rm -f "$work/aria2.log"
  start="$(now)"
  aria2c -j "$1" -i "$list" -d "$2" --async-dns=false --max-tries=1 --retry-wait=0 --timeout=10 \
    --allow-overwrite=true --auto-file-renaming=false --file-allocation=none \
    --summary-interval=0 --console-log-level=error --download-result=full \
    --log="$work/aria2.log" --log-level=notice > "$work/aria2.out" 2>&1 || true
  end="$(now)"
  # a saved file is a 200 (FlagsCheck compares every byte); an error's status is only in the
  # log: "status=500", or "Resource not found" for a 404
  { find "$2" -name '*.gif' -size +0 | awk '{print 200}'
    grep -- '-> \[HttpSkipResponseCommand' "$work/aria2.log" \
      | sed -n -e 's/.*status=\([0-9]*\).*/\1/p' -e 's/.*Resource not found.*/404/p' || true
  } > "$work/statuses"
  check aria2c "$1" "$(echo "$end - $start" | bc)" "$2" "$work/statuses"
}

run_cli() { # CLIENT N DIR [plain]: the real command, with --retries 0 as curl and aria2c do not retry;
  # through the ./weft launcher (its JVM options and AOT cache), or with `plain` as `java -jar`
  local list="$work/cli.list" start end launcher=("$root/weft") label="$1-cli"
  if [ "${4:-}" = before ]; then
    launcher=("$BASELINE_WEFT")
    label="$1-cli-before"
  elif [ "${4:-}" = plain ]; then
    launcher=("$JAVA_HOME/bin/java" --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED -jar "$cli_jar")
    label="$1-cli-plain"
  fi
  [ -f "$list" ] || for i in $(seq 0 $((files - 1))); do printf '%s/%04d.gif\n' "$base" "$i"; done > "$list"
  rm -f "$work/report.jsonl"
  # untimed: if the jar was rebuilt since the last run, the launcher records its cache here
  [ "${4:-}" = plain ] || "${launcher[@]}" --version > /dev/null 2>&1
  start="$(now)"
  "${launcher[@]}" \
    fetch -q -c "$2" --retries 0 --timeout 10s -i "$list" -o "$3" --report "$work/report.jsonl" --client "$1" \
    > "$work/cli.out" 2>&1 || true
  end="$(now)"
  grep -o '"status":[0-9]*' "$work/report.jsonl" | cut -d: -f2 > "$work/statuses" || true
  check "$label" "$2" "$(echo "$end - $start" | bc)" "$3" "$work/statuses"
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
      before="$(curl -s "http://127.0.0.1:$port/stats")"
      case "$tool" in
        curl) run_curl "$n" "$dir" ;;
        aria2c) run_aria2c "$n" "$dir" ;;
        weft-cli) run_cli weft "$n" "$dir" ;;
        weft-cli-plain) run_cli weft "$n" "$dir" plain ;;
        weft-cli-before) run_cli weft "$n" "$dir" before ;;
        jdk-cli) run_cli jdk "$n" "$dir" ;;
        *-warm) "${java[@]}" -Dwarmup=600 dev.weft.bench.fetch.FetchBench "${tool%-warm}" "$n" "$port" "$dir" ;;
        *) run_java "$tool" "$n" "$dir" ;;
      esac | tee -a "$results"
      after="$(curl -s "http://127.0.0.1:$port/stats")"
      printf 'CONNECTIONS\t%s\t%s\t%s\n' "$tool" "$n" "$((after - before - 1))" | tee -a "$results"
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
    if verdict != "ok":
        verdicts[(tool, n)] = verdict
tools = [t for t in dict.fromkeys(t for by in best.values() for t in by) if t != "ideal"]
print("\nSeconds (best of the repeats; the -cli rows include the JVM start):\n")
print("| N | ideal | " + " | ".join(tools) + " |")
print("|---" * (len(tools) + 2) + "|")
for n in sorted(best):
    by = best[n]
    print(f"| {n} | {by.get('ideal', float('nan')):.2f} | " + " | ".join(f"{by[t]:.2f}" if t in by else "-" for t in tools) + " |")
pairs = [(a, b) for a, b in [("curl", "weft"), ("aria2c", "weft"), ("jdk", "weft"), ("weft", "ideal"),
                             ("curl", "weft-warm"), ("jdk-warm", "weft-warm"), ("weft-warm", "ideal"),
                             ("curl", "weft-cli"), ("aria2c", "weft-cli"), ("jdk-cli", "weft-cli"), ("weft-cli", "ideal"),
                             ("weft-cli-plain", "weft-cli"), ("weft-cli-before", "weft-cli"),
                             ("curl", "weft-cli-before")]
         if any(a in by and b in by for by in best.values())]
print("\nRatios (time of the first / time of the second; above 1 means the second is faster):\n")
print("| N | " + " | ".join(f"{a} / {b}" for a, b in pairs) + " |")
print("|---" * (len(pairs) + 1) + "|")
for n in sorted(best):
    by = best[n]
    print(f"| {n} | " + " | ".join(f"{by[a] / by[b]:.2f}" if a in by and b in by else "-" for a, b in pairs) + " |")
conns = collections.defaultdict(dict)
for line in open(sys.argv[1]):
    if line.startswith("CONNECTIONS"):
        _, tool, n, count = line.split()
        conns[int(n)][tool] = count
print("\nConnections the server accepted per run:\n")
print("| N | " + " | ".join(tools) + " |")
print("|---" * (len(tools) + 1) + "|")
for n in sorted(conns):
    print(f"| {n} | " + " | ".join(conns[n].get(t, "-") for t in tools) + " |")
print("\nall files byte-identical, all errors counted right" if not verdicts else f"\nWRONG: {verdicts}")
PY
