#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""require_tools_test.py: the rule for a missing tool holds in this build.

  * every test that can be skipped goes through ci/lib/require_tools.py
    (so QEMUD_REQUIRE_ALL=1 fails its skip), with SKIP_RETURN_CODE 77;
  * the tests that need node, jsonschema or libFuzzer are registered and
    say so, whatever this machine has;
  * conform/node_shim, as ctest would run it with a PATH that has no node:
    exit 77 and one `SKIP:` line naming node; with QEMUD_REQUIRE_ALL=1,
    exit 1 and a `FAIL:` line;
  * the checker itself: a test that skips itself fails under
    QEMUD_REQUIRE_ALL=1, other statuses pass through, and an unknown need
    or a bad QEMUD_REQUIRE_ALL is a usage error (2), never a skip.

  require_tools_test.py CTEST BUILD_DIR
"""
import json
import os
import subprocess
import sys
import tempfile

CHECKER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "require_tools.py")
# Registered in every build with tests, and what each must declare.
MUST_DECLARE = {"conform/node_shim": "node", "conform/node_shim_libvirt": "node", "shim_selftest": "node",
                "golden_schema": "jsonschema"}
# Registered only in the GCC build (not under QEMUD_ENABLE_FUZZING).
MAY_DECLARE = {"fuzz_smoke": "libfuzzer", "fuzz_ossfuzz_local": "libfuzzer",
               "fuzz_ossfuzz_local/libfuzzer-undefined": "libfuzzer", "fuzz_ossfuzz_local/afl-address": "afl",
               "fuzz_afl_smoke": "afl"}


def registered_tests(ctest, build):
    out = subprocess.run([ctest, "--show-only=json-v1"], cwd=build, capture_output=True, text=True, check=True)
    tests = {}
    for test in json.loads(out.stdout)["tests"]:
        props = {p["name"]: p["value"] for p in test.get("properties", [])}
        tests[test["name"]] = (test.get("command", []), props)
    return tests


def declared_needs(command):
    """The needs a wrapped command checks, or None when it is not wrapped."""
    if len(command) < 2 or os.path.basename(command[1]) != "require_tools.py" or "--" not in command:
        return None
    return command[2:command.index("--")]


def check_registration(tests):
    problems = []
    for name, (command, props) in sorted(tests.items()):
        wrapped = declared_needs(command) is not None
        if "SKIP_REGULAR_EXPRESSION" in props:
            problems.append("%s: skips by its output (SKIP_REGULAR_EXPRESSION), not through the checker" % name)
        if "SKIP_RETURN_CODE" in props and not wrapped:
            problems.append("%s: may skip (SKIP_RETURN_CODE) but does not run through require_tools.py" % name)
        if wrapped and props.get("SKIP_RETURN_CODE") != 77:
            problems.append("%s: runs through require_tools.py without SKIP_RETURN_CODE 77" % name)
    for name, need in list(MUST_DECLARE.items()) + [i for i in MAY_DECLARE.items() if i[0] in tests]:
        if name not in tests:
            problems.append("%s: not registered (a missing tool must skip it, not unregister it)" % name)
        elif need not in (declared_needs(tests[name][0]) or []):
            problems.append("%s: does not declare %s (needs: %s)" % (name, need, declared_needs(tests[name][0])))
    return problems


def path_without(program, tmp):
    """A PATH with every program of this one except `program`."""
    farm = os.path.join(tmp, "bin")
    os.mkdir(farm)
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        if not os.path.isdir(folder):
            continue
        for name in os.listdir(folder):
            path = os.path.join(folder, name)
            link = os.path.join(farm, name)
            if name != program and not os.path.lexists(link) and os.path.isfile(path) and os.access(path, os.X_OK):
                os.symlink(path, link)
    return farm


def run(command, cwd=None, **env):
    environ = {k: v for k, v in os.environ.items() if k != "QEMUD_REQUIRE_ALL"}
    environ.update(env)
    proc = subprocess.run(command, cwd=cwd, env=environ, capture_output=True, text=True, timeout=60)
    return proc.returncode, proc.stdout + proc.stderr


def expect(problems, what, got, status, line_start, *words):
    rc, out = got
    lines = [l for l in out.splitlines() if l.startswith(line_start)] if line_start else [""]
    if rc != status or len(lines) != 1 or not all(w in lines[0] for w in words):
        problems.append("%s: exit %d, expected %d with one line %r naming %s; output: %s"
                        % (what, rc, status, line_start, " and ".join(words), out.strip()[-600:]))


def check_node_shim_without_node(tests, tmp):
    if "conform/node_shim" not in tests:
        return []  # check_registration says so
    command, props = tests["conform/node_shim"]
    cwd = props.get("WORKING_DIRECTORY")
    no_node = path_without("node", tmp)
    problems = []
    expect(problems, "conform/node_shim without node", run(command, cwd, PATH=no_node),
           77, "SKIP: ", "node not found on PATH")
    expect(problems, "conform/node_shim without node, QEMUD_REQUIRE_ALL=1",
           run(command, cwd, PATH=no_node, QEMUD_REQUIRE_ALL="1"),
           1, "FAIL: ", "node not found on PATH", "(QEMUD_REQUIRE_ALL=1)")
    return problems


def check_checker():
    problems = []
    checker = [sys.executable, CHECKER]
    skipper = checker + ["--", "sh", "-c", "echo 'SKIP: an option is off'; exit 77"]
    expect(problems, "a test that skips itself", run(skipper), 77, "SKIP: ", "an option is off")
    expect(problems, "a test that skips itself, QEMUD_REQUIRE_ALL=1", run(skipper, QEMUD_REQUIRE_ALL="1"),
           1, "FAIL: ", "skipped itself", "(QEMUD_REQUIRE_ALL=1)")
    for strict in ("0", "1"):
        expect(problems, "exit 3 passes through (QEMUD_REQUIRE_ALL=%s)" % strict,
               run(checker + ["--", "sh", "-c", "exit 3"], QEMUD_REQUIRE_ALL=strict), 3, None)
    expect(problems, "an unknown need", run(checker + ["nod", "--", "true"]), 2, "require_tools.py: ", "nod")
    expect(problems, "QEMUD_REQUIRE_ALL=yes", run(checker + ["--", "true"], QEMUD_REQUIRE_ALL="yes"),
           2, "require_tools.py: ", "QEMUD_REQUIRE_ALL")
    return problems


def main():
    ctest, build = sys.argv[1:3]
    tests = registered_tests(ctest, build)
    with tempfile.TemporaryDirectory() as tmp:
        problems = check_registration(tests) + check_node_shim_without_node(tests, tmp) + check_checker()
    for p in problems:
        print("FAIL: " + p)
    print("%d tests registered, %d through require_tools.py; %d problems"
          % (len(tests), sum(declared_needs(c) is not None for c, _ in tests.values()), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
