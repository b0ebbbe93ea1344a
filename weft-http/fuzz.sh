#!/usr/bin/env bash
# Fuzzes one method of RequestParserFuzzTest with Jazzer for a while (coverage-guided: libFuzzer
# mutates the seeds in src/test/resources/dev/weft/http/RequestParserFuzzTestInputs/METHOD).
#   weft-http/fuzz.sh [METHOD] [SECONDS]
#     METHOD   parserFramesAnyInputTheSameHoweverItIsCut (default)
#              or connectionAnswersEveryRequestWithOneWellFramedResponse
#     SECONDS  how long to fuzz (default 120)
# CPU-heavy: it runs under flock /tmp/weft-bench.lock, beside the benchmarks. Inputs that reach new
# code are kept in weft-http/.cifuzz-corpus/ (not versioned: copy the interesting ones into the
# seed folder); an input that fails the test is written into the seed folder, where the normal
# ./test run replays it from then on.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
method="${1:-parserFramesAnyInputTheSameHoweverItIsCut}"
seconds="${2:-120}"
cd "$root"
JAZZER_FUZZ=1 exec flock /tmp/weft-bench.lock ./build verify -pl weft-http -am \
  -Dweft.fuzz=true -Djazzer.max_duration="${seconds}s" \
  -Dtest="RequestParserFuzzTest#${method}" -Dsurefire.failIfNoSpecifiedTests=false
