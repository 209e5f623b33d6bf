#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# test.sh: the whole test suite, as CI runs it: setup, build, ctest.
# Pass ctest arguments to narrow it, e.g. `ci/test.sh -L unit`.
set -euo pipefail
cd "$(dirname "$0")/.."
source ci/lib/cli.sh
bash ci/setup.sh
# The canary variants too: the detection label measures what the checks catch.
bash ci/build.sh -DQEMUD_CANARIES=ON
cd build
ctest --output-on-failure --parallel "$(nproc)" "$@"
