#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# run_example.sh GOLDEN_DIR WORK_DIR: the ctest golden_go_example. Checks
# that GOLDEN_DIR/README.md shows check_payloads.go as it is, then runs it
# with `go run` against GOLDEN_DIR; Go's caches go under WORK_DIR, and
# nothing is fetched (the standard library only). ctest checks that go is
# there first (ci/lib/require_tools.py: skipped without it, failed under
# QEMUD_REQUIRE_ALL=1; ci/setup.sh installs golang-go).
set -eu
example="$(dirname "$0")/check_payloads.go"
# golden/README.md shows the program's end: it must be the file's.
mkdir -p "$2"
awk '/^```go$/ {f = 1; next} /^```$/ {f = 0} f' "$1/README.md" >"$2/readme_excerpt.go"
lines=$(wc -l <"$2/readme_excerpt.go")
if [ "$lines" -eq 0 ] || ! tail -n "$lines" "$example" | cmp -s - "$2/readme_excerpt.go"; then
  echo "FAIL: the Go code in $1/README.md is not the end of $example"
  exit 1
fi
# No user settings (GOENV, GOFLAGS), no proxy, no toolchain download.
export GOENV=off GOFLAGS= GOPROXY=off GOTOOLCHAIN=local GOTELEMETRY=off \
  GOCACHE="$2/cache" GOPATH="$2/path"
exec go run "$example" "$1"
