#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# fuzz_ossfuzz_local.sh: runs fuzz/ossfuzz_build.sh on this machine with
# OSS-Fuzz's environment variables pointed at clang and libFuzzer
# (address + undefined, as .clusterfuzzlite/project.yaml asks), into
# build-ossfuzz/out, then checks what it wrote: every target, dict,
# options and seed corpus zip is there, and every target runs its unzipped
# seed corpus (-runs=0) and fuzzes for QEMUD_FUZZ_SMOKE_OSSFUZZ_SECONDS
# (default 3) with its .options. Like simdjson's build_like_ossfuzz.sh.
# Exit 77 (skipped) without clang's libFuzzer; 1 under QEMUD_REQUIRE_ALL=1.
set -euo pipefail
cd "$(dirname "$0")/.."
source ci/lib/cli.sh
[ $# -eq 0 ] || ci_usage_error "takes no arguments, not '$1'"
# Without clang's libFuzzer: SKIP and exit 77, or FAIL and exit 1 under
# QEMUD_REQUIRE_ALL=1 (the project's rule for a missing tool).
python3 ci/lib/require_tools.py libfuzzer || exit $?
root=$PWD/build-ossfuzz
export CC=clang CXX=clang++
# -fno-sanitize-recover=undefined: a UBSan report fails the run, as in
# OSS-Fuzz's own flags (and the clang-fuzz preset).
export CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address,undefined -fno-sanitize-recover=undefined -fsanitize-address-use-after-scope -fsanitize=fuzzer-no-link"
export CXXFLAGS="$CFLAGS"
export LIB_FUZZING_ENGINE="-fsanitize=fuzzer"
export SRC=$root/src WORK=$root/work OUT=$root/out
rm -rf "$OUT"
mkdir -p "$SRC" "$WORK" "$OUT"
bash fuzz/ossfuzz_build.sh >"$root/build.log" 2>&1 || { tail -n 40 "$root/build.log"; echo "fuzz_ossfuzz_local: build failed"; exit 1; }

seconds=${QEMUD_FUZZ_SMOKE_OSSFUZZ_SECONDS:-3}
status=0
# Every target the build defines (fuzz/ossfuzz_build.sh builds in $WORK/qemud-ossfuzz-build).
mapfile -t targets < "$WORK/qemud-ossfuzz-build/fuzz/fuzz_targets.txt"
for t in "${targets[@]}"; do
  for f in "$t" "$t.dict" "$t.options" "${t}_seed_corpus.zip"; do
    [ -s "$OUT/$f" ] || { echo "fuzz_ossfuzz_local: FAIL missing $OUT/$f"; status=1; }
  done
  [ -x "$OUT/$t" ] || continue
  seeds=$WORK/seeds/$t
  rm -rf "$seeds" && mkdir -p "$seeds"
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$OUT/${t}_seed_corpus.zip" "$seeds"
  n_seeds=$(find "$seeds" -type f | wc -l)
  max_len=$(sed -n 's/^max_len = //p' "$OUT/$t.options")
  # What the runner image lacks must come from $OUT/lib.
  if ldd "$OUT/$t" | grep -q 'not found\|=> /usr/lib.*libtirpc'; then
    echo "fuzz_ossfuzz_local: FAIL $t needs libraries outside \$OUT/lib:"; ldd "$OUT/$t"; status=1; continue
  fi
  (cd "$OUT" && ./"$t" -runs=0 "$seeds") >"$WORK/$t.replay.log" 2>&1 &&
  (cd "$OUT" && ./"$t" -dict="$t.dict" -max_len="$max_len" -max_total_time="$seconds" -timeout=10 \
     -rss_limit_mb=2560 -artifact_prefix="$WORK/$t-" "$seeds") >"$WORK/$t.fuzz.log" 2>&1 &&
    echo "fuzz_ossfuzz_local: PASS $t ($n_seeds seeds, ${seconds}s)" ||
    { echo "fuzz_ossfuzz_local: FAIL $t"; tail -n 30 "$WORK/$t."*.log; status=1; }
done
exit "$status"
