#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# build.sh: configures and builds the GCC build (the default preset's
# layout) in build/.
#
#   ci/build.sh [-DNAME=VALUE...]   # extra cache settings for cmake's configure step
set -euo pipefail
cd "$(dirname "$0")/.."
source ci/lib/cli.sh
for a in "$@"; do [ "${a:0:2}" = "-D" ] || ci_usage_error "only -DNAME=VALUE settings are passed to cmake, not '$a'"; done
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build build --parallel "$(nproc)"
