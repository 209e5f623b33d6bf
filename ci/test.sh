#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# test.sh: the whole test suite, as CI runs it: setup, build, ctest.
# Pass ctest arguments to narrow it, e.g. `ci/test.sh -L unit`.
# Ends with one line of wall time per phase (also on a failure), the
# figures docs/PERFORMANCE.md quotes for the suite.
set -euo pipefail
cd "$(dirname "$0")/.."
source ci/lib/cli.sh
phases=()
phase_start=$SECONDS
# phase NAME: the time since the previous phase ended is NAME's.
phase() {
  phases+=("$1 $((SECONDS - phase_start))s")
  phase_start=$SECONDS
}
trap 'phase "${current_phase}"; echo "ci/test.sh: wall time per phase: ${phases[*]}"' EXIT
current_phase=setup
bash ci/setup.sh
phase setup
# The canary variants too: the detection label measures what the checks catch.
current_phase=build
bash ci/build.sh -DQEMUD_CANARIES=ON
phase build
current_phase=ctest
cd build
ctest --output-on-failure --parallel "$(nproc)" "$@"
