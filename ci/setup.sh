#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# setup.sh: installs everything the build, the tests and the shims need,
# from Debian's packages and (for the Node shim) npm. A no-op when all of it
# is present. Needs root (or sudo) only when something is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
source ci/lib/cli.sh
[ $# -eq 0 ] || ci_usage_error "takes no arguments, not '$1'"

packages=(
  build-essential cmake ninja-build pkg-config
  rpcsvc-proto libtirpc-dev            # rpcgen and libtirpc: the "rpcgen" implementation
  libboost-test-dev librapidcheck-dev  # Boost.Test, RapidCheck (+ its Boost.Test glue)
  nlohmann-json3-dev libcli11-dev      # JSON, command lines
  libbenchmark-dev                     # bench/
  clang libclang-rt-14-dev llvm        # libFuzzer, sanitizers, coverage reports
  afl++                                # the second fuzzing engine (fuzz_afl_smoke, fuzz_campaign --engine afl|both)
  python3-matplotlib                   # fuzz_campaign's coverage and exec/s plots (ci/lib/campaign_report.py)
  python3 python3-jsonschema           # the python-xdrlib shim (xdrlib is in 3.11's stdlib); golden_schema test
  golang-go                            # golden_go_example: the vectors read with Go's standard library
  chromium                             # the report test: the HTML report rendered in a real browser
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js: any installed node with npm will do; Debian's otherwise.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The Node shim's library, pinned by its lockfile.
shim=conformance/shims/node-js-xdr
if [ -f "$shim/package-lock.json" ] && [ ! -d "$shim/node_modules/@stellar/js-xdr" ]; then
  echo "setup: npm ci in $shim"
  (cd "$shim" && npm ci --no-audit --no-fund --loglevel=error)
fi
