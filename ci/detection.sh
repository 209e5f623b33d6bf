#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# detection.sh: measures what the harness catches. For every canary (a bug
# planted in the test-only canary build of the cxx implementation,
# docs/DETECTION.md) it runs each check family on its own: the codec unit
# tests and golden vectors, the properties, qemud-conform in process,
# qemud-conform through the Python shim (which plants the same canary), and
# each libFuzzer <target>_canary from its seed corpus. Prints the kill
# matrix and writes it to OUT/matrix.json and OUT/matrix.md.
# Fails (exit 1) when a canary survives every family, or when a family that
# killed a canary in the committed baseline (conformance/detection/
# baseline.json) no longer does. Exit 2: the matrix could not be made.
#
#   ci/detection.sh [options]
#     --out DIR           where the matrix goes (default build/detection)
#     --fuzz-seconds T    each fuzz run stops after T seconds (default 60)
#     --fuzz-runs N       ... or after N executions (default 4000)
#     --fuzz-seeds K      fuzz runs per target and canary, seeds 1..K; the
#                         median decides (default 3)
#     --random N          random cases of the qemud-conform families (default 300)
#     --only NAME...      only these canaries (the rest of the line)
#     --fuzz-survivors-only  fuzz only the canaries the other families missed
#                         (the ctest `detection` runs this way, at a small budget)
#     --no-fuzz           skip the fuzz family (also when clang's libFuzzer is missing)
#     --write-baseline    copy the matrix to the baseline and docs' table (after a full run)
# The canary build must exist (ci/build.sh -DQEMUD_CANARIES=ON); the canary fuzz targets are built
# here in the clang tree ctest's fuzz build left (build-ossfuzz/libfuzzer-address+undefined/),
# or else in build-fuzz/ (preset clang-fuzz). The defaults are the committed baseline's
# budget: fuzzing is bounded by executions so the matrix is reproducible.
set -euo pipefail
cd "$(dirname "$0")/.."
source ci/lib/cli.sh

out=build/detection
driver_args=()
fuzz=1
write_baseline=0
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=$(ci_value "$1" "${2-}"); shift 2 ;;
    --fuzz-seconds | --fuzz-runs | --fuzz-seeds | --random)
      v=$(ci_value "$1" "${2-}")
      [[ "$v" =~ ^[1-9][0-9]*$ ]] || ci_usage_error "$1 needs a positive integer, not '$v'"
      driver_args+=("$1" "$v"); shift 2 ;;
    --only)
      shift
      [ $# -gt 0 ] || ci_usage_error "--only needs canary names"
      driver_args+=(--only "$@"); shift $# ;;
    --no-fuzz) fuzz=0; shift ;;
    --fuzz-survivors-only) driver_args+=("$1"); shift ;;
    --write-baseline) write_baseline=1; shift ;;
    *) ci_usage_error "unknown argument '$1'" ;;
  esac
done

[ -x build/reference/canary/qemud-canaries ] ||
  { echo "detection: build/reference/canary/qemud-canaries not found: run ci/build.sh -DQEMUD_CANARIES=ON first" >&2; exit 2; }

families=(unit_golden properties conform conform_shim)
if [ "$fuzz" -eq 1 ]; then
  if ! command -v clang++ >/dev/null || [ ! -f "$(clang++ -print-file-name=libclang_rt.fuzzer-x86_64.a)" ]; then
    echo "detection: clang++ with libFuzzer not found: the fuzz family is not run"
    fuzz=0
  fi
fi
if [ "$fuzz" -eq 1 ]; then
  fuzz_tree=build-ossfuzz/libfuzzer-address+undefined/work/qemud-ossfuzz-build
  if [ -f "$fuzz_tree/build.ninja" ]; then
    cmake "$fuzz_tree" -DQEMUD_CANARIES=ON >/dev/null
  else
    fuzz_tree=build-fuzz
    cmake --preset clang-fuzz -DQEMUD_CANARIES=ON >/dev/null
  fi
  mapfile -t canary_targets < <(cmake --build "$fuzz_tree" --target help | grep -v '^cmake_' |
    sed -n 's/^\([a-z_]*_fuzzer_canary\): .*/\1/p')
  [ ${#canary_targets[@]} -gt 0 ] || { echo "detection: no <target>_canary in $fuzz_tree (QEMUD_CANARIES=OFF?)" >&2; exit 2; }
  echo "detection: building ${canary_targets[*]} in $fuzz_tree/"
  cmake --build "$fuzz_tree" --target "${canary_targets[@]}" -- -j"$(nproc)" | tail -n 1
  families+=(fuzz)
  driver_args+=(--fuzz-bin "$fuzz_tree/fuzz")
fi

status=0
baseline=()
[ -f conformance/detection/baseline.json ] && baseline=(--baseline conformance/detection/baseline.json)
python3 conformance/detection/detection.py --build build --families "${families[@]}" --out "$out" \
  "${baseline[@]}" "${driver_args[@]}" || status=$?
if [ "$write_baseline" -eq 1 ] && [ "$status" -ne 2 ]; then
  cp "$out/matrix.json" conformance/detection/baseline.json
  python3 conformance/detection/docs_table.py --write conformance/detection/baseline.json docs/DETECTION.md
  echo "detection: wrote conformance/detection/baseline.json and the matrix in docs/DETECTION.md"
fi
exit "$status"
