#!/usr/bin/env bash
# Runs weft-core's JMH benchmarks, each beside its JDK peer in the same run, and prints the
# ratios as a Markdown table.   weft-bench/run-core.sh [JMH options, e.g. a benchmark regex]
# Defaults suit a 2-core machine: one fork, short iterations. For steadier figures set
# CORE_BENCH_OPTS, e.g. CORE_BENCH_OPTS="-f 3 -wi 5 -w 1s -i 10 -r 1s" (JMH refuses an option
# given twice, so iteration settings go there, not on the command line).
# Without arguments it also runs the scheduler lateness harness (not a JMH benchmark).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
java_home="$("$root/bin/find-jdk")"
"$root/build" -q -DskipTests -pl weft-bench -am package
out="$root/weft-bench/target/core-results.csv"
args=("$@")
everything=false
[ ${#args[@]} -eq 0 ] && everything=true && args=("dev.weft.bench.core")
"$java_home/bin/java" --sun-misc-unsafe-memory-access=allow -jar "$root/weft-bench/target/benchmarks.jar" \
  ${CORE_BENCH_OPTS:--f 1 -wi 3 -w 1s -i 5 -r 1s} -jvmArgsAppend "--sun-misc-unsafe-memory-access=allow" \
  -rf csv -rff "$out" "${args[@]}"
"$java_home/bin/java" -cp "$root/weft-bench/target/benchmarks.jar" dev.weft.bench.Ratios "$out"
if $everything; then
  "$java_home/bin/java" -cp "$root/weft-bench/target/benchmarks.jar" dev.weft.bench.core.SchedulerLateness
fi
