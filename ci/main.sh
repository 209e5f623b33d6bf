#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# main.sh: the main job. Builds, then runs the conformance runner
# (qemud-conform, docs/SHIM-CONTRACT.md) over every golden vector plus
# seeded random cases against the bundled implementations: the in-tree ones
# (rpcgen, cxx, dynamic, in process), then the python-xdrlib and node-js-xdr
# shims; then the reference daemon, qemud-refd, as a server under test
# (qemud-conform --connect, which starts and stops it), and the reference
# client, qemud-cli, as a client under test (qemud-conform --listen, which
# runs it once per case): docs/PEERS.md.
# Prints each summary; exits with the worst status (0 pass, 1 a case
# failed, 2 a run could not be made). Every run also writes a JSON report
# under build/report/runs/, and one HTML report over all of them goes to
# build/report/index.html (qemud-conform --html-from): a column per
# implementation.
#
#   ci/main.sh [--seed N] [--random N] [--timeout-ms N] [--framing F] [--only GLOB]...
#              [--max-failures N] [--disabled FILE] [--vectors DIR] [--require-all]
#
# These go to the three codec runs (qemud-conform --help says what each
# does); anything else is refused before setup and build.
set -euo pipefail
cd "$(dirname "$0")/.."
source ci/lib/cli.sh
# Only the qemud-conform options of the codec runs that make sense for all
# three (checked here, before setup and build).
args=("$@")
while [ $# -gt 0 ]; do
  case "$1" in
    --seed | --random | --timeout-ms | --framing | --only | --max-failures | --disabled | --vectors)
      ci_value "$1" "${2-}" >/dev/null; shift 2 ;;
    --require-all) shift ;;
    *) ci_usage_error "unknown argument '$1' (it takes --seed, --random, --timeout-ms, --framing, --only, --max-failures, --disabled, --vectors, --require-all)" ;;
  esac
done
set -- "${args[@]+"${args[@]}"}"
bash ci/setup.sh
bash ci/build.sh

conform=build/conformance/runner/qemud-conform
report=build/report
rm -rf "$report/runs"
mkdir -p "$report/runs"
worst=0
runs=0
run() {
  local status=0
  runs=$((runs + 1))
  echo "== qemud-conform $*"
  "$conform" -q --json "$report/runs/$runs.json" "$@" || status=$?
  [ "$status" -gt "$worst" ] && worst=$status
  return 0
}

run --random 200 "$@"
run --shim 'python3 conformance/shims/python-xdrlib/shim.py' --random 200 "$@"
run --shim 'node conformance/shims/node-js-xdr/shim.js' --random 200 "$@"

# The daemon listens on a socket in a private folder, removed on exit.
peer_dir=$(mktemp -d "${TMPDIR:-/tmp}/qemud-main.XXXXXX")
trap 'rm -rf "$peer_dir"' EXIT
run --connect "unix:$peer_dir/refd.sock" \
    --server-cmd "build/reference/refd/qemud-refd --listen unix:$peer_dir/refd.sock --seed 1" --stateful 200
run --listen "unix:$peer_dir/cli.sock" --client-cmd build/reference/cli/qemud-cli

# One HTML report over every run that wrote its JSON report (a run that
# could not be made wrote none).
reports=()
for k in $(seq 1 "$runs"); do
  [ -f "$report/runs/$k.json" ] && reports+=(--html-from "$report/runs/$k.json")
done
if [ ${#reports[@]} -gt 0 ]; then
  status=0
  "$conform" --html "$report" "${reports[@]}" || status=$?
  [ "$status" -gt "$worst" ] && worst=$status
  echo "== report: $report/index.html"
fi

echo "== main: $([ "$worst" -eq 0 ] && echo PASS || echo "FAIL (worst exit status $worst)")"
exit "$worst"
