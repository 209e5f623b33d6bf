#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""require_tools.py: the one rule for a test whose tool may be missing.

    require_tools.py NEED... [-- COMMAND [ARG...]]

Each NEED is one of the names in NEEDS below. When one is missing it prints
one line, `SKIP: <reason>`, and exits 77, which ctest reports as skipped
(SKIP_RETURN_CODE 77); with QEMUD_REQUIRE_ALL=1 in the environment it
prints `FAIL: <reason> (QEMUD_REQUIRE_ALL=1)` and exits 1 instead, so a
machine that should have every tool (CI) cannot pass by skipping.

When every NEED is there it runs COMMAND and exits with its status; under
QEMUD_REQUIRE_ALL=1 a COMMAND that skips itself (exit 77, e.g. a build
option that is off) fails too. With no COMMAND it exits 0, for scripts
that check before they start. An unknown NEED, or a QEMUD_REQUIRE_ALL
other than 0 or 1, exits 2: a typo must not turn into a silent skip.

The Python needs are looked up in the interpreter running this script, so
run it with the interpreter that runs the test (qemud_add_tool_test in
cmake/tool_test.cmake does).
"""
import importlib.util
import os
import platform
import shutil
import subprocess
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
JS_XDR = os.path.join("conformance", "shims", "node-js-xdr")
# Debian's afl++ ships its libFuzzer-compatible driver here (the
# LIB_FUZZING_ENGINE of an AFL++ build).
AFL_DRIVER = "/usr/lib/afl/libAFLDriver.a"


def missing_program(name, hint):
    return None if shutil.which(name) else "%s not found on PATH (%s)" % (name, hint)


def missing_module(name, hint):
    if importlib.util.find_spec(name) is not None:
        return None
    return "python module %s missing in %s (Python %s; %s)" % (name, sys.executable, platform.python_version(), hint)


def missing_js_xdr():
    if os.path.isfile(os.path.join(ROOT, JS_XDR, "node_modules", "@stellar", "js-xdr", "package.json")):
        return None
    return "@stellar/js-xdr is not installed in %s (run `npm ci` there; bash ci/setup.sh does)" % JS_XDR


def missing_libfuzzer():
    hint = "apt-get install clang libclang-rt-14-dev"
    if not shutil.which("clang++"):
        return "clang++ not found on PATH (%s)" % hint
    # Older LLVM names the runtime by architecture, newer LLVM puts it in a
    # per-target folder under the plain name: either will do.
    for name in ("libclang_rt.fuzzer-%s.a" % platform.machine(), "libclang_rt.fuzzer.a"):
        found = subprocess.run(["clang++", "-print-file-name=" + name], capture_output=True, text=True).stdout.strip()
        if os.path.isfile(found):
            return None
    return "clang++ has no libFuzzer runtime (libclang_rt.fuzzer; %s)" % hint


def missing_afl():
    hint = "apt-get install afl++"
    for name in ("afl-clang-fast", "afl-clang-fast++", "afl-fuzz"):
        if not shutil.which(name):
            return "%s not found on PATH (%s)" % (name, hint)
    if not os.path.isfile(AFL_DRIVER):
        return "AFL++'s libFuzzer driver %s is missing (%s)" % (AFL_DRIVER, hint)
    return None


# name: a function returning None when the need is met, else the reason.
NEEDS = {
    "node": lambda: missing_program("node", "Node.js 18 or later: apt-get install nodejs"),
    "js-xdr": missing_js_xdr,
    "xdrlib": lambda: missing_module("xdrlib", "the standard library had it up to Python 3.12"),
    "jsonschema": lambda: missing_module("jsonschema", "apt-get install python3-jsonschema"),
    "libfuzzer": missing_libfuzzer,
    "afl": missing_afl,
    "go": lambda: missing_program("go", "apt-get install golang-go"),
    "chromium": lambda: missing_program("chromium", "apt-get install chromium"),
}


def usage_error(message):
    print("require_tools.py: %s" % message, file=sys.stderr)
    sys.exit(2)


def require_all():
    value = os.environ.get("QEMUD_REQUIRE_ALL", "")
    if value not in ("", "0", "1"):
        usage_error("QEMUD_REQUIRE_ALL must be 0 or 1, not %r" % value)
    return value == "1"


def main(argv):
    strict = require_all()
    needs, command = (argv[:argv.index("--")], argv[argv.index("--") + 1:]) if "--" in argv else (argv, [])
    unknown = [n for n in needs if n not in NEEDS]
    if unknown:
        usage_error("unknown need %s (known: %s)" % (", ".join(unknown), " ".join(NEEDS)))
    reasons = [r for r in (NEEDS[n]() for n in needs) if r]
    if reasons:
        if strict:
            print("FAIL: %s (QEMUD_REQUIRE_ALL=1)" % "; ".join(reasons), flush=True)
            return 1
        print("SKIP: %s" % "; ".join(reasons), flush=True)
        return 77
    if not command:
        return 0
    try:
        if not strict:
            # Nothing to translate: become the test, so its exit status,
            # signals and ctest's timeout reach it unchanged.
            os.execvp(command[0], command)
        status = subprocess.run(command).returncode
    except OSError as error:
        print("require_tools.py: cannot run %s: %s" % (command[0], error.strerror), file=sys.stderr)
        return 127
    if status == 77:
        print("FAIL: the test skipped itself (exit 77, its reason is above) (QEMUD_REQUIRE_ALL=1)", flush=True)
        return 1
    return status if status >= 0 else 128 - status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
