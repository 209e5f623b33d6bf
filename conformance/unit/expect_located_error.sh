#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# expect_located_error.sh XDRC FILE EXPECTED: runs `XDRC --check FILE` and
# passes only if it exits 1 and its message starts with EXPECTED.
out=$("$1" --check "$2" 2>&1)
rc=$?
echo "$out"
[ "$rc" -eq 1 ] || { echo "expected exit status 1, got $rc"; exit 1; }
case "$out" in
  *"$3"*) exit 0 ;;
  *) echo "expected a message containing: $3"; exit 1 ;;
esac
