#!/usr/bin/env bash
# main.sh: the main job. Builds, then cross-checks every in-tree
# implementation (rpcgen, cxx, dynamic) over every arm of protocol.x and
# prints one row per arm. Extra arguments go to qemud-crosscheck.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/setup.sh
bash ci/build.sh
exec build/conformance/qemud-crosscheck "$@"
