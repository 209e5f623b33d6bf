# SPDX-License-Identifier: Apache-2.0
# afl.sh: the AFL++ builds and settings ci/fuzz_afl_smoke.sh and
# ci/fuzz_campaign.sh share. Sourced; defines functions only.

# afl_build ROOT TARGET...: builds the targets with afl-clang-fast (ASan +
# UBSan, AFL++'s libFuzzer driver as LIB_FUZZING_ENGINE) through
# fuzz/ossfuzz_build.sh, as OSS-Fuzz's afl builds do: ROOT/out/<target>,
# .dict, .options, _seed_corpus.zip; the log in ROOT/build.log. Returns
# non-zero (after the log's tail) when the build fails.
afl_build() {
  local root=$1
  shift
  (
    export CC=afl-clang-fast CXX=afl-clang-fast++
    export CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address,undefined -fno-sanitize-recover=undefined"
    export CXXFLAGS="$CFLAGS"
    export LIB_FUZZING_ENGINE=/usr/lib/afl/libAFLDriver.a
    export SRC=$root/src WORK=$root/work OUT=$root/out
    export AFL_QUIET=1  # the compiler wrapper's banner, once per file
    export QEMUD_FUZZ_TARGETS="$*"
    rm -rf "$OUT"
    mkdir -p "$SRC" "$WORK" "$OUT"
    bash fuzz/ossfuzz_build.sh >"$root/build.log" 2>&1
  ) || { tail -n 40 "$root/build.log"; return 1; }
}

# afl_mutator_build LOG: builds libqemud_afl_mutator.so, the structure-aware
# mutator as an AFL++ custom mutator, in its own plain build (the
# afl-mutator preset: no sanitizers, no coverage instrumentation, since it
# is loaded into afl-fuzz), and checks it (ctest fuzz_afl_mutator: dlopen,
# init, fuzz, deinit on the committed corpora). Returns non-zero (after the
# log's tail) when either fails.
AFL_MUTATOR=build-afl-mutator/fuzz/libqemud_afl_mutator.so
afl_mutator_build() {
  local log=$1
  { cmake --preset afl-mutator &&
    cmake --build build-afl-mutator --target qemud_afl_mutator afl_mutator_check -- -j"$(nproc)" &&
    ctest --test-dir build-afl-mutator -R '^fuzz_afl_mutator$' --output-on-failure; } >"$log" 2>&1 ||
    { tail -n 40 "$log"; return 1; }
}

# afl_env: afl-fuzz refuses to start on a machine tuned for something else
# (CPU frequency scaling, a core_pattern that pipes to a crash handler, no
# free core to bind to): none of that matters here. No curses UI either.
afl_env() {
  export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1 AFL_NO_UI=1
}
