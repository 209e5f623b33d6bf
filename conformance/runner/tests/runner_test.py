#!/usr/bin/env python3
"""runner_test.py: drives qemud-conform against the in-tree implementations,
the bundled shims and deliberately broken shims (broken_shim.py), and checks
that each behaviour is reported as it should be, within bounded time, with
the exit status of docs/SHIM-CONTRACT.md and a JUnit file that parses as
XML with one <testcase> per case.

    runner_test.py --runner build/conformance/runner/qemud-conform SCENARIO...
    runner_test.py --runner ... --list

ctest runs one scenario per test (conformance/runner/CMakeLists.txt).
"""

import argparse
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
MINI = os.path.join(HERE, "data", "golden-mini")
PYTHON_SHIM = "python3 " + shlex.quote(os.path.join(SOURCE, "conformance", "shims", "python-xdrlib", "shim.py"))
NODE_SHIM = "node " + shlex.quote(os.path.join(SOURCE, "conformance", "shims", "node-js-xdr", "shim.js"))


def broken(fault, arm=None):
    cmd = "python3 " + shlex.quote(os.path.join(HERE, "broken_shim.py")) + " " + fault
    return cmd + (" " + arm if arm else "")


def every_valid_framed_case_fails(doc):
    """For the seed_only shim under --framing libvirt-0.3: each valid framed
    case (vector or random) must fail; invalid ones may pass, since a
    seed reader rejects them too, for its own reasons."""
    framed = [c for r in doc["runs"] for c in r["cases"]
              if "libvirt-0.3/" in c["name"] and c["expected"] == "valid"]
    if len(framed) < 100:
        return ["only %d valid libvirt-0.3 framed cases in the report" % len(framed)]
    passed = [c["name"] for c in framed if c["status"] != "failed"]
    return ["%d valid libvirt-0.3 framed cases passed a seed-only shim, e.g. %s" % (len(passed), passed[0])] if passed else []


# name: (arguments, expected exit status, patterns the stdout+stderr must hold, time limit in seconds[,
#        a check of the JSON report returning problems])
FAST = ["--no-golden", "--random", "160", "--timeout-ms", "500"]
LIBVIRT = ["--framing", "libvirt-0.3"]
SCENARIOS = {
    # --- the in-tree implementations (no --shim)
    "inprocess_mini": (["--vectors", MINI, "--random", "200"], 0,
                       [r"rpcgen: PASS", r"cxx: PASS", r"dynamic: PASS", r"non_canonical_char: 1 accepted"], 60),
    "inprocess_golden": (["--random", "200"], 0, [r"rpcgen: PASS", r"cxx: PASS", r"dynamic: PASS"], 90),
    "inprocess_one_impl": (["--impl", "cxx", "--vectors", MINI], 0, [r"cxx in-tree: 13 cases"], 30),
    "unknown_impl": (["--impl", "nope", "--vectors", MINI], 2, [r"no such in-tree implementation"], 30),
    "inprocess_libvirt": (LIBVIRT + ["--random", "200"], 0, [r"rpcgen: PASS", r"cxx: PASS", r"dynamic: PASS"], 90),
    # --- framing profiles: a shim that claims libvirt-0.3 but frames the seed's way, and one that lists none
    "framing_seed_only": (["--shim", broken("seed_only")] + LIBVIRT + ["--random", "200", "--timeout-ms", "2000"], 1,
                          [r"rejected a valid wire: .*\(the wire has a libvirt-0\.3 header: word 1 \(length\) is the "
                           r"total length \d+ \(header included\), word 2 \(prog\) is the program number 0x20001A64\)",
                           r"the header is framed as seed: word 1 the magic 0x20001A64, word 2 the payload length; "
                           r"this run expects libvirt-0\.3"], 120, every_valid_framed_case_fails),
    "framing_not_listed": (["--shim", broken("no_framings")] + LIBVIRT + FAST, 0,
                           [r"does not list framing libvirt-0\.3 in its hello reply's \"framings\"",
                            r"unsupported framing: libvirt-0\.3"], 60),
    "framing_not_listed_require_all": (["--shim", broken("no_framings"), "--require-all"] + LIBVIRT + FAST, 2,
                                       [r"cannot run: .*does not list framing libvirt-0\.3.*--require-all"], 30),
    "bad_framing": (LIBVIRT[:1] + ["libvirt-9"], 2, [r"--framing"], 30),
    # --- a correct shim, on the hand-made vectors
    "python_mini": (["--shim", PYTHON_SHIM, "--vectors", MINI, "--random", "100"], 0, [r"python-xdrlib: PASS"], 60),
    # --- broken shims: each failure is named, the run goes on, the status is 1
    "wrong_field": (["--shim", broken("wrong_field")] + FAST, 1,
                    [r"FAIL random/server/QEMUD_SERVER_PKT_GET_VERSION/\d+ .*data\.getVersionReply\.versionNum: expected",
                     r"rerun: .*--only 'random/server/QEMUD_SERVER_PKT_GET_VERSION/\d+'", r"158 passed, 2 failed"], 60),
    "wrong_wire": (["--shim", broken("wrong_wire")] + FAST, 1,
                   [r"encode: byte 0xf \(15\) in data\.getVersionReply\.versionNum: expected word 000000..,",
                    r"encode: byte 0x17 \(23\) in data\.getVersionReply\.versionNum: expected word"], 60),
    "missing_arm": (["--shim", broken("missing_arm", "QEMUD_CLIENT_PKT_DOMAIN_SAVE")] + FAST, 1,
                    [r"QEMUD_CLIENT_PKT_DOMAIN_SAVE.*rejected a valid wire: unknown union arm",
                     r"QEMUD_CLIENT_PKT_DOMAIN_SAVE +\d+ +[1-9]"], 60),
    "crash": (["--shim", broken("crash")] + FAST, 1,
              [r"crash: the shim exited with status \d+ before replying; shim stderr ends: broken shim: segfaulting",
               r"158 passed, 2 failed"], 60),
    "early_exit": (["--shim", broken("exit")] + FAST, 1, [r"crash: the shim exited with status 0", r"158 passed"], 60),
    "hang": (["--shim", broken("hang")] + FAST, 1, [r"timeout: no reply within 500 ms", r"158 passed, 2 failed"], 20),
    "garbage": (["--shim", broken("garbage")] + FAST, 1, [r"garbage reply \(not a JSON object\)", r"158 passed"], 60),
    "wrong_id": (["--shim", broken("wrong_id")] + FAST, 1, [r"reply to the wrong id: sent id \d+, reply has \d+",
                                                             r"158 passed"], 60),
    "oversized": (["--shim", broken("oversized")] + FAST, 1, [r"oversized reply", r"158 passed"], 60),
    "float_int": (["--shim", broken("float_int")] + FAST, 1, [r"serial: expected the JSON integer \d+, got \d+\.0"], 60),
    "stderr_flood": (["--shim", broken("stderr_flood")] + FAST, 0, [r"160 passed, 0 failed"], 90),
    "uppercase_hex": (["--shim", broken("uppercase_hex")] + FAST, 0, [r"160 passed, 0 failed"], 60),
    "always_hang": (["--shim", broken("always_hang"), "--no-golden", "--random", "40", "--timeout-ms", "200"], 1,
                    [r"gave up restarting the shim after 20 restarts in a row", r"0 passed, 40 failed"], 40),
    # --- runs that cannot be made: status 2 and one line saying why
    "no_hello": (["--shim", broken("no_hello")] + FAST, 2, [r"cannot run: .*hello: crash: the shim exited with status 3"], 30),
    "not_found": (["--shim", "/nonexistent/qemud-shim"] + FAST, 2, [r"cannot run: .*status 127"], 30),
    "no_kinds": (["--shim", broken("no_kinds")] + FAST, 2, [r"no case was executed", r"unsupported kind"], 30),
    "all_unsupported": (["--shim", broken("all_unsupported")] + FAST, 2, [r"no case was executed", r"unsupported op"], 30),
    "only_nothing": (["--vectors", MINI, "--only", "no/such/*"], 2, [r"--only matched no case"], 30),
    "missing_vectors": (["--vectors", "/nonexistent/golden"], 2, [r"golden vectors missing"], 30),
    "bad_argument": (["--random", "lots"], 2, [r"--random"], 30),
    # --- skips
    "client_only": (["--shim", broken("client_only")] + FAST, 0, [r"unsupported kind: server"], 60),
    "require_all": (["--shim", broken("client_only"), "--require-all"] + FAST, 1,
                    [r"skipped under --require-all: unsupported kind"], 60),
    "disabled": (["--shim", PYTHON_SHIM, "--disabled", "@DISABLED@"] + FAST, 0,
                 [r"disabled \(random/server\*/\*\): server side not written yet",
                  r"--disabled glob 'random/nothing/\*' matches no case"], 60),
    # --- the bundled shims over all golden vectors (label shims)
    "python_shim": (["--shim", PYTHON_SHIM, "--random", "1000"], 0, [r"python-xdrlib: PASS"], 120),
    "node_shim": (["--shim", NODE_SHIM, "--random", "200"], 0, [r"node-js-xdr: PASS"], 120),
    "python_shim_libvirt": (["--shim", PYTHON_SHIM] + LIBVIRT + ["--random", "500"], 0, [r"python-xdrlib: PASS"], 120),
    "node_shim_libvirt": (["--shim", NODE_SHIM] + LIBVIRT + ["--random", "200"], 0, [r"node-js-xdr: PASS"], 120),
}


def run_scenario(runner, name):
    args, want_status, patterns, limit = SCENARIOS[name][:4]
    report_check = SCENARIOS[name][4] if len(SCENARIOS[name]) > 4 else None
    with tempfile.TemporaryDirectory() as tmp:
        disabled = os.path.join(tmp, "disabled.json")
        with open(disabled, "w") as f:
            json.dump({"random/server*/*": "server side not written yet", "random/nothing/*": "stale entry"}, f)
        args = [disabled if a == "@DISABLED@" else a for a in args]
        junit, report = os.path.join(tmp, "junit.xml"), os.path.join(tmp, "report.json")
        cmd = [runner] + args + ["--junit", junit, "--json", report, "-q"]
        started = time.monotonic()
        try:
            proc = subprocess.run(cmd, cwd=SOURCE, capture_output=True, text=True, errors="replace",
                                  timeout=limit + 30)
        except subprocess.TimeoutExpired:
            return ["did not finish within %d s" % (limit + 30)]
        elapsed = time.monotonic() - started
        output = proc.stdout + proc.stderr
        problems = []
        if proc.returncode != want_status:
            problems.append("exit status %d, expected %d" % (proc.returncode, want_status))
        if elapsed > limit:
            problems.append("took %.1f s, limit %d s" % (elapsed, limit))
        for pattern in patterns:
            if not re.search(pattern, output):
                problems.append("output lacks /%s/" % pattern)
        if want_status == 2:
            lines = [l for l in proc.stderr.splitlines() if l.startswith("qemud-conform: ")]
            if not lines:
                problems.append("no one-line reason for status 2 on stderr")
        if proc.returncode in (0, 1):
            problems += check_reports(junit, report)
            if report_check:
                try:
                    with open(report) as f:
                        problems += report_check(json.load(f))
                except (OSError, ValueError) as error:
                    problems.append("JSON report unreadable: %s" % error)
        if problems:
            problems.append("command: " + " ".join(shlex.quote(c) for c in cmd))
            problems.append("output (first 40 lines):\n" + "\n".join(output.splitlines()[:40]))
        return problems


def check_reports(junit, report):
    problems = []
    try:
        with open(report) as f:
            doc = json.load(f)
        cases = sum(len(r["cases"]) for r in doc["runs"])
    except (OSError, ValueError, KeyError) as error:
        return ["JSON report unreadable: %s" % error]
    try:
        root = ET.parse(junit).getroot()
    except (OSError, ET.ParseError) as error:
        return ["JUnit file does not parse as XML: %s" % error]
    testcases = root.findall(".//testcase")
    if len(testcases) != cases:
        problems.append("JUnit has %d <testcase>s, the JSON report %d cases" % (len(testcases), cases))
    failed = sum(1 for r in doc["runs"] for c in r["cases"] if c["status"] == "failed")
    if len(root.findall(".//testcase/failure")) != failed:
        problems.append("JUnit <failure>s differ from the JSON report's failed cases")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runner", required=True)
    parser.add_argument("--list", action="store_true")
    parser.add_argument("scenarios", nargs="*")
    args = parser.parse_args()
    if args.list:
        print("\n".join(SCENARIOS))
        return 0
    failed = 0
    for name in args.scenarios or list(SCENARIOS):
        problems = run_scenario(os.path.abspath(args.runner), name)
        print("%s %s" % ("FAIL" if problems else "ok  ", name))
        for p in problems:
            print("    " + p.replace("\n", "\n    "))
        failed += bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
