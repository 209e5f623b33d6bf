#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# build.sh: configures and builds the GCC build (the default preset's
# layout) in build/. Extra arguments go to cmake's configure step.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build build --parallel "$(nproc)"
