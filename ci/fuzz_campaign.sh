#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# fuzz_campaign.sh: one command for a fuzzing campaign on this machine.
#
#   ci/fuzz_campaign.sh [--engine libfuzzer|afl|both] [-t SECONDS] [-j JOBS]
#                       [--no-build] [--no-coverage]
#                       [--merge-into-corpus|--minimize-corpus] [target...]
#
# For each target (default: every target fuzz/CMakeLists.txt defines), in
# turn, fuzzes for SECONDS (default 600) on JOBS cores (default nproc) with
# the engine chosen (default libfuzzer):
#   libfuzzer  the libFuzzer binary of the clang-fuzz preset (ASan + UBSan)
#              in -fork=JOBS mode with -rss_limit_mb and -timeout, printing
#              its progress;
#   afl        AFL++: the target built with afl-clang-fast (ASan + UBSan,
#              AFL++'s libFuzzer driver, fuzz/ossfuzz_build.sh, as
#              ci/fuzz_afl_smoke.sh builds it) into build-afl-campaign/out,
#              JOBS afl-fuzz instances (-M main, -S s1...) with the
#              structure-aware custom mutator (libqemud_afl_mutator.so, the
#              afl-mutator preset), the target's dictionary (-x) and its
#              committed corpus as seeds;
#   both       one engine per core: JOBS/2 afl-fuzz instances (at least
#              one) and libFuzzer on the rest (at least one), sharing what
#              they find: afl-fuzz's main instance syncs libFuzzer's new
#              inputs (-F; every 30 s: AFL_SYNC_TIME=1, halved for -M),
#              and libFuzzer runs in rounds of QEMUD_FUZZ_SYNC_SECONDS
#              (default 60), each reading the afl-fuzz queues afresh.
# Then merges the committed corpus and what the engines found into the
# campaign's own corpus/<target>/ (libFuzzer -merge=1: only inputs that add
# coverage; with afl alone, afl-cmin). The committed corpus/ is left alone
# unless --merge-into-corpus (the new inputs that add coverage are added to
# corpus/<target>/) or --minimize-corpus (corpus/<target>/ is replaced by
# the minimized merge);
# collects crashes, leaks, timeouts and OOMs (afl-fuzz's crashes and hangs
# too, into the same crashes/ folder, named crash-<sha1> and
# timeout-<sha1>), groups them by the stable finding title or sanitizer
# summary plus the top frames, and minimizes one per group (libFuzzer
# -minimize_crash; afl-tmin with afl alone). Then (unless --no-coverage)
# builds the coverage preset, replays every corpus and writes a source
# coverage report of the decoders (reference/: HTML and a text summary).
# Prints a summary at the end.
#
# Everything goes to build-fuzz/campaign/<date>/: per target progress.csv
# (engine, time_s, execs, execs_per_s, coverage, features, corpus_size,
# crashes: libFuzzer's status lines, afl-fuzz's plot_data), summary.json,
# coverage.png and execs_per_s.png (python3-matplotlib; left out with a note
# without it), the engines' logs, corpus/, crashes/, minimized/; for the
# campaign summary.json and index.html, which links all of it and the
# coverage report (ci/lib/campaign_report.py writes them).
# Exit 1 if anything was found, 2 if a fuzzer failed without a finding (it
# could not start, or died; the summary names the target) or afl++ is
# missing for --engine afl|both, 0 otherwise. --no-build uses the binaries
# already built: the libFuzzer ones in QEMUD_FUZZ_BIN_DIR (default
# QEMUD_FUZZ_BUILD_DIR/fuzz, QEMUD_FUZZ_BUILD_DIR default build-fuzz), the
# AFL++ ones in QEMUD_AFL_BIN_DIR (default build-afl-campaign/out), the
# mutator in build-afl-mutator/. The environment reaches the targets: e.g.
# QEMUD_CXX_SIMD=portable (or sse2, avx2) fuzzes the cxx runtime's other
# element kernels, QEMUD_FUZZ_CODECS=rpcgen,cxx a subset of implementations.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=600
jobs=$(nproc)
engine=libfuzzer
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
    --engine) ci_value --engine "${2-}" >/dev/null
      case "$2" in libfuzzer | afl | both) engine=$2 ;; *) ci_usage_error "--engine is libfuzzer, afl or both, not '$2'" ;; esac
      shift 2 ;;
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
use_lf=0 use_afl=0
case "$engine" in libfuzzer) use_lf=1 ;; afl) use_afl=1 ;; both) use_lf=1 use_afl=1 ;; esac
if [ "$use_afl" -eq 1 ]; then
  python3 ci/lib/require_tools.py afl >&2 || { echo "fuzz_campaign: --engine $engine needs afl++" >&2; exit 2; }
fi
# The reports: an interpreter with matplotlib for the plots (Debian's
# python3-matplotlib is in the system python3), else python3 without plots.
report_py=python3
for py in python3 /usr/bin/python3; do
  if "$py" -c 'import matplotlib' 2>/dev/null; then report_py=$py; break; fi
done
source ci/lib/afl.sh

build=${QEMUD_FUZZ_BUILD_DIR:-build-fuzz}
bin_dir=${QEMUD_FUZZ_BIN_DIR:-$build/fuzz}
afl_root=${QEMUD_AFL_BUILD_DIR:-build-afl-campaign}
afl_dir=${QEMUD_AFL_BIN_DIR:-$afl_root/out}
out=$build/campaign/$(date +%Y%m%d-%H%M%S)
mkdir -p "$out"
out=$(cd "$out" && pwd)
# Every target the build defines (qemud_add_fuzzer lists them).
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(sed -n 's/^qemud_add_fuzzer(\([a-z_]*\).*/\1/p' fuzz/CMakeLists.txt)
# One engine per core with both: afl-fuzz on half the jobs, libFuzzer on the rest.
lf_jobs=$jobs afl_jobs=$jobs
if [ "$engine" = both ]; then
  afl_jobs=$((jobs / 2)); [ "$afl_jobs" -ge 1 ] || afl_jobs=1
  lf_jobs=$((jobs - afl_jobs)); [ "$lf_jobs" -ge 1 ] || lf_jobs=1
fi
echo "fuzz_campaign: ${targets[*]}, ${seconds}s each, engine $engine ($([ "$use_lf" -eq 0 ] || echo "libFuzzer -fork=$lf_jobs")$([ "$engine" != both ] || echo ", ")$([ "$use_afl" -eq 0 ] || echo "$afl_jobs afl-fuzz")); output in $out"
if [ "$build_first" -eq 1 ] && [ "$use_lf" -eq 1 ]; then
  cmake --preset clang-fuzz >/dev/null
  cmake --build "$build" --target "${targets[@]}" -- -j"$(nproc)" | tail -n 1
fi
if [ "$build_first" -eq 1 ] && [ "$use_afl" -eq 1 ]; then
  echo "== AFL++ build ($afl_root/build.log) and custom mutator ($afl_root/mutator.log)"
  mkdir -p "$afl_root"
  afl_build "$afl_root" "${targets[@]}" || { echo "fuzz_campaign: the AFL++ build failed" >&2; exit 2; }
  afl_mutator_build "$afl_root/mutator.log" || { echo "fuzz_campaign: the custom mutator's build or check failed" >&2; exit 2; }
fi
mutator=$PWD/$AFL_MUTATOR
if [ "$use_afl" -eq 1 ] && [ ! -f "$mutator" ]; then
  echo "fuzz_campaign: no custom mutator at $mutator (build it: cmake --preset afl-mutator && cmake --build build-afl-mutator --target qemud_afl_mutator)" >&2
  exit 2
fi
if [ "$use_afl" -eq 1 ]; then
  afl_env
  # The main afl-fuzz syncs the foreign (libFuzzer) inputs every 30 s
  # (AFL_SYNC_TIME minutes, halved for a main instance), not every 15 min.
  export AFL_SYNC_TIME=1
fi

# afl_start T DIR SECONDS [FOREIGN]: afl_jobs instances in the background
# (their pids in afl_pids), output in DIR/afl/<main|sN>/, logs DIR/afl-<name>.log.
afl_start() {
  local t=$1 dir=$2 secs=$3 foreign=${4-} i name role
  afl_pids=()
  for ((i = 0; i < afl_jobs; i++)); do
    if [ "$i" -eq 0 ]; then name=main role=(-M main ${foreign:+-F "$foreign"}); else name=s$i role=(-S "$name"); fi
    # -V: stop after that many seconds; -m none: ASan reserves terabytes
    # of address space; -t: per-input timeout in ms, libFuzzer's -timeout=25.
    (cd "$afl_dir" && QEMUD_FUZZ_SURFACE=$t AFL_CUSTOM_MUTATOR_LIBRARY=$mutator \
       exec afl-fuzz -V "$secs" -i "$PWD_ABS/corpus/$t" -o "$dir/afl" "${role[@]}" -x "$t.dict" -m none -t 25000 \
       -- "./$t") >"$dir/afl-$name.log" 2>&1 &
    afl_pids+=($!)
  done
}
PWD_ABS=$PWD

# afl_monitor T DIR: every 10 s a line from the main instance's fuzzer_stats.
afl_monitor() {
  local t=$1 stats=$2/afl/main/fuzzer_stats
  while sleep 10; do
    [ -f "$stats" ] || continue
    awk -v t="$t" -F ' *: *' '{ v[$1] = $2 } END { printf "  %s afl main: run_time %ss execs %s exec/s %s edges %s corpus %s crashes %s hangs %s\n",
      t, v["run_time"], v["execs_done"], v["execs_per_sec"], v["edges_found"], v["corpus_count"], v["saved_crashes"], v["saved_hangs"] }' "$stats"
  done
}

# lf_run T DIR SECONDS DIRS...: one libFuzzer -fork run, its log appended
# to DIR/fuzz.log, progress printed every 10 s; sets lf_status.
lf_run() {
  local t=$1 dir=$2 secs=$3
  shift 3
  # -fork keeps going after a crash (-ignore_*), writing each to crashes/;
  # new coverage goes to new/ (the first corpus dir).
  "$bin_dir/$t" -fork="$lf_jobs" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
    -max_total_time="$secs" -rss_limit_mb=2560 -malloc_limit_mb=2560 -timeout=25 \
    -max_len="$max_len" -dict="$bin_dir/$t.dict" -artifact_prefix="$dir/crashes/" \
    "$dir/new" "$@" 2>&1 | tee -a "$dir/fuzz.log" |
    awk -v t="$t" '/^#[0-9]+: cov:/ { match($0, /time: [0-9]+/); s = substr($0, RSTART + 6, RLENGTH - 6);
                                      match($0, /crash: [0-9\/]+/); c = substr($0, RSTART, RLENGTH);
                                      if (s - last >= 10 || c != lastc) { print "  " t " " $0; last = s; lastc = c; fflush() }  }' &&
    lf_status=0 || lf_status=${PIPESTATUS[0]}
}

# repro FILE: runs one input once (libFuzzer's binary when there is one).
repro() {
  if [ "$use_lf" -eq 1 ]; then
    "$bin_dir/$t" -runs=1 -rss_limit_mb=2560 -timeout=25 "$1"
  else
    timeout 60 "$afl_dir/$t" "$1"
  fi
}

summary=()
found=0
broken=0
for t in "${targets[@]}"; do
  bin=$bin_dir/$t
  dir=$out/$t
  mkdir -p "$dir/new" "$dir/crashes" "$dir/minimized" "corpus/$t"
  : >"$dir/findings.tsv"
  max_len=$(sed -n 's/^max_len = //p' "$([ "$use_lf" -eq 1 ] && echo "$bin_dir" || echo "$afl_dir")/$t.options")
  before=$(find "corpus/$t" -type f | wc -l)
  echo "== $t: fuzzing for ${seconds}s ($engine)"
  failed=()
  afl_pids=()
  monitor=
  if [ "$use_afl" -eq 1 ]; then
    afl_start "$t" "$dir" "$seconds" "$([ "$engine" = both ] && echo "$dir/new")"
    afl_monitor "$t" "$dir" &
    monitor=$!
  fi
  if [ "$engine" = libfuzzer ]; then
    lf_run "$t" "$dir" "$seconds" "corpus/$t"
    [ "$lf_status" -eq 0 ] || failed+=("exit $lf_status")
  elif [ "$engine" = both ]; then
    # Rounds: each libFuzzer start reads the afl-fuzz queues as they are then.
    round=${QEMUD_FUZZ_SYNC_SECONDS:-60}
    elapsed=0
    while [ "$elapsed" -lt "$seconds" ]; do
      this=$((seconds - elapsed < round ? seconds - elapsed : round))
      queues=()
      for q in "$dir"/afl/*/queue; do [ -d "$q" ] && queues+=("$q"); done
      echo "qemud-campaign: round at ${elapsed}s for ${this}s, reading ${#queues[@]} afl-fuzz queue(s)" >>"$dir/fuzz.log"
      lf_run "$t" "$dir" "$this" "corpus/$t" "${queues[@]+"${queues[@]}"}"
      [ "$lf_status" -eq 0 ] || failed+=("libFuzzer exit $lf_status in the round at ${elapsed}s")
      elapsed=$((elapsed + this))
    done
  fi
  for i in "${!afl_pids[@]}"; do
    rc=0
    wait "${afl_pids[$i]}" || rc=$?
    name=$([ "$i" -eq 0 ] && echo main || echo "s$i")
    if [ "$rc" -ne 0 ] || [ ! -s "$dir/afl/$name/fuzzer_stats" ]; then
      failed+=("afl-fuzz $name exit $rc")
      tail -n 15 "$dir/afl-$name.log" >&2
    fi
  done
  if [ -n "$monitor" ]; then kill "$monitor" 2>/dev/null || true; wait "$monitor" 2>/dev/null || true; fi
  # afl-fuzz's crashes and hangs join libFuzzer's, named as libFuzzer names
  # them (the same input found by both is one file).
  for f in "$dir"/afl/*/crashes/id:* "$dir"/afl/*/hangs/id:*; do
    [ -f "$f" ] || continue
    kind=$([[ "$f" == */hangs/* ]] && echo timeout || echo crash)
    cp "$f" "$dir/crashes/$kind-$(sha1sum "$f" | cut -c1-40)"
  done
  last=$(grep -E '^#[0-9]+: cov:' "$dir/fuzz.log" 2>/dev/null | tail -n 1 || true)
  afl_last=
  if [ "$use_afl" -eq 1 ]; then
    afl_last=$(cat "$dir"/afl/*/fuzzer_stats 2>/dev/null | awk -F ' *: *' '
      $1 == "execs_done" { e += $2 } $1 == "execs_per_sec" { s += $2 } $1 == "edges_found" && $2 > c { c = $2 }
      $1 == "corpus_count" && $2 > q { q = $2 }
      END { printf "afl: %d execs, %.0f exec/s, %d edges, queue %d", e, s, c, q }')
  fi
  # A fuzzer that failed with nothing in crashes/ did not fuzz (it could
  # not start, or died outside an input): that is no pass.
  if [ ${#failed[@]} -gt 0 ] && ! compgen -G "$dir/crashes/*" >/dev/null; then
    logs=$([ "$use_lf" -eq 0 ] || echo "$dir/fuzz.log")$([ "$engine" != both ] || echo " ")$([ "$use_afl" -eq 0 ] || echo "$dir/afl-*.log")
    reasons=$(IFS=';'; echo "${failed[*]}" | sed 's/;/, /g')
    echo "fuzz_campaign: $t: the fuzzer failed ($reasons) and found nothing; see $logs" >&2
    summary+=("  $t: FUZZER FAILED ($reasons, no finding); see $logs")
    "$report_py" ci/lib/campaign_report.py target "$dir" --target "$t" --engines "${engine/both/libfuzzer,afl}" \
      --seconds "$seconds" --corpus-before "$before" --corpus-after "$before" --status "fuzzer failed" \
      --libfuzzer-log "$dir/fuzz.log" --afl-out "$dir/afl" || true
    broken=1
    continue
  fi

  # The campaign's corpus: the committed one and the new inputs, merged
  # (only what adds coverage), in the campaign folder. corpus/ changes only
  # when asked.
  mkdir -p "$dir/corpus"
  queues=()
  for q in "$dir"/afl/*/queue; do [ -d "$q" ] && queues+=("$q"); done
  if [ "$use_lf" -eq 1 ]; then
    # An input that crashes the merge is written to crashes/ (not to the
    # current directory, libFuzzer's default), where it is grouped.
    "$bin" -merge=1 -rss_limit_mb=2560 -timeout=25 -artifact_prefix="$dir/crashes/" \
      "$dir/corpus" "corpus/$t" "$dir/new" "${queues[@]+"${queues[@]}"}" >"$dir/merge.log" 2>&1
  else
    # afl alone: afl-cmin over the committed corpus and the queues, flat.
    rm -rf "$dir/cmin-in" && mkdir -p "$dir/cmin-in"
    find "corpus/$t" "${queues[@]+"${queues[@]}"}" -maxdepth 1 -type f -exec cp -t "$dir/cmin-in" {} + 2>/dev/null || true
    rm -rf "$dir/corpus"
    (cd "$afl_dir" && afl-cmin -i "$dir/cmin-in" -o "$dir/corpus" -m none -t 25000 -- "./$t") >"$dir/merge.log" 2>&1 ||
      { echo "fuzz_campaign: afl-cmin failed (see $dir/merge.log); the corpus is every input" >&2
        rm -rf "$dir/corpus"; cp -r "$dir/cmin-in" "$dir/corpus"; }
    # Committed corpus files are named by their SHA-1.
    (cd "$dir/corpus" && sha1sum -- * | while read -r h f; do [ "$f" = "$h" ] || mv -f -- "$f" "$h"; done) 2>/dev/null || true
    rm -rf "$dir/cmin-in"
  fi
  if [ "$minimize_corpus" -eq 1 ]; then
    rm -rf "corpus/$t" && cp -r "$dir/corpus" "corpus/$t"
  elif [ "$minimize_corpus" -eq 2 ]; then
    if [ "$use_lf" -eq 1 ]; then
      "$bin" -merge=1 -rss_limit_mb=2560 -timeout=25 -artifact_prefix="$dir/crashes/" \
        "corpus/$t" "$dir/new" "${queues[@]+"${queues[@]}"}" >>"$dir/merge.log" 2>&1
    else
      for f in "$dir"/corpus/*; do [ -e "corpus/$t/$(basename "$f")" ] || cp "$f" "corpus/$t/"; done
    fi
  fi
  after=$(find "$dir/corpus" -type f | wc -l)

  # Group crashes: the stable title (or sanitizer summary) and top frames.
  declare -A groups=()
  for c in "$dir"/crashes/*; do
    [ -f "$c" ] || continue
    case "$c" in *.log | */groups.txt) continue ;; esac
    log=$c.log
    repro "$c" >"$log" 2>&1 || true
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
      if [ "$use_lf" -eq 1 ]; then
        "$bin" -minimize_crash=1 -max_total_time=20 -runs=100000 -rss_limit_mb=2560 -timeout=25 \
          -exact_artifact_path="$m" "$c" >"$m.log" 2>&1 || true
      else
        (cd "$afl_dir" && timeout 20 afl-tmin -i "$c" -o "$m" -m none -t 25000 -- "./$t") >"$m.log" 2>&1 || true
      fi
    fi
    [ -f "$m" ] || cp "$c" "$m"
    count=$(grep -cxF "$key" "$dir/crashes/groups.txt" || true)
    summary+=("  $t FINDING x$count: $key -> $m")
    printf '%s\t%s\t%s\n' "$count" "${key//$'\t'/ }" "$m" >>"$dir/findings.tsv"
    found=1
  done < <(printf '%s\n' "${!groups[@]}" | sort)
  unset groups
  line=
  [ "$use_lf" -eq 0 ] || line=${last:-no progress line}
  [ "$use_afl" -eq 0 ] || line=${line:+$line; }$afl_last
  summary+=("  $t: $line; corpus $before -> $after files ($dir/corpus$([ "$minimize_corpus" -eq 0 ] || echo ", merged into corpus/$t")); $n_groups finding group(s)")
  "$report_py" ci/lib/campaign_report.py target "$dir" --target "$t" --engines "${engine/both/libfuzzer,afl}" \
    --seconds "$seconds" --corpus-before "$before" --corpus-after "$after" \
    --status "$([ "$n_groups" -eq 0 ] && echo ok || echo finding)" \
    --libfuzzer-log "$dir/fuzz.log" --afl-out "$dir/afl" ||
    echo "fuzz_campaign: $t: the report failed" >&2
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

"$report_py" ci/lib/campaign_report.py campaign "$out" || echo "fuzz_campaign: the campaign report failed" >&2
summary+=("  report: $out/index.html, $out/summary.json")
echo "== fuzz_campaign summary ($out)"
printf '%s\n' "${summary[@]}"
[ "$broken" -eq 0 ] || exit 2
exit "$found"
