#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# fuzz_planted.sh: how soon the differential fuzz targets find planted
# disagreements, one per question of the tiered oracle (docs/FUZZING.md,
# "The tiered oracle"), fuzzing from the committed seed corpus.
#
#   ci/fuzz_planted.sh [-t SECONDS] [-s SEEDS] [--oracle tiered|fast|full]
#
# Builds, in build-fuzzbase/ (the clang-fuzz preset with QEMUD_CANARIES=ON,
# the tree ci/bench.sh --fuzz-only uses), server_payload_fuzzer_canary
# (cxx's planted bugs, switched on by QEMUD_CANARY) and
# server_payload_fuzzer_tirpc_plant (libtirpc's xdr_char replaced by one
# that keeps the second byte of a non-canonical element:
# QEMUD_TIRPC_PLANT=second_byte). Then, for each plant below and each seed
# 1..SEEDS (default 3), runs the target with -seed=N from a scratch copy of
# corpus/server_payload_fuzzer/ for at most SECONDS (default 60) and records
# the seconds and executions to the first finding, and its title:
#
#   one-sided     tirpc plant second_byte: libtirpc's value of an acceptable
#                 wire is not the low-byte reading (rpcgen lenient-misreads)
#   both-accept   canary char_decode_sign: cxx decodes FFFFFFxx with the
#                 sign bit cleared (decode-disagrees)
#   both-accept   canary field_order_swap: one arm's two fields decoded in
#                 each other's place (decode-disagrees)
#   both-reject   canary payload_trailing_bytes: cxx accepts bytes after the
#                 last field (accepts-invalid)
#
# Prints one line per run, then the median per plant; exit 1 when a plant
# was not found within SECONDS by the median seed, 2 on bad arguments or a
# failed build. --oracle (default tiered) sets QEMUD_FUZZ_ORACLE for the
# runs: `fast` shows the fast tier finds each plant on its own. Logs go to
# build-fuzzbase/planted/. Never part of ctest: it measures time.
set -euo pipefail
cd "$(dirname "$0")/.."
source ci/lib/cli.sh
seconds=60
seeds=3
oracle=tiered
while [ $# -gt 0 ]; do
  case "$1" in
    -t) ci_value -t "${2-}" >/dev/null; [[ "$2" =~ ^[1-9][0-9]*$ ]] || ci_usage_error "-t needs a positive whole number, not '$2'"
        seconds=$2; shift 2 ;;
    -s) ci_value -s "${2-}" >/dev/null; [[ "$2" =~ ^[1-9][0-9]*$ ]] || ci_usage_error "-s needs a positive whole number, not '$2'"
        seeds=$2; shift 2 ;;
    --oracle) ci_value --oracle "${2-}" >/dev/null
        case "$2" in tiered | fast | full) oracle=$2 ;; *) ci_usage_error "--oracle is one of tiered, fast, full, not '$2'" ;; esac
        shift 2 ;;
    *) ci_usage_error "unknown argument '$1'" ;;
  esac
done
python3 ci/lib/require_tools.py libfuzzer || exit 2

target=server_payload_fuzzer
build=build-fuzzbase
cmake --preset clang-fuzz -B "$build" -DQEMUD_CANARIES=ON >/dev/null
cmake --build "$build" --parallel "$(nproc)" --target "${target}_canary" "${target}_tirpc_plant" "${target}_dict" >/dev/null ||
  { echo "fuzz_planted: the build failed: cmake --build $build --target ${target}_canary ${target}_tirpc_plant" >&2; exit 2; }
out=$build/planted
mkdir -p "$out"
max_len=$(sed -n 's/^max_len *= *//p' "$build/fuzz/$target.options")

# plant: name, binary suffix, environment
plants=(
  "one-sided:tirpc_plant:QEMUD_TIRPC_PLANT=second_byte"
  "both-accept:canary:QEMUD_CANARY=char_decode_sign"
  "both-accept:canary:QEMUD_CANARY=field_order_swap"
  "both-reject:canary:QEMUD_CANARY=payload_trailing_bytes"
)
echo "fuzz_planted: $target from corpus/$target, ${seconds}s at most per run, seeds 1..$seeds, oracle $oracle"
missed=0
for p in "${plants[@]}"; do
  IFS=: read -r tier suffix setting <<<"$p"
  times=()
  for ((seed = 1; seed <= seeds; seed++)); do
    work=$(mktemp -d)
    cp -r "corpus/$target/." "$work/"
    log=$out/${setting#*=}-seed$seed.log
    start=$(date +%s.%N)
    env "$setting" QEMUD_FUZZ_ORACLE="$oracle" "$build/fuzz/${target}_$suffix" -seed="$seed" \
      -max_total_time="$seconds" -max_len="$max_len" -dict="$build/fuzz/$target.dict" -rss_limit_mb=2560 \
      -timeout=25 -print_final_stats=1 -artifact_prefix="$work/" "$work" >"$log" 2>&1 || true
    end=$(date +%s.%N)
    rm -rf "$work"
    title=$(grep -m1 '^qemud-harness:' "$log" || true)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    if [ -n "$title" ]; then
      t=$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$start" "$end")
    else
      t=never
      title="(nothing found in ${seconds}s)"
    fi
    times+=("$t")
    printf '  %-12s %-32s seed %d: %6ss, %s execs: %s\n' "$tier" "$setting" "$seed" "$t" "${execs:-?}" "$title"
  done
  median=$(printf '%s\n' "${times[@]}" | python3 -c "
import statistics, sys
v = [float('inf') if x.strip() == 'never' else float(x) for x in sys.stdin if x.strip()]
m = statistics.median(v)
print('never' if m == float('inf') else f'{m:.1f}')")
  printf '%-12s %-32s median %ss\n' "$tier" "$setting" "$median"
  [ "$median" != never ] || missed=1
done
exit "$missed"
