#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# ctest_case_names_test.sh CMAKE CTEST SOURCE_DIR CANARY_EXE
# Shows that one ctest per Boost.Test case names a broken arm in ctest's
# JUnit: registers the cases of the canary variant of codec_arms_test with
# the same discovery script the build uses (cmake/boost_list_cases.cmake), in
# a scratch ctest tree, and runs cxx's round trips with QEMUD_CANARY=arm_swap
# (DOMAIN_SUSPEND and DOMAIN_RESUME decode as each other's arm). The JUnit
# must fail exactly those two arms' cases, by name, under the project's name,
# and pass every other arm's. Exit 77 without the canary build.
set -euo pipefail
cmake=$1 ctest=$2 source=$3 exe=$4
if [ ! -x "$exe" ]; then
  # ci/lib/require_tools.py, which runs this test, fails the skip under QEMUD_REQUIRE_ALL=1.
  echo "SKIP: no canary build: configure with -DQEMUD_CANARIES=ON"; exit 77
fi
exe=$(realpath "$exe")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$cmake" -D "EXE=$exe" -D NAME=codec_arms_test -D LABEL=unit -D TIMEOUT=60 -D "WORKDIR=$tmp" \
  -D "OUT=$tmp/CTestTestfile.cmake" -P "$source/cmake/boost_list_cases.cmake"
printf 'BuildName: qemud-harness\n' > "$tmp/DartConfiguration.tcl"
cd "$tmp"
QEMUD_CANARY=arm_swap "$ctest" -R '^codec_arms_test/round_trip/cxx/QEMUD_CLIENT_PKT_DOMAIN_' --parallel 2 \
  --output-junit junit.xml >ctest.log 2>&1 || true
python3 - "$tmp/junit.xml" <<'PY' || { tail -n 20 ctest.log; exit 1; }
import sys
import xml.etree.ElementTree as ET
suite = ET.parse(sys.argv[1]).getroot()
failed = sorted(c.get("name") for c in suite.iter("testcase") if c.get("status") == "fail")
passed = [c.get("name") for c in suite.iter("testcase") if c.get("status") == "run"]
want = ["codec_arms_test/round_trip/cxx/QEMUD_CLIENT_PKT_DOMAIN_RESUME",
        "codec_arms_test/round_trip/cxx/QEMUD_CLIENT_PKT_DOMAIN_SUSPEND"]
problems = []
if suite.get("name") != "qemud-harness":
    problems.append(f"the JUnit suite is named {suite.get('name')!r}, not qemud-harness")
if failed != want:
    problems.append(f"failing cases {failed}, expected {want}")
if len(passed) < 5:
    problems.append(f"only {len(passed)} other DOMAIN_ arms passed: the cases were not registered one by one")
if problems:
    print("ctest_case_names: " + "; ".join(problems))
    sys.exit(1)
print(f"ctest_case_names: the JUnit names the two swapped arms and passes {len(passed)} others")
PY
