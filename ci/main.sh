#!/usr/bin/env bash
# main.sh: the main job. Builds, then runs the conformance runner
# (qemud-conform, docs/SHIM-CONTRACT.md) over every golden vector plus
# seeded random cases against the bundled implementations: the in-tree ones
# (rpcgen, cxx, dynamic, in process), then the python-xdrlib and node-js-xdr
# shims. Prints each summary; exits with the worst status (0 pass, 1 a case
# failed, 2 a run could not be made). Extra arguments go to every
# qemud-conform run (e.g. --seed 7, --random 1000).
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/setup.sh
bash ci/build.sh

conform=build/conformance/runner/qemud-conform
worst=0
run() {
  local status=0
  echo "== qemud-conform $*"
  "$conform" -q "$@" || status=$?
  [ "$status" -gt "$worst" ] && worst=$status
  return 0
}

run --random 200 "$@"
run --shim 'python3 conformance/shims/python-xdrlib/shim.py' --random 200 "$@"
run --shim 'node conformance/shims/node-js-xdr/shim.js' --random 200 "$@"

echo "== main: $([ "$worst" -eq 0 ] && echo PASS || echo "FAIL (worst exit status $worst)")"
exit "$worst"
