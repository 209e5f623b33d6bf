#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# fuzz_afl_smoke.sh: the second engine. Builds fuzz targets with AFL++
# (afl-clang-fast, ASan + UBSan, AFL++'s libFuzzer driver as
# LIB_FUZZING_ENGINE) through fuzz/ossfuzz_build.sh, as OSS-Fuzz's afl
# builds do, into build-afl/out, then runs afl-fuzz on each for
# QEMUD_AFL_SMOKE_SECONDS (default 10) from its seed corpus with its
# dictionary. Fails on a failed build, an afl-fuzz that cannot start, or
# any crash or hang it saves (left in build-afl/smoke/<target>/).
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
if [ -n "${QEMUD_AFL_SMOKE_BIN_DIR:-}" ]; then
  OUT=$QEMUD_AFL_SMOKE_BIN_DIR
  for t in "${targets[@]}"; do
    [ -x "$OUT/$t" ] || { echo "fuzz_afl_smoke: $OUT/$t not found (run ci/fuzz_ossfuzz_local.sh --engine afl first)"; exit 1; }
  done
  echo "fuzz_afl_smoke: fuzzing the targets in $OUT"
else
  export CC=afl-clang-fast CXX=afl-clang-fast++
  export CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address,undefined -fno-sanitize-recover=undefined"
  export CXXFLAGS="$CFLAGS"
  export LIB_FUZZING_ENGINE=/usr/lib/afl/libAFLDriver.a
  export SRC=$root/src WORK=$root/work OUT=$root/out
  export AFL_QUIET=1  # the compiler wrapper's banner, once per file
  export QEMUD_FUZZ_TARGETS="${targets[*]}"
  rm -rf "$OUT"
  mkdir -p "$SRC" "$WORK" "$OUT"
  bash fuzz/ossfuzz_build.sh >"$root/build.log" 2>&1 || { tail -n 40 "$root/build.log"; echo "fuzz_afl_smoke: build failed"; exit 1; }
fi

# afl-fuzz refuses to start on a machine tuned for something else (CPU
# frequency scaling, a core_pattern that pipes to a crash handler, no free
# core to bind to): none of that matters for a smoke run.
export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1 AFL_NO_UI=1
status=0
for t in "${targets[@]}"; do
  run=$root/smoke/$t
  rm -rf "$run" && mkdir -p "$run/in"
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$OUT/${t}_seed_corpus.zip" "$run/in"
  rc=0
  # -V: stop after that many seconds; -m none: ASan reserves terabytes of
  # address space; -t: per-input timeout in ms, as libFuzzer's -timeout=10.
  (cd "$OUT" && afl-fuzz -V "$seconds" -i "$run/in" -o "$run/out" -x "$t.dict" -m none -t 10000 -- "./$t") \
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
  echo "fuzz_afl_smoke: PASS $t (${seconds}s): $(value execs_done) execs, $(value execs_per_sec) exec/s, corpus $(value corpus_count), coverage $(value bitmap_cvg)"
  rm -rf "$run"
done
exit "$status"
