#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# fuzz_ossfuzz_local.sh: the local ClusterFuzzLite / OSS-Fuzz check. Runs
# .clusterfuzzlite/build.sh (which runs fuzz/ossfuzz_build.sh) the way
# OSS-Fuzz's base-builder image runs a project's build.sh for one fuzzing
# engine and one sanitizer: $SRC (the checkout at $SRC/qemud-harness, the
# build script at $SRC/build.sh), $WORK, $OUT, $CC/$CXX, $CFLAGS/$CXXFLAGS
# and $LIB_FUZZING_ENGINE as its compile scripts set them. Then, in the
# spirit of OSS-Fuzz's bad-build checks, on every target it wrote to $OUT:
#   * the target, its .dict, .options and _seed_corpus.zip are there;
#   * it is instrumented for the engine (libfuzzer: -runs=0 reports at least
#     100 coverage counters; afl: __afl_ symbols, and afl-showmap records
#     at least 100 edges on a seed) and for the sanitizer (calls to __asan_
#     for address, to __ubsan_ for undefined and, there, none to __asan_);
#   * it needs no library outside $OUT/lib beyond libc and libstdc++ (ldd);
#   * it runs an empty input and every file of its unzipped seed corpus
#     (libfuzzer: -runs=0 on the directory; afl: the driver's file arguments,
#     outside afl-fuzz), and libfuzzer builds fuzz for
#     QEMUD_FUZZ_SMOKE_OSSFUZZ_SECONDS (default 3) with their .options.
# Each (engine, sanitizer) pair has its own tree: build-ossfuzz/<engine>-<sanitizer>/
# (src/, work/, out/, build.log).
#
#   ci/fuzz_ossfuzz_local.sh [--engine E] [--sanitizer S] [target...]
#   ci/fuzz_ossfuzz_local.sh --matrix [target...]
#     --engine libfuzzer|afl   default libfuzzer
#     --sanitizer address|undefined|address,undefined
#                  the first two are OSS-Fuzz's flag sets; address,undefined
#                  (the default) is both in one build, which OSS-Fuzz never
#                  builds: one build instead of two for the everyday check
#                  (ctest's fuzz_ossfuzz_local, which fuzz_smoke and
#                  detection reuse), written to .../<engine>-address+undefined/
#     --matrix     every engine with every sanitizer fuzz/oss-fuzz/project.yaml
#                  lists (four pairs), in turn
#     target...    only these (default: every target the build defines)
# Differences from the real image: the compilers are this machine's (clang,
# Debian's afl++ and its driver /usr/lib/afl/libAFLDriver.a); C++ is built
# against libstdc++, not OSS-Fuzz's -stdlib=libc++ (no libc++ headers
# here); AFL++'s compile-option roulette (CMPLOG, LAF, CTX-2, dictionary)
# is left at its defaults.
# Exit 77 (skipped) without clang's libFuzzer, or without AFL++ for afl;
# 1 under QEMUD_REQUIRE_ALL=1.
set -euo pipefail
cd "$(dirname "$0")/.."
source ci/lib/cli.sh

engine=libfuzzer
sanitizer=address,undefined
matrix=0
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --engine)
      engine=$(ci_value "$1" "${2-}"); shift 2
      case "$engine" in libfuzzer | afl) ;; *) ci_usage_error "--engine must be libfuzzer or afl, not '$engine'" ;; esac ;;
    --sanitizer)
      sanitizer=$(ci_value "$1" "${2-}"); shift 2
      case "$sanitizer" in address | undefined | address,undefined) ;;
        *) ci_usage_error "--sanitizer must be address, undefined or address,undefined, not '$sanitizer'" ;; esac ;;
    --matrix) matrix=1; shift ;;
    -*) ci_usage_error "unknown option $1" ;;
    *) targets+=("$1"); shift ;;
  esac
done
ci_fuzz_targets "${targets[@]}"
seconds=${QEMUD_FUZZ_SMOKE_OSSFUZZ_SECONDS:-3}
[[ "$seconds" =~ ^[0-9]+$ ]] || ci_usage_error "QEMUD_FUZZ_SMOKE_OSSFUZZ_SECONDS must be a whole number, not '$seconds'"

if [ "$matrix" -eq 1 ]; then
  status=0
  for pair in libfuzzer:address libfuzzer:undefined afl:address afl:undefined; do
    bash "$0" --engine "${pair%%:*}" --sanitizer "${pair#*:}" "${targets[@]}" || { rc=$?; [ "$status" -ne 0 ] || status=$rc; }
  done
  exit "$status"
fi

# Without the engine's compiler: SKIP and exit 77, or FAIL and exit 1 under
# QEMUD_REQUIRE_ALL=1 (the project's rule for a missing tool).
python3 ci/lib/require_tools.py "$engine" || exit $?

pair=$engine-${sanitizer/,/+}
say() { echo "fuzz_ossfuzz_local[$pair]: $*"; }
root=$PWD/build-ossfuzz/$pair

# base-builder's environment (its Dockerfile and compile, compile_libfuzzer,
# compile_afl scripts): CFLAGS = the base flags, the sanitizer's, the
# engine's coverage flags (none for afl: afl-clang-fast instruments);
# CXXFLAGS = CFLAGS (plus -stdlib=libc++ there).
address="-fsanitize=address -fsanitize-address-use-after-scope"
ub_checks=array-bounds,bool,builtin,enum,float-divide-by-zero,function,integer-divide-by-zero,null,object-size,return,returns-nonnull-attribute,shift,signed-integer-overflow,unsigned-integer-overflow,unreachable,vla-bound,vptr
# Every check stops the run except unsigned overflow (well defined, and
# silenced at run time by the runner's UBSAN_OPTIONS).
undefined="-fsanitize=$ub_checks -fno-sanitize-recover=${ub_checks/unsigned-integer-overflow,/}"
case "$sanitizer" in
  address) sanitizer_flags=$address ;;
  undefined) sanitizer_flags=$undefined ;;
  address,undefined) sanitizer_flags="$address $undefined" ;;
esac
export FUZZING_ENGINE=$engine SANITIZER=$sanitizer ARCHITECTURE=x86_64 FUZZING_LANGUAGE=c++
export CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION $sanitizer_flags"
if [ "$engine" = libfuzzer ]; then
  export CC=clang CXX=clang++ LIB_FUZZING_ENGINE=-fsanitize=fuzzer
  export CFLAGS="$CFLAGS -fsanitize=fuzzer-no-link"
else
  export CC=afl-clang-fast CXX=afl-clang-fast++ LIB_FUZZING_ENGINE=/usr/lib/afl/libAFLDriver.a
  # compile_afl's defaults: a quiet compiler wrapper, no leak reports from
  # programs the build runs (xdrc, qemud-fuzz-dict are instrumented too).
  export AFL_QUIET=1 AFL_LLVM_MODE_WORKAROUND=0 AFL_ENABLE_DICTIONARY=0 AFL_ENABLE_CMPLOG=1
  export ASAN_OPTIONS="detect_leaks=0:symbolize=0:detect_odr_violation=0:abort_on_error=1"
fi
export CXXFLAGS="$CFLAGS"
export SRC=$root/src WORK=$root/work OUT=$root/out
if [ ${#targets[@]} -gt 0 ]; then
  export QEMUD_FUZZ_TARGETS="${targets[*]}"
else
  unset QEMUD_FUZZ_TARGETS
fi
rm -rf "$OUT" "$SRC"
mkdir -p "$SRC" "$WORK" "$OUT"
# The image's layout: the checkout in $SRC/qemud-harness (here a link to
# this one), .clusterfuzzlite/build.sh copied to $SRC/build.sh, run from
# the checkout (the Dockerfile's WORKDIR) as compile runs it. (cd -P: the
# link's own path as the working directory would make CMake write its
# build tree's paths through the link, inside the checkout.)
ln -s "$PWD" "$SRC/qemud-harness"
cp .clusterfuzzlite/build.sh "$SRC/build.sh"
say "CFLAGS=$CFLAGS LIB_FUZZING_ENGINE=$LIB_FUZZING_ENGINE"
(cd -P "$SRC/qemud-harness" && bash -eux "$SRC/build.sh") >"$root/build.log" 2>&1 ||
  { tail -n 40 "$root/build.log"; say "build failed (log: $root/build.log)"; exit 1; }
unset ASAN_OPTIONS

# What ran under OSS-Fuzz's runner: its sanitizer options.
export UBSAN_OPTIONS=print_stacktrace=1:print_summary=1:silence_unsigned_overflow=1
export AFL_NO_UI=1 AFL_QUIET=1
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < "$WORK/qemud-ossfuzz-build/fuzz/fuzz_targets.txt"
system='^(linux-vdso|libc|libm|libdl|librt|libpthread|libresolv|libstdc\+\+|libgcc_s|ld-linux.*)\.so'
empty=$WORK/empty-input
: >"$empty"
status=0
fail() { say "FAIL $t: $*"; status=1; }
for t in "${targets[@]}"; do
  missing=0
  for f in "$t" "$t.dict" "$t.options" "${t}_seed_corpus.zip"; do
    [ -s "$OUT/$f" ] || { fail "missing $OUT/$f"; missing=1; }
  done
  [ "$missing" -eq 0 ] || continue
  log=$WORK/$t.log
  : >"$log"

  # Libraries: each one the loader resolves is a system library or in $OUT/lib.
  bad_libs=$(ldd "$OUT/$t" | awk '$2 == "=>" {print $1, $3}' | while read -r name path; do
    [[ "$name" =~ $system ]] || [ "$(dirname "$path")" = "$OUT/lib" ] || echo "$name => $path"
  done)
  [ -z "$bad_libs" ] || { fail "needs libraries outside \$OUT/lib: $(echo $bad_libs)"; continue; }

  # The sanitizer's instrumentation, counted as OSS-Fuzz's check_*_build do,
  # but for the calls AFL++'s runtime and driver make in every AFL++ build
  # to ASan's poisoning interface (weak symbols, no-ops without ASan).
  read -r asan ubsan < <(objdump -d --no-show-raw-insn "$OUT/$t" |
    awk '/call.*<__asan_/ && !/<__asan_(un)?poison_memory_region>|<__asan_region_is_poisoned>/ {a++}
         /call.*<__ubsan_handle/ {u++} END {print a + 0, u + 0}')
  case "$sanitizer" in
    address) [ "$asan" -gt 1000 ] || { fail "only $asan calls to __asan_ (not an ASan build?)"; continue; } ;;
    undefined)
      [ "$ubsan" -gt 0 ] || { fail "no calls to __ubsan_ (not a UBSan build?)"; continue; }
      [ "$asan" -eq 0 ] || { fail "$asan calls to __asan_ in an undefined build"; continue; } ;;
    address,undefined) [ "$asan" -gt 1000 ] && [ "$ubsan" -gt 0 ] || { fail "$asan calls to __asan_, $ubsan to __ubsan_"; continue; } ;;
  esac

  seeds=$WORK/seeds/$t
  rm -rf "$seeds" && mkdir -p "$seeds"
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$OUT/${t}_seed_corpus.zip" "$seeds"
  n_seeds=$(find "$seeds" -type f | wc -l)
  [ "$n_seeds" -gt 0 ] || { fail "empty seed corpus"; continue; }
  first_seed=$(find "$seeds" -type f | sort | sed -n 1p)  # sed, not head: no SIGPIPE under pipefail

  if [ "$engine" = libfuzzer ]; then
    max_len=$(sed -n 's/^max_len = //p' "$OUT/$t.options")
    (cd "$OUT" && timeout 120 ./"$t" -runs=1 "$empty") >>"$log" 2>&1 || { fail "the empty input (log: $log)"; tail -n 20 "$log"; continue; }
    (cd "$OUT" && timeout 600 ./"$t" -runs=0 -rss_limit_mb=2560 -timeout=25 "$seeds") >>"$log" 2>&1 ||
      { fail "its seed corpus (log: $log)"; tail -n 20 "$log"; continue; }
    # check_engine's edge count: "INFO: Loaded 1 modules (N inline 8-bit counters)".
    edges=$(sed -n 's/^INFO: Loaded [0-9]* modules* *(\([0-9]*\) .*/\1/p' "$log" | sed -n 1p)
    [ "${edges:-0}" -ge 100 ] || { fail "${edges:-no} coverage counters (not built with -fsanitize=fuzzer-no-link?)"; continue; }
    if [ "$seconds" -gt 0 ]; then
      (cd "$OUT" && timeout $((seconds + 120)) ./"$t" -dict="$t.dict" -max_len="$max_len" -max_total_time="$seconds" \
         -timeout=10 -rss_limit_mb=2560 -artifact_prefix="$WORK/$t-" "$seeds") >>"$log" 2>&1 ||
        { fail "fuzzing ${seconds}s (log: $log)"; tail -n 30 "$log"; continue; }
    fi
    say "PASS $t: $edges counters, $asan/$ubsan calls to __asan_/__ubsan_, empty input and $n_seeds seeds run, ${seconds}s fuzzed"
  else
    afl_symbols=$(nm "$OUT/$t" | grep -c ' __afl_' || true)  # -c, not -q: nm must not die of SIGPIPE
    [ "$afl_symbols" -gt 0 ] || { fail "no __afl_ symbols (not built by afl-clang-fast?)"; continue; }
    # Outside afl-fuzz the driver runs each file it is given once
    # (AFL_DRIVER_DONT_DEFER: no fork server to wait for).
    (cd "$OUT" && AFL_DRIVER_DONT_DEFER=1 timeout 120 ./"$t" "$empty") >>"$log" 2>&1 ||
      { fail "the empty input (log: $log)"; tail -n 20 "$log"; continue; }
    (cd "$OUT" && find "$seeds" -type f -print0 | sort -z |
       AFL_DRIVER_DONT_DEFER=1 timeout 600 xargs -0 ./"$t") >>"$log" 2>&1 ||
      { fail "its seed corpus (log: $log)"; tail -n 20 "$log"; continue; }
    # The edges AFL++ records for one seed: the instrumentation works
    # under afl's own tools, not only that its symbols are there.
    edges=$( (cd "$OUT" && AFL_DRIVER_DONT_DEFER=1 timeout 120 afl-showmap -q -m none -t 10000 -o "$WORK/$t.map" -- ./"$t" "$first_seed") >>"$log" 2>&1;
             wc -l <"$WORK/$t.map" 2>/dev/null || echo 0)
    [ "$edges" -ge 100 ] || { fail "afl-showmap saw $edges edges on $(basename "$first_seed") (log: $log)"; continue; }
    say "PASS $t: $edges edges on one seed, $asan/$ubsan calls to __asan_/__ubsan_, empty input and $n_seeds seeds run"
  fi
done
exit "$status"
