#!/usr/bin/env bash
# Network benchmarks: weft (NIO reactor, and a virtual thread per connection) beside Netty 4.2 (NIO)
# and, for pub/sub, Redis, with one load generator (dev.weft.bench.net.LoadGen), each server alone
# in its own JVM or process on its own loopback port. Every server is started once and the cells
# are interleaved: in each round, each cell runs against every server back to back (the order
# rotates per round, and runs backwards every other round, so no server always follows the same
# one), so a disturbance on the shared machine hits one round of every server alike.
# Idle memory is measured at the end, on fresh servers. Prints a RESULT line per cell and server,
# then the medians and the ratios (weft / peer) over the rounds (dev.weft.bench.net.NetReport).
#   weft-bench/run-net.sh                           # 3 rounds, 1.5 s cells after 0.5 s warm-up
#   ROUNDS=5 CELL_SECONDS=3 weft-bench/run-net.sh   # steadier, longer
#   BASELINE_JAR=/tmp/old-benchmarks.jar weft-bench/run-net.sh   # also an earlier weft build, as
#                                                   # weft-before, for a before/after in one run
#   CELLS="bulk echo-50-64" weft-bench/run-net.sh   # only these cells (names: echo-C-SIZE with C in
#                                                   # 1 50 500 and SIZE in 64 4096, bulk, pubsub-N with
#                                                   # N in 10 100 1000, idle); all by default
#   ECHO_SERVERS="weft-echo netty-echo" ...         # only these echo servers (weft-before is added
#                                                   # with BASELINE_JAR); all three by default
#   PIN=1 weft-bench/run-net.sh                     # servers on CPU 0, the load generator on CPU 1
#                                                   # (taskset), so they do not trade cores
# Takes the machine-wide benchmark lock itself (flock /tmp/weft-bench.lock).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
if [ -z "${WEFT_BENCH_LOCKED:-}" ]; then
  WEFT_BENCH_LOCKED=1 exec flock /tmp/weft-bench.lock "$0" "$@"
fi
JAVA_HOME="$("$root/bin/find-jdk")"
rounds="${ROUNDS:-3}"
cell="${CELL_SECONDS:-1.5}"
warmup="${WARMUP_SECONDS:-0.5}"
idle_count="${IDLE_CONNECTIONS:-10000}"
selected=" ${CELLS:-echo-1-64 echo-1-4096 echo-50-64 echo-50-4096 echo-500-64 echo-500-4096 bulk pubsub-10 pubsub-100 pubsub-1000 idle} "
wanted() { [[ "$selected" == *" $1 "* ]]; } # CELL: whether CELLS selects it
wanted_pubsub() { wanted pubsub-10 || wanted pubsub-100 || wanted pubsub-1000; }
loops="$(nproc)"
jar="$here/target/benchmarks.jar"
logs="$here/target/net-logs"
results="${RESULTS:-$here/target/net-results.tsv}"

if [ ! -f "$jar" ] || [ -n "$(find "$root/weft-net/src" "$here/src" -newer "$jar" -print -quit)" ]; then
  "$root/build" -q -DskipTests -pl weft-bench -am package
fi
"$root/bin/ensure-tools" redis-server:redis-server
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
mkdir -p "$logs"

server_cpus=(); generator_cpus=()
if [ -n "${PIN:-}" ]; then server_cpus=(taskset -c 0); generator_cpus=(taskset -c 1); fi
java=("${generator_cpus[@]}" "$JAVA_HOME/bin/java" --sun-misc-unsafe-memory-access=allow -cp "$jar")
declare -A port pid
next_port=$((9170 + RANDOM % 500))
all_pids=()

await_line() { # FILE PATTERN NAME
  for _ in $(seq 200); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    timeout 0.1 tail -f /dev/null || true
  done
  echo "$3 did not start" >&2; cat "$1" >&2; exit 1
}

free_port() { # moves next_port past ports something already listens on (another person's server)
  next_port=$((next_port + 1))
  while (exec 3<>"/dev/tcp/127.0.0.1/$next_port") 2>/dev/null; do next_port=$((next_port + 1)); done
}

start_java_server() { # NAME KIND [JVM OPTIONS...]
  local name="$1" kind="$2"; shift 2
  free_port
  "${server_cpus[@]}" "$JAVA_HOME/bin/java" --sun-misc-unsafe-memory-access=allow "$@" -cp "$jar" \
    dev.weft.bench.net.BenchServer "$kind" "$next_port" "$loops" > "$logs/$name.log" 2>&1 &
  pid[$name]=$!; port[$name]=$next_port; all_pids+=($!)
  await_line "$logs/$name.log" '^ready$' "$name" # not "already in use"
}

start_redis() { # NAME
  free_port
  "${server_cpus[@]}" redis-server --port "$next_port" --bind 127.0.0.1 --save "" --appendonly no --maxclients 20000 \
    --client-output-buffer-limit "pubsub 64mb 64mb 0" > "$logs/$1.log" 2>&1 &
  pid[$1]=$!; port[$1]=$next_port; all_pids+=($!)
  await_line "$logs/$1.log" "Ready to accept" "$1"
}

stop_server() { # NAME
  kill "${pid[$1]}" 2>/dev/null || true
  wait "${pid[$1]}" 2>/dev/null || true
}

stop_all() {
  for p in "${all_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop_all EXIT

cells=()
cell() { # MODE NAME ARGS...: queues a cell for the next run_cells
  local mode="$1" name="$2"; shift 2
  cells+=("${pid[$name]} $mode ${port[$name]} $name $*")
}

run_cells() { # runs the queued cells in one load generator JVM, appending what it prints to the
  # results from the first ROUND marker on (what a warm-up round before it prints is dropped)
  printf '%s\n' "${cells[@]}" | "${java[@]}" -Dwarmup="$warmup" dev.weft.bench.net.LoadGen batch \
    | sed -u -n '/^ROUND/,$p' | tee -a "$results"
  cells=()
}

round_marker() { # ROUND: queues the marker NetReport counts rounds by (the idle cells are round 1)
  cells+=("$(printf 'ROUND\t%d' "$1")")
}

rotate() { # ROUND NAMES... -> the names rotated by ROUND, backwards in even rounds
  local r="$1"; shift
  local names=("$@") n=$#
  for i in $(seq 0 $((n - 1))); do
    if (( r % 2 == 0 )); then echo "${names[$(((n - 1 - i + r) % n))]}"; else echo "${names[$(((i + r) % n))]}"; fi
  done
}

heap=(-Xms1g -Xmx1g)
baseline=()
echo_servers=(${ECHO_SERVERS:-weft-echo netty-echo weft-blocking-echo})
pubsub_servers=()
wanted_pubsub && pubsub_servers=(weft-pubsub netty-pubsub redis)
if [ -n "${BASELINE_JAR:-}" ]; then # an earlier build of benchmarks.jar, measured as weft-before
  baseline=(weft-before-echo)
  saved_jar="$jar"; jar="$BASELINE_JAR"
  start_java_server weft-before-echo weft-echo "${heap[@]}"
  wanted_pubsub && start_java_server weft-before-pubsub weft-pubsub "${heap[@]}" && pubsub_servers+=(weft-before-pubsub)
  jar="$saved_jar"
fi
for server in "${echo_servers[@]}"; do start_java_server "$server" "$server" "${heap[@]}"; done
if wanted_pubsub; then
  start_java_server weft-pubsub weft-pubsub "${heap[@]}"
  start_java_server netty-pubsub netty-pubsub "${heap[@]}"
  start_redis redis
fi

: > "$results"
echo_servers+=("${baseline[@]}")
# round 0 warms every server's JIT up and is not recorded; one generator JVM runs it and every
# round after it, so the generator's own code is compiled once, not again at the start of each round
echo "warm-up round (not recorded), then $rounds rounds"
for server in "${echo_servers[@]}"; do cell echo "$server" 50 64 1; cell bulk "$server" 0.5; done
for server in "${pubsub_servers[@]}"; do
  if [ "$server" = redis ]; then mode=redis; else mode=line; fi
  cell pubsub "$server" 100 1 "$mode"
done
for round in $(seq 1 "$rounds"); do
  round_marker "$round"
  for connections in 1 50 500; do
    for size in 64 4096; do
      wanted "echo-$connections-$size" || continue
      for server in $(rotate "$round" "${echo_servers[@]}"); do
        cell echo "$server" "$connections" "$size" "$cell"
      done
    done
  done
  if wanted bulk; then
    for server in $(rotate "$round" "${echo_servers[@]}"); do
      cell bulk "$server" "$cell"
    done
  fi
  for subscribers in 10 100 1000; do
    wanted "pubsub-$subscribers" || continue
    for server in $(rotate "$round" "${pubsub_servers[@]}"); do
      if [ "$server" = redis ]; then mode=redis; else mode=line; fi
      cell pubsub "$server" "$subscribers" "$cell" "$mode"
    done
  done
done
run_cells
for server in "${echo_servers[@]}" "${pubsub_servers[@]}"; do stop_server "$server"; done

# idle memory: fresh servers, heap pre-touched so resident growth is native memory only
if wanted idle; then
  for server in weft-echo netty-echo weft-blocking-echo "${baseline[@]}"; do
    kind="$server"; [ "$server" = weft-before-echo ] && kind=weft-echo && saved_jar="$jar" && jar="$BASELINE_JAR"
    start_java_server "idle-$server" "$kind" -Xms512m -Xmx512m -XX:+AlwaysPreTouch
    [ "$server" = weft-before-echo ] && jar="$saved_jar"
    pid[$server]="${pid[idle-$server]}"; port[$server]="${port[idle-$server]}"
    round_marker 1
    cell idle "$server" "$idle_count" "${pid[$server]}"
    run_cells
    stop_server "idle-$server"
  done
  start_redis idle-redis
  pid[redis]="${pid[idle-redis]}"; port[redis]="${port[idle-redis]}"
  round_marker 1
  cell idle redis "$idle_count" "${pid[redis]}"
  run_cells
  stop_server idle-redis
fi

"${java[@]}" dev.weft.bench.net.NetReport "$results" | tee "$here/target/net-report.md"
