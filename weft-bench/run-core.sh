#!/usr/bin/env bash
# Runs weft-core's JMH benchmarks, each beside its JDK peer in the same run, and prints the
# ratios as a Markdown table.   weft-bench/run-core.sh [JMH options, e.g. a benchmark regex]
# Defaults suit a 2-core machine: one fork, short iterations. Pass -f 3 -i 10 for publication.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
java_home="$("$root/bin/find-jdk")"
"$root/build" -q -DskipTests -pl weft-bench -am package
out="$root/weft-bench/target/core-results.csv"
args=("$@")
[ ${#args[@]} -eq 0 ] && args=("dev.weft.bench.core")
"$java_home/bin/java" --sun-misc-unsafe-memory-access=allow -jar "$root/weft-bench/target/benchmarks.jar" \
  -f 1 -wi 3 -w 1s -i 5 -r 1s -jvmArgsAppend "--sun-misc-unsafe-memory-access=allow" \
  -rf csv -rff "$out" "${args[@]}"
"$java_home/bin/java" -cp "$root/weft-bench/target/benchmarks.jar" dev.weft.bench.Ratios "$out"
