#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# fuzz_afl_smoke.sh: the second engine. Builds fuzz targets with AFL++
# (afl-clang-fast, ASan + UBSan, AFL++'s libFuzzer driver as
# LIB_FUZZING_ENGINE) through fuzz/ossfuzz_build.sh, as OSS-Fuzz's afl
# builds do, into build-afl/out, and the structure-aware mutator as an
# AFL++ custom mutator (libqemud_afl_mutator.so, the afl-mutator preset's
# plain build in build-afl-mutator/, checked by its ctest fuzz_afl_mutator),
# then runs afl-fuzz on each target for QEMUD_AFL_SMOKE_SECONDS (default 10)
# from its seed corpus with its dictionary and that mutator
# (AFL_CUSTOM_MUTATOR_LIBRARY, QEMUD_FUZZ_SURFACE=<target>). Fails on a
# failed build or mutator check, an afl-fuzz that cannot start or did not
# install the mutator, or any crash or hang it saves (left in
# build-afl/smoke/<target>/). Prints how many queue entries the mutator
# made.
#   ci/fuzz_afl_smoke.sh [target...]   # default: header_fuzzer
# QEMUD_AFL_SMOKE_BIN_DIR: fuzz targets already built there (an AFL++ $OUT
# with each target's .dict and _seed_corpus.zip beside it) instead of
# building; ctest sets it to what fuzz_ossfuzz_local/afl-address built
# (OSS-Fuzz's afl + address build), so CI builds AFL++ targets once.
# Exit 77 (skipped) without afl++; 1 under QEMUD_REQUIRE_ALL=1.
set -euo pipefail
cd "$(dirname "$0")/.."
source ci/lib/cli.sh
ci_fuzz_targets "$@"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(header_fuzzer)
seconds=${QEMUD_AFL_SMOKE_SECONDS:-10}
[[ "$seconds" =~ ^[1-9][0-9]*$ ]] || ci_usage_error "QEMUD_AFL_SMOKE_SECONDS must be a positive integer, not '$seconds'"
python3 ci/lib/require_tools.py afl || exit $?

root=$PWD/build-afl
source ci/lib/afl.sh
mkdir -p "$root"
if [ -n "${QEMUD_AFL_SMOKE_BIN_DIR:-}" ]; then
  OUT=$QEMUD_AFL_SMOKE_BIN_DIR
  for t in "${targets[@]}"; do
    [ -x "$OUT/$t" ] || { echo "fuzz_afl_smoke: $OUT/$t not found (run ci/fuzz_ossfuzz_local.sh --engine afl first)"; exit 1; }
  done
  echo "fuzz_afl_smoke: fuzzing the targets in $OUT"
else
  afl_build "$root" "${targets[@]}" || { echo "fuzz_afl_smoke: build failed"; exit 1; }
  OUT=$root/out
fi
afl_mutator_build "$root/mutator.log" || { echo "fuzz_afl_smoke: the custom mutator's build or check failed"; exit 1; }

afl_env
export AFL_CUSTOM_MUTATOR_LIBRARY=$PWD/$AFL_MUTATOR
status=0
for t in "${targets[@]}"; do
  run=$root/smoke/$t
  rm -rf "$run" && mkdir -p "$run/in"
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$OUT/${t}_seed_corpus.zip" "$run/in"
  rc=0
  # -V: stop after that many seconds; -m none: ASan reserves terabytes of
  # address space; -t: per-input timeout in ms, as libFuzzer's -timeout=10.
  (cd "$OUT" && QEMUD_FUZZ_SURFACE=$t afl-fuzz -V "$seconds" -i "$run/in" -o "$run/out" -x "$t.dict" -m none -t 10000 -- "./$t") \
    >"$run/afl.log" 2>&1 || rc=$?
  stats=$run/out/default/fuzzer_stats
  value() { sed -n "s/^$1 *: *//p" "$stats" 2>/dev/null || true; }
  if [ "$rc" -ne 0 ] || [ ! -s "$stats" ]; then
    echo "fuzz_afl_smoke: FAIL $t: afl-fuzz exit $rc"; tail -n 30 "$run/afl.log"; status=1; continue
  fi
  crashes=$(value saved_crashes) hangs=$(value saved_hangs)
  if [ "${crashes:-0}" != 0 ] || [ "${hangs:-0}" != 0 ]; then
    echo "fuzz_afl_smoke: FAIL $t: $crashes crash(es), $hangs hang(s) saved in $run/out/default/"
    ls "$run/out/default/crashes" "$run/out/default/hangs" 2>/dev/null | sed 's/^/  /'
    status=1; continue
  fi
  # The queue entries the custom mutator made are named by its
  # afl_custom_describe (qemud-<target>).
  custom=$(find "$run/out/default/queue" -maxdepth 1 -name "*qemud-$t*" | wc -l)
  if ! grep -q "Custom mutator .* installed successfully" "$run/afl.log"; then
    echo "fuzz_afl_smoke: FAIL $t: afl-fuzz did not load the custom mutator"; tail -n 30 "$run/afl.log"; status=1; continue
  fi
  echo "fuzz_afl_smoke: PASS $t (${seconds}s): $(value execs_done) execs, $(value execs_per_sec) exec/s, corpus $(value corpus_count) ($custom from the custom mutator), coverage $(value bitmap_cvg)"
  rm -rf "$run"
done
exit "$status"
