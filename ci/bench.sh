#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench.sh: the benchmarks of docs/PERFORMANCE.md, in one run.
#
#   ci/bench.sh                # build in build-bench/, then measure
#   ci/bench.sh --update-docs  # steps 1-4 only, then rewrite the tables of
#                              # docs/PERFORMANCE.md from this run's results
#
# What is measured is the DEFAULT build: CMake RelWithDebInfo (-O2 -g
# -DNDEBUG, what ci/build.sh and the gcc preset build), because that is
# the speed a user of the README's commands gets. BENCH_BUILD_TYPE=Release
# measures the -O3 build instead; the programs record their build type and
# flags (bench/build_context.h) and this script warns when they are not the
# documented ones (--update-docs then refuses to write the codec, stream
# and refd tables).
#
# 1. configures and builds a BENCH_BUILD_TYPE tree in build-bench/ (its
#    own, so it never disturbs build/), the bench programs and
#    bench/simd_check;
# 2. runs simd_check (every char-element kernel the CPU has against
#    policy.h; no timing);
# 3. runs bench/qemud_codec_bench and bench/qemud_stream_bench with pinned
#    repetitions and prints the tables of ratios of medians measured side
#    by side in this run (CPU time: the machine may be shared), made by
#    ci/lib/bench_table.py from the JSON results (also saved: lscpu.txt,
#    load.txt);
# 4. measures cxx on the 20016-byte payload once per kernel level
#    (QEMUD_CXX_SIMD=avx512|avx2|sse2|portable);
# 4b. runs bench/qemud_refd_bench (calls/s through qemud-refd's loop over a
#    Unix socket against a raw ping-pong of the same bytes; repetitions
#    interleaved at random, medians of REAL time: a round trip is mostly
#    the other thread's work) and prints calls/s and refd/raw per depth
#    (saved: refd.json, refd-load.txt, lscpu.txt);
# 5. if clang and the libFuzzer binaries build-fuzz/fuzz/*_fuzzer exist,
#    records exec/s of each over a fixed 30-second run; otherwise says so;
# 6. if clang is installed, builds the clang-fuzz configuration (ASan +
#    UBSan + libFuzzer) in build-fuzzbase/ with QEMUD_FUZZ_PLAIN_VARIANTS
#    and QEMUD_FUZZ_BASELINES, runs each <target>_plain and
#    <target>_tirpc_baseline for FUZZ_SECONDS from a scratch copy of the
#    same corpus/<target>/ with the target's max_len, one after the other,
#    FUZZ_PAIRS times (default 3), and prints every pair's differential /
#    baseline exec/s and the median of the pairs' ratios per target. The
#    differential targets run with their default oracle (tiered; the
#    environment reaches them: QEMUD_FUZZ_ORACLE=full measures the full
#    check on every input, QEMUD_FUZZ_FULL_EVERY another sampling rate).
#    Saves every pair, the build's flags (from build-fuzzbase's CMake
#    cache), the settings and the load in fuzz.json (ci/lib/fuzz_results.py;
#    also lscpu.txt, and each run's libFuzzer log).
#
#   ci/bench.sh --fuzz-only                # step 6 alone
#   ci/bench.sh --refd-only                # step 4b alone (that program only)
#   ci/bench.sh --fuzz-only --update-docs  # step 6, then rewrite its table
#   ci/bench.sh --refd-only --update-docs  # step 4b, then rewrite its table
#
# Each table of docs/PERFORMANCE.md has its own markers and generator, and
# each --update-docs rewrites only its own (atomically: a temporary file,
# then a rename): bench-table (ci/lib/bench_table.py, steps 3-4),
# refd-table (ci/lib/refd_table.py, from refd.json) and fuzz-table
# (ci/lib/fuzz_table.py, from fuzz.json). A generator refuses incomplete
# results (a missing file, call, depth, target or pair: exit 1, the doc
# untouched); --fuzz-only --update-docs refuses FUZZ_TARGETS up front.
#
# Environment: BENCH_REPETITIONS (default 5), BENCH_MIN_TIME seconds per
# repetition (default 0.2), FUZZ_SECONDS (default 30), FUZZ_PAIRS (default
# 3), FUZZ_TARGETS (default: the five differential targets; a space-separated
# subset measures only those), BENCH_OUT (default
# build-bench/bench-results; with --fuzz-only build-fuzzbase/bench-results),
# BENCH_BUILD_TYPE (default RelWithDebInfo),
# BENCH_BUILD_DIR (default build-bench; an existing tree of the same build
# type, such as build/, saves a build). Never part of ctest: nothing here
# asserts a time.
set -euo pipefail
cd "$(dirname "$0")/.."
source ci/lib/cli.sh
# mode: all (every step), fuzz or refd (one step alone); update_docs: 1
# when the step's table in docs/PERFORMANCE.md is to be rewritten.
mode=all
update_docs=0
one_step="takes only one of --fuzz-only, --refd-only"
for arg in "$@"; do
    case "$arg" in
    --fuzz-only) [ "$mode" = all ] || ci_usage_error "$one_step"; mode=fuzz ;;
    --refd-only) [ "$mode" = all ] || ci_usage_error "$one_step"; mode=refd ;;
    --update-docs)
        [ "$update_docs" = 0 ] || ci_usage_error "--update-docs given twice"
        update_docs=1 ;;
    *) ci_usage_error "unknown argument '$arg'" ;;
    esac
done

reps="${BENCH_REPETITIONS:-5}"
min_time="${BENCH_MIN_TIME:-0.2}"
fuzz_seconds="${FUZZ_SECONDS:-30}"
build_type="${BENCH_BUILD_TYPE:-RelWithDebInfo}"
bdir="${BENCH_BUILD_DIR:-build-bench}"
out="${BENCH_OUT:-$bdir/bench-results}"

# The build the figures of docs/PERFORMANCE.md are documented for: the
# default one (ci/build.sh), compiled by GCC.
documented_type="RelWithDebInfo"
documented_flags="-O2 -g -DNDEBUG"
documented_compiler="GNU"

# configure_bench: the bench tree, at the build type asked for.
configure_bench() {
    cmake -S . -B "$bdir" -G Ninja -DCMAKE_BUILD_TYPE="$build_type" -DQEMUD_BUILD_BENCH=ON >/dev/null
}

# check_build <json>: warns (stderr) when the results were not measured
# with the documented build type, flags and compiler; returns 1 then.
check_build() {
    python3 - "$1" "$documented_type" "$documented_flags" "$documented_compiler" <<'PY'
import json, sys
path, want_type, want_flags, want_compiler = sys.argv[1:]
with open(path) as f:
    ctx = json.load(f)["context"]
got = (ctx.get("qemud_build_type", "?"), ctx.get("qemud_cxx_flags", "?"), ctx.get("qemud_cxx_compiler", "?"))
if got[0] != want_type or got[1] != want_flags or not got[2].startswith(want_compiler + " "):
    sys.stderr.write("WARNING: measured build %s / '%s' / %s is not the documented one (%s / '%s' / %s):\n"
                     "WARNING: these figures are not what the default build gives.\n"
                     % (got + (want_type, want_flags, want_compiler)))
    sys.exit(1)
PY
}

# write_docs <json> <generator>: rewrites the generator's block of
# docs/PERFORMANCE.md from $out, unless <json> was measured in another
# build than the documented one (exit 1, the doc untouched).
write_docs() {
    if ! check_build "$1"; then
        echo "bench: docs/PERFORMANCE.md not rewritten: it documents the default build's figures" >&2
        exit 1
    fi
    python3 "$2" "$out" --update docs/PERFORMANCE.md
}

# fuzz_vs_baseline: step 6 (docs/PERFORMANCE.md, "Fuzz targets:
# differential vs libtirpc-only").
fuzz_vs_baseline() {
    echo "== fuzz targets: differential (<target>_plain) vs libtirpc-only (<target>_tirpc_baseline), ${fuzz_seconds} s each"
    # fuzz.json (ci/lib/fuzz_results.py) is written only once every pair is
    # measured: an earlier run's must not outlive a skipped or failed one.
    rm -f "$out/fuzz.json"
    if ! command -v clang >/dev/null; then
        echo "skipped: clang is not installed"
        return 0
    fi
    local all=(header_fuzzer client_payload_fuzzer server_payload_fuzzer client_stream_fuzzer server_stream_fuzzer)
    local targets=()
    read -r -a targets <<<"${FUZZ_TARGETS:-${all[*]}}"
    for t in "${targets[@]}"; do
        [[ " ${all[*]} " == *" $t "* ]] || ci_usage_error "FUZZ_TARGETS: '$t' is not one of: ${all[*]}"
    done
    local bins=()
    for t in "${targets[@]}"; do bins+=("${t}_plain" "${t}_tirpc_baseline"); done
    cmake --preset clang-fuzz -B build-fuzzbase -DQEMUD_FUZZ_PLAIN_VARIANTS=ON -DQEMUD_FUZZ_BASELINES=ON >/dev/null
    cmake --build build-fuzzbase --parallel "$(nproc)" --target "${bins[@]}" "${targets[@]/%/_dict}" >/dev/null
    mkdir -p "$out"
    local pairs_file="$out/fuzz-pairs.txt" date load_before
    : >"$pairs_file"
    lscpu >"$out/lscpu.txt" 2>/dev/null || true
    date="$(date -u +%Y-%m-%dT%H:%M:%S+00:00)"
    load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
    measure() {  # measure <binary> <target>: exec/s, from a fresh copy of corpus/<target>
        local bin="$1" t="$2" work log max_len
        work="$(mktemp -d)"
        cp -r "corpus/$t/." "$work/"
        max_len="$(sed -n 's/^max_len *= *//p' "build-fuzzbase/fuzz/$t.options")"
        log="$out/fuzzbase-$(basename "$bin").log"
        "$bin" -max_total_time="$fuzz_seconds" -max_len="$max_len" -rss_limit_mb=2560 -timeout=25 \
            -print_final_stats=1 "$work" >"$log" 2>&1 || true
        rm -rf "$work"
        sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1
    }
    # FUZZ_PAIRS pairs per target (default 3), each the differential target
    # then its baseline, side by side; every pair is printed, then the
    # median of the pairs' ratios.
    local pairs="${FUZZ_PAIRS:-3}"
    printf '%-24s %s\n' target "differential/baseline exec/s = ratio, per pair; median ratio"
    for t in "${targets[@]}"; do
        local d b line="" ratios=()
        for ((i = 1; i <= pairs; i++)); do
            d="$(measure "build-fuzzbase/fuzz/${t}_plain" "$t")"
            b="$(measure "build-fuzzbase/fuzz/${t}_tirpc_baseline" "$t")"
            ratios+=("$(python3 -c "import sys; d, b = sys.argv[1:]; print(f'{int(d) / int(b):.3f}')" "${d:-0}" "${b:-0}" 2>/dev/null || echo '?')")
            line+="${d:-?}/${b:-?} = ${ratios[-1]}x; "
            echo "$t ${d:-?} ${b:-?}" >>"$pairs_file"
        done
        printf '%-24s %s median %sx\n' "$t" "$line" \
            "$(printf '%s\n' "${ratios[@]}" | python3 -c "import statistics, sys; v = [float(x) for x in sys.stdin if x.strip() not in ('', '?')]; print(f'{statistics.median(v):.3f}' if v else '?')")"
    done
    # Every target expected, not only those measured: fuzz_table.py refuses
    # a run that left one out.
    python3 ci/lib/fuzz_results.py "$out/fuzz.json" build-fuzzbase --date "$date" --seconds "$fuzz_seconds" \
        --pairs "$pairs" --expected "${all[*]}" --load-before "$load_before" \
        --load-after "$(cut -d' ' -f1-3 /proc/loadavg)" --oracle "${QEMUD_FUZZ_ORACLE:-}" \
        --full-every "${QEMUD_FUZZ_FULL_EVERY:-}" <"$pairs_file"
}

run() {  # run <binary> <json> [args...]
    local bin="$1" json="$2"
    shift 2
    "$bin" --benchmark_repetitions="$reps" --benchmark_report_aggregates_only=true \
        --benchmark_min_time="$min_time" --benchmark_out="$json" --benchmark_out_format=json \
        "$@" >/dev/null 2>"$json.log"
}

machine() {
    echo "== machine"
    grep -m1 'model name' /proc/cpuinfo || true
    echo "simd flags: $(grep -m1 -o -w -E 'sse2|avx2|avx512f|avx512bw|avx512vl' /proc/cpuinfo | sort -u | tr '\n' ' ')"
    echo "nproc: $(nproc)   load: $(cut -d' ' -f1-3 /proc/loadavg)"
}

# refd_vs_raw: step 4b (docs/PERFORMANCE.md, "qemud-refd over a Unix
# socket"). Random interleaving spreads the load of a shared machine over
# both sides of each ratio instead of over one benchmark's repetitions.
refd_vs_raw() {
    echo "== qemud-refd over a unix socket vs a raw ping-pong (${reps} repetitions, interleaved, medians of real time)"
    lscpu >"$out/lscpu.txt" 2>/dev/null || true
    cut -d' ' -f1-3 /proc/loadavg >"$out/refd-load.txt"
    # bench_min_time: Google Benchmark does not record the flag's value,
    # and ci/lib/refd_table.py prints it with the run.
    run "$bdir/bench/qemud_refd_bench" "$out/refd.json" --benchmark_enable_random_interleaving=true \
        --benchmark_context=bench_min_time="$min_time"
    cut -d' ' -f1-3 /proc/loadavg >>"$out/refd-load.txt"
    python3 - "$out/refd.json" <<'PY'
import json, sys
with open(sys.argv[1]) as f:
    data = json.load(f)
# run_name: "refd/GET_VERSION/depth:16/real_time"
m = {b["run_name"].removesuffix("/real_time"): b["items_per_second"]
     for b in data["benchmarks"] if b.get("aggregate_name") == "median"}
print(f"{'call':22} {'depth':>5} {'refd calls/s':>13} {'raw calls/s':>13} {'refd/raw':>9}")
for name in sorted({n.split("/", 1)[1] for n in m}, key=lambda n: (n.split("/")[0], int(n.split(":")[1]))):
    call, depth = name.split("/depth:")
    r, w = m.get("refd/" + name), m.get("raw/" + name)
    if r and w:
        print(f"{call:22} {depth:>5} {r:13.0f} {w:13.0f} {r / w:8.2f}x")
PY
}

if [ "$mode" = fuzz ]; then
    if [ "$update_docs" = 1 ] && [ -n "${FUZZ_TARGETS:-}" ]; then
        ci_usage_error "--fuzz-only --update-docs measures every target: unset FUZZ_TARGETS"
    fi
    out="${BENCH_OUT:-build-fuzzbase/bench-results}"
    fuzz_vs_baseline
    if [ "$update_docs" = 1 ]; then
        python3 ci/lib/fuzz_table.py "$out" --update docs/PERFORMANCE.md
    fi
    exit 0
fi

if [ "$mode" = refd ]; then
    configure_bench
    cmake --build "$bdir" --parallel "$(nproc)" --target qemud_refd_bench
    mkdir -p "$out"
    machine
    refd_vs_raw
    echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
    if [ "$update_docs" = 1 ]; then
        write_docs "$out/refd.json" ci/lib/refd_table.py
    else
        check_build "$out/refd.json" || true
    fi
    exit 0
fi

configure_bench
cmake --build "$bdir" --parallel "$(nproc)" --target qemud_codec_bench qemud_stream_bench qemud_simd_check \
    qemud_refd_bench
mkdir -p "$out"
rm -f "$out"/level-*.json  # a level of an earlier run must not reach this run's table

machine
lscpu >"$out/lscpu.txt" 2>/dev/null || true
cut -d' ' -f1-3 /proc/loadavg >"$out/load.txt"

echo "== simd_check"
"$bdir/bench/qemud_simd_check"

echo "== codec_bench and stream_bench (${reps} repetitions, medians)"
run "$bdir/bench/qemud_codec_bench" "$out/codec.json"
run "$bdir/bench/qemud_stream_bench" "$out/stream.json"

echo "== cxx per kernel level (QEMUD_CXX_SIMD)"
for level in avx512 avx2 sse2 portable; do
    QEMUD_CXX_SIMD="$level" run "$bdir/bench/qemud_codec_bench" "$out/level-$level.json" \
        --benchmark_filter='(cxx|rpcgen)/QEMUD_SERVER_PKT_LIST_DEFINED_DOMAINS|memcpy/QEMUD_SERVER_PKT_LIST_DEFINED_DOMAINS'
done
cut -d' ' -f1-3 /proc/loadavg >>"$out/load.txt"

echo
python3 ci/lib/bench_table.py "$out"
if [ "$update_docs" = 1 ]; then
    write_docs "$out/codec.json" ci/lib/bench_table.py
    exit 0
fi
check_build "$out/codec.json" || true

echo
refd_vs_raw

echo
echo "== fuzz targets: exec/s over ${fuzz_seconds} s"
fuzzers=()
if compgen -G "build-fuzz/fuzz/*_fuzzer" >/dev/null; then fuzzers=(build-fuzz/fuzz/*_fuzzer); fi
if ! command -v clang >/dev/null; then
    echo "skipped: clang is not installed"
elif [ ${#fuzzers[@]} -eq 0 ]; then
    echo "skipped: no build-fuzz/fuzz/*_fuzzer binaries. Build them (clang-fuzz preset), then rerun;"
    echo "  by hand, per target:  build-fuzz/fuzz/<t> -max_total_time=${fuzz_seconds} -print_final_stats=1 <copy of corpus/<t>>"
else
    for f in "${fuzzers[@]}"; do
        t="$(basename "$f")"
        work="$(mktemp -d)"
        [ -d "corpus/$t" ] && cp -r "corpus/$t/." "$work/"
        log="$out/fuzz-$t.log"
        "$f" -max_total_time="$fuzz_seconds" -print_final_stats=1 "$work" >"$log" 2>&1 || true
        runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
        printf '%-28s %10s runs  %8s exec/s\n' "$t" "${runs:-?}" \
            "$( [ -n "${runs:-}" ] && echo $(( runs / fuzz_seconds )) || echo '?')"
        rm -rf "$work"
    done
fi

echo
fuzz_vs_baseline
