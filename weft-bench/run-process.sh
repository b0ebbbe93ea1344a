#!/usr/bin/env bash
# Runs the process-pool benchmarks (dev.weft.bench.process), each beside Pool.threads(2) in the
# same run, and prints the ratios as a Markdown table.   weft-bench/run-process.sh [JMH options]
# Defaults suit a 2-core machine: one fork, short iterations.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
java_home="$("$root/bin/find-jdk")"
"$root/build" -q -DskipTests -pl weft-bench -am package
out="$root/weft-bench/target/process-results.csv"
args=("$@")
[ ${#args[@]} -eq 0 ] && args=("dev.weft.bench.process")
"$java_home/bin/java" --sun-misc-unsafe-memory-access=allow -jar "$root/weft-bench/target/benchmarks.jar" \
  -f 1 -jvmArgsAppend "--sun-misc-unsafe-memory-access=allow" \
  -rf csv -rff "$out" "${args[@]}"
"$java_home/bin/java" -cp "$root/weft-bench/target/benchmarks.jar" dev.weft.bench.Ratios "$out"
