#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# fuzz_smoke.sh: builds the real libFuzzer targets (preset clang-fuzz:
# clang, libFuzzer, ASan, UBSan) in build-fuzz/ and runs each one from its
# committed corpus for QEMUD_FUZZ_SMOKE_SECONDS (default 10) seconds, one
# target per core at a time (QEMUD_FUZZ_SMOKE_JOBS, default nproc). Fails
# on any crash, finding (a comparator abort), leak, timeout or OOM, and
# leaves the log and reproducer in build-fuzz/smoke-<pid>/ (removed on a pass). Nothing is written to corpus/.
# ctest runs it from the GCC build (label fuzz-smoke); exit 77 (skipped)
# when clang's libFuzzer is not installed, 1 under QEMUD_REQUIRE_ALL=1.
#   ci/fuzz_smoke.sh [target...]
set -euo pipefail
cd "$(dirname "$0")/.."
source ci/lib/cli.sh
ci_fuzz_targets "$@"
seconds=${QEMUD_FUZZ_SMOKE_SECONDS:-10}
build=build-fuzz
targets=("$@")

# Without clang's libFuzzer: SKIP and exit 77, or FAIL and exit 1 under
# QEMUD_REQUIRE_ALL=1 (the project's rule for a missing tool).
python3 ci/lib/require_tools.py libfuzzer || exit $?

# QEMUD_FUZZ_SMOKE_BIN_DIR: fuzz already-built targets (with their .dict and
# .options beside them, as fuzz/ossfuzz_build.sh writes $OUT) instead of
# building the clang-fuzz preset; ctest sets it so CI builds clang once.
bin=${QEMUD_FUZZ_SMOKE_BIN_DIR:-}
if [ -n "$bin" ]; then
  # Every target there: each has its .options beside it.
  if [ ${#targets[@]} -eq 0 ]; then
    for o in "$bin"/*.options; do [ -e "$o" ] && targets+=("$(basename "$o" .options)"); done
  fi
  for t in "${targets[@]}"; do
    [ -x "$bin/$t" ] || { echo "fuzz_smoke: $bin/$t not found (run ci/fuzz_ossfuzz_local.sh first)"; exit 1; }
  done
  build=$(dirname "$bin")
  echo "fuzz_smoke: fuzzing the targets in $bin"
else
  bin=$build/fuzz
  cmake --preset clang-fuzz >/dev/null
  [ ${#targets[@]} -gt 0 ] || mapfile -t targets < "$build/fuzz/fuzz_targets.txt"
  echo "fuzz_smoke: building ${targets[*]} in $build/"
  cmake --build "$build" --target "${targets[@]}" -- -j"$(nproc)" | tail -n 1
fi

# One scratch dir per run, so concurrent runs (ctest and a user) do not mix.
out="$build/smoke-$$"
rm -rf "$out"
mkdir -p "$out"
status=0
# smoke_one T: fuzz one target; its verdict (and on a failure the log's
# tail and the reproducers) go to $out/T.result, printed in target order
# once every target is done.
smoke_one() {
  local t=$1 rc=0 max_len log stats execs simd=()
  max_len=$(sed -n 's/^max_len = //p' "$bin/$t.options")
  mkdir -p "$out/$t.corpus"
  log="$out/$t.log"
  # The cxx runtime picks its char-element kernel by CPU (AVX-512, AVX2,
  # SSE2, portable); the client payloads go through the portable one, so
  # both the best and the fallback kernel are fuzzed on every machine.
  [ "$t" = client_payload_fuzzer ] && simd=(QEMUD_CXX_SIMD=portable)
  # The committed corpus is read-only input; new inputs go to the scratch dir.
  env "${simd[@]}" "$bin/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2560 -malloc_limit_mb=2560 \
    -max_len="$max_len" -dict="$bin/$t.dict" -print_final_stats=1 \
    -artifact_prefix="$out/$t-" "$out/$t.corpus" "corpus/$t" >"$log" 2>&1 || rc=$?
  stats=$(grep -E '^#[0-9]+.*(DONE|INITED)' "$log" | tail -n 1 | sed -E 's/^#([0-9]+)\s+\w+\s+/runs \1 /' || true)
  execs=$(sed -n 's/^stat::average_exec_per_sec:\s*//p' "$log" || true)
  if [ "$rc" -eq 0 ]; then
    echo "fuzz_smoke: PASS $t (${seconds}s): $stats, ${execs:-?} exec/s" >"$out/$t.result"
  else
    {
      echo "fuzz_smoke: FAIL $t (exit $rc): $(grep -m1 -E '^qemud-harness:|ERROR: (libFuzzer|AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer)|runtime error' "$log" || true)"
      tail -n 40 "$log"
      ls "$out/$t-"* 2>/dev/null | sed 's/^/  reproducer: /' || true
    } >"$out/$t.result"
    return 1
  fi
}

# One target per core at a time (QEMUD_FUZZ_SMOKE_JOBS overrides): the
# time each target fuzzes is fixed, so the wall time is what parallelism
# saves.
jobs=${QEMUD_FUZZ_SMOKE_JOBS:-$(nproc)}
[[ "$jobs" =~ ^[1-9][0-9]*$ ]] || ci_usage_error "QEMUD_FUZZ_SMOKE_JOBS must be a positive integer, not '$jobs'"
running=0
for t in "${targets[@]}"; do
  if [ "$running" -ge "$jobs" ]; then
    wait -n || true
    running=$((running - 1))
  fi
  smoke_one "$t" &
  running=$((running + 1))
done
wait || true
for t in "${targets[@]}"; do
  if [ -s "$out/$t.result" ]; then cat "$out/$t.result"; else echo "fuzz_smoke: FAIL $t: no verdict"; status=1; fi
  grep -q '^fuzz_smoke: PASS' "$out/$t.result" 2>/dev/null || status=1
done
[ "$status" -eq 0 ] && rm -rf "$out"
exit "$status"
