#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# fuzz_campaign.sh: one command for a fuzzing campaign on this machine.
#
#   ci/fuzz_campaign.sh [-t SECONDS] [-j JOBS] [--no-build] [--no-coverage]
#                       [--merge-into-corpus|--minimize-corpus] [target...]
#
# For each target (default: every target fuzz/CMakeLists.txt defines), in
# turn: runs the libFuzzer binary of the clang-fuzz preset (ASan + UBSan) on
# JOBS cores (-fork, default nproc) for SECONDS (default 600) with
# -rss_limit_mb and -timeout, printing its progress; merges the committed
# corpus and the new inputs into the campaign's own corpus/<target>/
# (-merge=1: only inputs that add coverage). The committed corpus/ is left
# alone unless --merge-into-corpus (the new inputs that add coverage are
# added to corpus/<target>/) or --minimize-corpus (corpus/<target>/ is
# replaced by the minimized merge);
# collects crashes, leaks, timeouts and OOMs, groups them by the stable
# finding title or sanitizer summary plus the top frames, and minimizes one
# per group. Then (unless --no-coverage) builds the coverage preset, replays
# every corpus and writes a source coverage report of the decoders
# (reference/: HTML and a text summary). Prints a summary at the end.
# Everything goes to build-fuzz/campaign/<date>/; exit 1 if anything was
# found, 2 if a fuzzer failed without a finding (it could not start, or
# died; the summary names the target), 0 otherwise. --no-build uses the
# binaries already in the build directory (QEMUD_FUZZ_BUILD_DIR, default
# build-fuzz). The environment reaches the targets: e.g.
# QEMUD_CXX_SIMD=portable (or sse2, avx2) fuzzes the cxx runtime's other
# element kernels, QEMUD_FUZZ_CODECS=rpcgen,cxx a subset of implementations.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=600
jobs=$(nproc)
coverage=1
minimize_corpus=0
build_first=1
targets=()
source ci/lib/cli.sh
number() { ci_value "$1" "${2-}" >/dev/null; [[ "$2" =~ ^[1-9][0-9]*$ ]] || ci_usage_error "$1 needs a positive whole number, not '$2'"; }
while [ $# -gt 0 ]; do
  case "$1" in
    -t) number -t "${2-}"; seconds=$2; shift 2 ;;
    -j) number -j "${2-}"; jobs=$2; shift 2 ;;
    --no-coverage) coverage=0; shift ;;
    --no-build) build_first=0; shift ;;
    --merge-into-corpus) [ "$minimize_corpus" -eq 0 ] || ci_usage_error "give one of --merge-into-corpus, --minimize-corpus"
      minimize_corpus=2; shift ;;
    --minimize-corpus) [ "$minimize_corpus" -eq 0 ] || ci_usage_error "give one of --merge-into-corpus, --minimize-corpus"
      minimize_corpus=1; shift ;;
    -*) ci_usage_error "unknown option $1" ;;
    *) targets+=("$1"); shift ;;
  esac
done
ci_fuzz_targets "${targets[@]+"${targets[@]}"}"
tool() { command -v "$1" || command -v "$1-14" || { echo "fuzz_campaign: $1 not found" >&2; exit 2; }; }

build=${QEMUD_FUZZ_BUILD_DIR:-build-fuzz}
out=$build/campaign/$(date +%Y%m%d-%H%M%S)
mkdir -p "$out"
if [ "$build_first" -eq 1 ]; then cmake --preset clang-fuzz >/dev/null; fi
# Every target the build defines (qemud_add_fuzzer lists them).
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < "$build/fuzz/fuzz_targets.txt"
echo "fuzz_campaign: ${targets[*]}, ${seconds}s each on $jobs jobs; output in $out"
if [ "$build_first" -eq 1 ]; then
  cmake --build "$build" --target "${targets[@]}" -- -j"$(nproc)" | tail -n 1
fi

summary=()
found=0
broken=0
for t in "${targets[@]}"; do
  bin=$build/fuzz/$t
  dir=$out/$t
  mkdir -p "$dir/new" "$dir/crashes" "$dir/minimized" "corpus/$t"
  max_len=$(sed -n 's/^max_len = //p' "$build/fuzz/$t.options")
  echo "== $t: fuzzing for ${seconds}s"
  # -fork keeps going after a crash (-ignore_*), writing each to crashes/;
  # new coverage goes to new/ (the first corpus dir).
  "$bin" -fork="$jobs" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
    -max_total_time="$seconds" -rss_limit_mb=2560 -malloc_limit_mb=2560 -timeout=25 \
    -max_len="$max_len" -dict="$build/fuzz/$t.dict" -artifact_prefix="$dir/crashes/" \
    "$dir/new" "corpus/$t" 2>&1 | tee "$dir/fuzz.log" |
    awk -v t="$t" '/^#[0-9]+: cov:/ { match($0, /time: [0-9]+/); s = substr($0, RSTART + 6, RLENGTH - 6);
                                      match($0, /crash: [0-9\/]+/); c = substr($0, RSTART, RLENGTH);
                                      if (s - last >= 10 || c != lastc) { print "  " t " " $0; last = s; lastc = c; fflush() }  }' &&
    status=0 || status=${PIPESTATUS[0]}
  last=$(grep -E '^#[0-9]+: cov:' "$dir/fuzz.log" | tail -n 1 || true)
  # A fuzzer that failed with nothing in crashes/ did not fuzz (it could
  # not start, or died outside an input): that is no pass.
  if [ "$status" -ne 0 ] && ! compgen -G "$dir/crashes/*" >/dev/null; then
    echo "fuzz_campaign: $t: the fuzzer exited with status $status and no finding; see $dir/fuzz.log" >&2
    summary+=("  $t: FUZZER FAILED (exit $status, no finding); see $dir/fuzz.log")
    broken=1
    continue
  fi

  # The campaign's corpus: the committed one and the new inputs, merged
  # (only what adds coverage), in the campaign folder. corpus/ changes only
  # when asked.
  before=$(find "corpus/$t" -type f | wc -l)
  mkdir -p "$dir/corpus"
  "$bin" -merge=1 -rss_limit_mb=2560 -timeout=25 "$dir/corpus" "corpus/$t" "$dir/new" >"$dir/merge.log" 2>&1
  if [ "$minimize_corpus" -eq 1 ]; then
    rm -rf "corpus/$t" && cp -r "$dir/corpus" "corpus/$t"
  elif [ "$minimize_corpus" -eq 2 ]; then
    "$bin" -merge=1 -rss_limit_mb=2560 -timeout=25 "corpus/$t" "$dir/new" >>"$dir/merge.log" 2>&1
  fi
  after=$(find "$dir/corpus" -type f | wc -l)

  # Group crashes: the stable title (or sanitizer summary) and top frames.
  declare -A groups=()
  for c in "$dir"/crashes/*; do
    [ -f "$c" ] || continue
    log=$c.log
    "$bin" -runs=1 -rss_limit_mb=2560 -timeout=25 "$c" >"$log" 2>&1 || true
    # A comparator finding is keyed by its title alone (it names the
    # implementations, kind, arm and what); anything else by the sanitizer
    # summary and the top three frames of project code.
    title=$(grep -m1 -E '^qemud-harness:' "$log" || true)
    if [ -n "$title" ]; then
      key=$title
    else
      title=$(grep -m1 -E '^SUMMARY: |^==[0-9]+== ERROR: libFuzzer' "$log" | sed -E 's/^==[0-9]+== //' || basename "$c" | cut -d- -f1)
      frames=$(grep -E '^\s+#[0-9]+ 0x[0-9a-f]+ in ' "$log" | grep -E "$PWD/(reference|fuzz|conformance)/|generated/" |
               grep -vE 'fuzz/replay_main|LLVMFuzzerTestOneInput' | head -n 3 | sed -E 's/.* in ([^ (]+).*/\1/' | tr '\n' ' ')
      key="$title | $frames"
    fi
    if [ -z "${groups[$key]:-}" ]; then
      groups[$key]=$c
    fi
    echo "$key" >>"$dir/crashes/groups.txt"
  done
  n_groups=${#groups[@]}
  i=0
  while IFS= read -r key; do
    [ -n "$key" ] || continue
    i=$((i + 1))
    c=${groups[$key]}
    m=$dir/minimized/$t-group$i-$(basename "$c")
    # Minimize the first QEMUD_FUZZ_MINIMIZE_GROUPS groups (default 10),
    # 20 s each; the rest keep their first crash as found.
    if [ "$i" -le "${QEMUD_FUZZ_MINIMIZE_GROUPS:-10}" ]; then
      "$bin" -minimize_crash=1 -max_total_time=20 -runs=100000 -rss_limit_mb=2560 -timeout=25 \
        -exact_artifact_path="$m" "$c" >"$m.log" 2>&1 || true
    fi
    [ -f "$m" ] || cp "$c" "$m"
    count=$(grep -cxF "$key" "$dir/crashes/groups.txt" || true)
    summary+=("  $t FINDING x$count: $key -> $m")
    found=1
  done < <(printf '%s\n' "${!groups[@]}" | sort)
  unset groups
  summary+=("  $t: ${last:-no progress line}; corpus $before -> $after files ($dir/corpus$([ "$minimize_corpus" -eq 0 ] || echo ", merged into corpus/$t")); $n_groups finding group(s)")
done

if [ "$coverage" -eq 1 ]; then
  echo "== coverage report"
  profdata=$(tool llvm-profdata)
  llvmcov=$(tool llvm-cov)
  cmake --preset coverage >/dev/null
  cmake --build build-coverage --target "${targets[@]}" -- -j"$(nproc)" | tail -n 1
  rm -rf "$out/profraw" && mkdir -p "$out/profraw"
  objects=()
  for t in "${targets[@]}"; do
    LLVM_PROFILE_FILE="$out/profraw/$t-%p.profraw" build-coverage/fuzz/"$t" -runs=0 -rss_limit_mb=4096 \
      "$([ -d "$out/$t/corpus" ] && echo "$out/$t/corpus" || echo "corpus/$t")" >"$out/$t/coverage-run.log" 2>&1 ||
      echo "fuzz_campaign: coverage replay of $t failed, see $out/$t/coverage-run.log"
    objects+=(-object "build-coverage/fuzz/$t")
  done
  "$profdata" merge -sparse "$out"/profraw/*.profraw -o "$out/coverage.profdata"
  # The decoders: reference/ (runtime, codecs, stream) and the generated
  # model and rpcgen C; not the test, fuzz and xdrc code.
  ignore='(/usr/|conformance/|fuzz/|xdrc/|protocol_text\.gen)'
  "$llvmcov" report "${objects[@]:1}" -instr-profile="$out/coverage.profdata" \
    -ignore-filename-regex="$ignore" >"$out/coverage.txt"
  "$llvmcov" show "${objects[@]:1}" -instr-profile="$out/coverage.profdata" -format=html \
    -ignore-filename-regex="$ignore" -show-line-counts-or-regions -output-dir="$out/coverage-html" >/dev/null
  "$llvmcov" show "${objects[@]:1}" -instr-profile="$out/coverage.profdata" -format=text \
    -ignore-filename-regex="$ignore" >"$out/coverage-lines.txt"
  summary+=("  coverage: $(tail -n 1 "$out/coverage.txt" | awk '{print "regions " $4 ", functions " $7 ", lines " $10}')")
  summary+=("  coverage report: $out/coverage-html/index.html, $out/coverage.txt")
fi

echo "== fuzz_campaign summary ($out)"
printf '%s\n' "${summary[@]}"
[ "$broken" -eq 0 ] || exit 2
exit "$found"
