#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# detection_ctest.sh: ctest `detection`, ci/detection.sh at a small budget.
# Every non-fuzz family runs on every canary (qemud-conform with 100 random
# cases, the properties at scale 0.2), and fuzzing runs only on the canaries
# those families missed (one seed, 2000 executions), so the check that every
# canary is killed by some family holds in a few minutes. Kills are compared
# with the committed baseline for every family that ran at the baseline's
# budget. QEMUD_DETECTION_SCALE=K multiplies the random cases and the fuzz
# executions for longer runs.
# Exit 77 (skipped) without the canary build; ctest checks for clang's
# libFuzzer before it starts this.
set -euo pipefail
cd "$(dirname "$0")/../.."

# Registered through ci/lib/require_tools.py (needs: libfuzzer), which
# fails this skip under QEMUD_REQUIRE_ALL=1.
[ -x build/reference/canary/qemud-canaries ] || {
  echo "SKIP: no canary build: configure build/ with -DQEMUD_CANARIES=ON (ci/test.sh does)"
  exit 77
}

scale=${QEMUD_DETECTION_SCALE:-1}
[[ "$scale" =~ ^[1-9][0-9]*$ ]] || { echo "detection_ctest: QEMUD_DETECTION_SCALE must be a positive integer, not '$scale'"; exit 2; }
exec bash ci/detection.sh --out build/detection-ctest --fuzz-survivors-only --fuzz-seeds 1 \
  --fuzz-runs $((2000 * scale)) --random $((100 * scale))
