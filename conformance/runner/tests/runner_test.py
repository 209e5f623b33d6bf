#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
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
import resource
import shlex
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
# The hand-made vectors carry protocolSha256 0...0: they run with --any-protocol.
MINI = os.path.join(HERE, "data", "golden-mini")
# The Python shims run under this interpreter: the one whose xdrlib ctest
# checked before the scenario started (cmake/tool_test.cmake).
PYTHON = shlex.quote(sys.executable) + " "
PYTHON_SHIM = PYTHON + shlex.quote(os.path.join(SOURCE, "conformance", "shims", "python-xdrlib", "shim.py"))
NODE_SHIM = "node " + shlex.quote(os.path.join(SOURCE, "conformance", "shims", "node-js-xdr", "shim.js"))


def broken(fault, arm=None):
    cmd = PYTHON + shlex.quote(os.path.join(HERE, "broken_shim.py")) + " " + fault
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
# The server payload vectors: every rule of the values to refuse, in a few seconds.
REFUSALS = ["--only", "golden/server/*", "--timeout-ms", "2000", "--max-failures", "400"]
SCENARIOS = {
    # --- the in-tree implementations (no --shim)
    "inprocess_mini": (["--vectors", MINI, "--any-protocol", "--random", "200"], 0,
                       [r"rpcgen: PASS", r"cxx: PASS", r"dynamic: PASS", r"non_canonical_char: 1 accepted"], 60),
    "inprocess_golden": (["--random", "200"], 0, [r"rpcgen: PASS", r"cxx: PASS", r"dynamic: PASS"], 90),
    "inprocess_one_impl": (["--impl", "cxx", "--vectors", MINI, "--any-protocol"], 0, [r"cxx in-tree: 13 cases"], 30),
    "unknown_impl": (["--impl", "nope", "--vectors", MINI, "--any-protocol"], 2, [r"no such in-tree implementation"], 30),
    "inprocess_libvirt": (LIBVIRT + ["--random", "200"], 0, [r"rpcgen: PASS", r"cxx: PASS", r"dynamic: PASS"], 90),
    # --- framing profiles: a shim that claims libvirt-0.3 but frames the seed's way, and one that lists none
    "framing_seed_only": (["--shim", broken("seed_only")] + LIBVIRT + ["--random", "200", "--timeout-ms", "2000"], 1,
                          [r"rejected a valid wire \(.*\): .*\(the wire has a libvirt-0\.3 header: word 1 \(length\) is the "
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
    "python_mini": (["--shim", PYTHON_SHIM, "--vectors", MINI, "--any-protocol", "--random", "100"], 0, [r"python-xdrlib: PASS"], 60),
    # --- broken shims: each failure is named, the run goes on, the status is 1
    "wrong_field": (["--shim", broken("wrong_field")] + FAST, 1,
                    [r"FAIL random/server/QEMUD_SERVER_PKT_GET_VERSION/\d+ .*data\.getVersionReply\.versionNum: expected",
                     r"rerun: .*--only 'random/server/QEMUD_SERVER_PKT_GET_VERSION/\d+'", r"158 passed, 2 failed"], 60),
    "wrong_wire": (["--shim", broken("wrong_wire")] + FAST, 1,
                   [r"encode: byte 0xf \(15\) in data\.getVersionReply\.versionNum: expected word 000000..,",
                    r"encode: byte 0x17 \(23\) in data\.getVersionReply\.versionNum: expected word"], 60),
    "missing_arm": (["--shim", broken("missing_arm", "QEMUD_CLIENT_PKT_DOMAIN_SAVE")] + FAST, 1,
                    [r"QEMUD_CLIENT_PKT_DOMAIN_SAVE.*rejected a valid wire \(random\): unknown union arm",
                     r"QEMUD_CLIENT_PKT_DOMAIN_SAVE +\d+ +[1-9]"], 60),
    "crash": (["--shim", broken("crash")] + FAST, 1,
              [r"crash: the shim exited with status \d+ before replying; shim stderr:\n +broken shim: segfaulting",
               r"158 passed, 2 failed"], 60),
    "early_exit": (["--shim", broken("exit")] + FAST, 1, [r"crash: the shim exited with status 0", r"158 passed"], 60),
    "hang": (["--shim", broken("hang")] + FAST, 1, [r"timeout: no reply within 500 ms", r"158 passed, 2 failed"], 20),
    "garbage": (["--shim", broken("garbage")] + FAST, 1, [r"garbage reply \(not a JSON object\)", r"158 passed"], 60),
    "wrong_id": (["--shim", broken("wrong_id")] + FAST, 1, [r"reply to the wrong id: sent id \d+, reply has \d+",
                                                             r"158 passed"], 60),
    "oversized": (["--shim", broken("oversized")] + FAST, 1, [r"oversized reply", r"158 passed"], 60),
    "float_int": (["--shim", broken("float_int")] + FAST, 1, [r"serial: expected the JSON integer \d+, got \d+\.0"], 60),
    # --- lenient encoders: a value they should refuse is sent as another message, and the member is named
    "zero_fill": (["--shim", broken("zero_fill")] + REFUSALS, 1,
                  [r"encoded a value it must refuse \(unencodable_value,missing_member\): "
                   r"data\.domainGetInfoReply\.cpuTime is wrong"], 60),
    "wrap_ints": (["--shim", broken("wrap_ints")] + REFUSALS, 1,
                  [r"encoded a value it must refuse \(unencodable_value,uint32_out_of_range\): serial is wrong",
                   r"\(unencodable_value,non_integer_number\)", r"\(unencodable_value,string_for_integer\)"], 60),
    "pad_hex": (["--shim", broken("pad_hex")] + REFUSALS, 1,
                [r"encoded a value it must refuse \(unencodable_value,hex_too_short\): data\.\w+\.\w+ is wrong",
                 r"\(unencodable_value,hex_odd_length\)"], 60),
    # A Go-style panic: the report keeps its message (first) and its last lines, and counts the rest
    "panic": (["--shim", broken("panic"), "--no-golden", "--random", "160", "--timeout-ms", "3000"], 1,
              [r"FAIL random/server/QEMUD_SERVER_PKT_GET_VERSION/\d+ \[QEMUD_SERVER_PKT_GET_VERSION\] decode: crash: "
               r"the shim exited with status 2 before replying; shim stderr:\n {9}panic: runtime error: index out of "
               r"range \[7\] with length 4\n", r"158 passed, 2 failed"], 60, lambda doc: panic_kept(doc)),
    # A valid vector rejected: the failure names its flags and comment
    "rejected_valid": (["--shim", broken("missing_arm", "QEMUD_CLIENT_PKT_DOMAIN_LOOKUP_BY_NAME"), "--only",
                        "golden/client/*", "--max-failures", "100"], 1,
                       [r"FAIL golden/client/tc109 \[QEMUD_CLIENT_PKT_DOMAIN_LOOKUP_BY_NAME\] decode: rejected a valid "
                        r"wire \(canonical,realistic; QEMUD_CLIENT_PKT_DOMAIN_LOOKUP_BY_NAME realistic value\): unknown "
                        r"union arm",
                        r"FAIL golden/client/tc112 .*rejected a valid wire \(zero_extended_char,decode_only; "
                        r"QEMUD_CLIENT_PKT_DOMAIN_LOOKUP_BY_NAME name\[25\] byte 0xE9 written zero-extended "
                        r"000000E9\)"], 60),
    "stderr_flood": (["--shim", broken("stderr_flood")] + FAST, 0, [r"160 passed, 0 failed"], 90),
    "uppercase_hex": (["--shim", broken("uppercase_hex")] + FAST, 0, [r"160 passed, 0 failed"], 60),
    "always_hang": (["--shim", broken("always_hang"), "--no-golden", "--random", "40", "--timeout-ms", "200"], 1,
                    [r"gave up restarting the shim after 20 restarts in a row", r"0 passed, 40 failed"], 40),
    # --- runs that cannot be made: status 2 and one line saying why
    "no_hello": (["--shim", broken("no_hello")] + FAST, 2, [r"cannot run: .*hello: crash: the shim exited with status 3"], 30),
    "not_found": (["--shim", "/nonexistent/qemud-shim"] + FAST, 2, [r"cannot run: .*status 127"], 30),
    "no_kinds": (["--shim", broken("no_kinds")] + FAST, 2, [r"no case was executed", r"unsupported kind"], 30),
    "all_unsupported": (["--shim", broken("all_unsupported")] + FAST, 2, [r"no case was executed", r"unsupported op"], 30),
    "only_nothing": (["--vectors", MINI, "--any-protocol", "--only", "no/such/*"], 2, [r"--only matched no case"], 30),
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


# broken_shim.py's go_panic(): 404 lines on stderr. The runner keeps 20 from each end.
PANIC_LINES, KEPT = 404, 20


def panic_kept(doc):
    """Each crash's reason keeps the panic's first lines and its last one, counts the lines between, and is
    bounded, though the shim logged a line per request before it (stderr is kept per request)."""
    problems = []
    failed = [c for r in doc["runs"] for c in r["cases"] if c["status"] == "failed"]
    if len(failed) != 2:
        return ["%d failed cases, expected 2" % len(failed)]
    for c in failed:
        lines = c["reason"].split("\n")
        want_first = ["decode: crash: the shim exited with status 2 before replying; shim stderr:",
                      "  panic: runtime error: index out of range [7] with length 4", "  ",
                      "  goroutine 1 [running]:"]
        if lines[:4] != want_first:
            problems.append("%s: the reason does not start with the panic: %r" % (c["name"], lines[:4]))
        marker = "  [... %d lines omitted ...]" % (PANIC_LINES - 2 * KEPT)
        if marker not in lines or lines.index(marker) != 1 + KEPT:
            problems.append("%s: no %r after the first %d lines" % (c["name"], marker.strip(), KEPT))
        if lines[-1] != "  exit status 2" or len(lines) != 1 + 2 * KEPT + 1:
            problems.append("%s: the reason does not end with the panic's last %d lines: %r" %
                            (c["name"], KEPT, lines[-3:]))
        if len(c["reason"]) > 2 * 2048 + 400:
            problems.append("%s: the reason is %d bytes" % (c["name"], len(c["reason"])))
    return problems


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


# --- scenarios that need more than one command line (files, limits, signals)

def run(cmd, timeout=60, **kwargs):
    return subprocess.run(cmd, cwd=SOURCE, capture_output=True, text=True, errors="replace", timeout=timeout,
                          **kwargs)


def one_line_status_2(proc, what, pattern):
    """Problems unless proc exited 2 with a qemud-conform line matching pattern."""
    problems = []
    if proc.returncode != 2:
        problems.append("%s: exit status %d, expected 2" % (what, proc.returncode))
    if not re.search(pattern, proc.stderr):
        problems.append("%s: stderr lacks /%s/: %s" % (what, pattern, proc.stderr.strip()[:400]))
    if "internal error" in proc.stderr:
        problems.append("%s: says internal error" % what)
    return problems


def leftovers(folder, keep):
    return sorted(set(os.listdir(folder)) - set(keep))


def limit_file_size(size):
    return lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))


def reports_unwritable(runner, tmp):
    problems = []
    # A FIFO stands for a device (never /dev/full itself: a broken runner
    # would replace a device of the machine).
    device = os.path.join(tmp, "device")
    os.mkfifo(device)
    proc = run([runner, "--impl", "cxx", "--vectors", MINI, "--any-protocol", "-q", "--junit", device], timeout=30)
    problems += one_line_status_2(proc, "--junit FIFO", re.escape(device) + r": not a regular file")
    if not stat.S_ISFIFO(os.stat(device).st_mode):
        problems.append("the FIFO was replaced")
    os.unlink(device)
    # A 2 KiB file-size limit: the write fails halfway; the old file stays.
    for option in ("--junit", "--json"):
        path = os.path.join(tmp, "report")
        with open(path, "w") as f:
            f.write("old\n")
        proc = run([runner, "--impl", "cxx", "--no-golden", "--random", "300", "-q", option, path],
                   preexec_fn=limit_file_size(2048))
        problems += one_line_status_2(proc, option + " under a 2 KiB limit", re.escape(path) + r".*File too large")
        with open(path) as f:
            if f.read() != "old\n":
                problems.append(option + ": the old file was not left intact")
        if leftovers(tmp, ["report"]):
            problems.append(option + ": left behind %s" % leftovers(tmp, ["report"]))
        os.unlink(path)
    return problems


def report_path_first(runner, tmp):
    # The shim would leave a file if it ever started: it must not.
    started = os.path.join(tmp, "started")
    shim = "touch %s; exec %s" % (shlex.quote(started), PYTHON_SHIM)
    problems = []
    for option in ("--junit", "--json"):
        proc = run([runner, "--shim", shim, "--no-golden", "--random", "50", "-q", option,
                    os.path.join(tmp, "no", "such", "dir", "r.xml")])
        problems += one_line_status_2(proc, option + " in a missing folder", option + r": cannot write .*no/such/dir")
    if os.path.exists(started):
        problems.append("the shim was started before the report path was checked")
    return problems


def bad_numbers(runner, tmp):
    problems = []
    for option, value, pattern in (("--random", "-5", r"--random: must be a non-negative integer"),
                                   ("--random", "1e3", r"--random: must be a non-negative integer"),
                                   ("--seed", "-1", r"--seed: must be a non-negative integer"),
                                   ("--max-failures", "-3", r"--max-failures: must be a non-negative integer"),
                                   ("--timeout-ms", "-1", r"--timeout-ms: must be a positive integer"),
                                   ("--timeout-ms", "0", r"--timeout-ms: must be a positive integer")):
        proc = run([runner, "--impl", "cxx", "--no-golden", "--random", "1", option, value, "-q"])
        problems += one_line_status_2(proc, option + " " + value, pattern)
    return problems


def copy_mini(tmp):
    folder = os.path.join(tmp, "vectors")
    shutil.copytree(MINI, folder)
    return folder


def protocol_mismatch(runner, tmp):
    problems = []
    proc = run([runner, "--impl", "cxx", "--vectors", MINI, "-q"])
    problems += one_line_status_2(proc, "vectors of another protocol",
                                  r"protocolSha256 is 0{64} but this build's protocol.x is [0-9a-f]{64}.*--any-protocol")
    junit, report = os.path.join(tmp, "j.xml"), os.path.join(tmp, "r.json")
    proc = run([runner, "--impl", "cxx", "--vectors", MINI, "--any-protocol", "-q", "--junit", junit, "--json", report])
    if proc.returncode != 0:
        problems.append("--any-protocol: exit status %d, expected 0" % proc.returncode)
    else:
        with open(report) as f:
            notes = [n for r in json.load(f)["runs"] for n in r["notes"]]
        if not any(n.startswith("--any-protocol") for n in notes):
            problems.append("--any-protocol: the JSON report has no note saying so")
        props = [p.get("value", "") for p in ET.parse(junit).getroot().iter("property") if p.get("name") == "note"]
        if not any(v.startswith("--any-protocol") for v in props):
            problems.append("--any-protocol: the JUnit report has no note property saying so")
    return problems


def vector_malformed(runner, tmp):
    folder = copy_mini(tmp)
    path = os.path.join(folder, "server_test.json")
    with open(path) as f:
        doc = json.load(f)
    test = next(t for g in doc["testGroups"] for t in g["tests"] if t["result"] == "valid")
    arm = test["value"]["data"]
    member = [k for k in arm if k != "type"][0]
    field = sorted(arm[member])[0]
    arm[member][field] = "not a number" if not isinstance(arm[member][field], str) else 12345
    with open(path, "w") as f:
        json.dump(doc, f)
    proc = run([runner, "--impl", "cxx", "--vectors", folder, "--any-protocol", "-q"])
    return one_line_status_2(proc, "a wrongly typed value",
                             re.escape(path) + r" tcId %d: member value\.data\.%s\.%s" % (test["tcId"], member, field))


def vector_parse_errors(runner, tmp):
    problems = []
    folder = copy_mini(tmp)
    path = os.path.join(folder, "client_test.json")
    with open(path) as f:
        text = f.read()
    with open(path, "w") as f:
        f.write(text[:len(text) // 2])
    proc = run([runner, "--impl", "cxx", "--vectors", folder, "--any-protocol", "-q"])
    problems += one_line_status_2(proc, "truncated vectors", re.escape(path) + r":\d+:\d+: not valid JSON")
    os.unlink(path)
    os.mkdir(path)
    proc = run([runner, "--impl", "cxx", "--vectors", folder, "--any-protocol", "-q"])
    problems += one_line_status_2(proc, "a directory as vector file", re.escape(path) + r": is a directory")
    os.rmdir(path)
    shutil.copy(os.path.join(MINI, "client_test.json"), path)
    proc = run([runner, "--impl", "cxx", "--vectors", folder, "--any-protocol", "-q", "--disabled", folder])
    problems += one_line_status_2(proc, "a directory as --disabled", r"--disabled: " + re.escape(folder) + r": is a directory")
    disabled = os.path.join(tmp, "disabled.json")
    with open(disabled, "w") as f:
        f.write('{"golden/*": "why",\n  "x": }\n')
    proc = run([runner, "--impl", "cxx", "--vectors", folder, "--any-protocol", "-q", "--disabled", disabled])
    problems += one_line_status_2(proc, "a broken --disabled", re.escape(disabled) + r":2:8: not valid JSON")
    header = os.path.join(folder, "header_test.json")
    with open(header) as f:
        doc = json.load(f)
    tests = doc["testGroups"][0]["tests"]
    tests[1]["tcId"] = tests[0]["tcId"]
    with open(header, "w") as f:
        json.dump(doc, f)
    proc = run([runner, "--impl", "cxx", "--vectors", folder, "--any-protocol", "-q"])
    problems += one_line_status_2(proc, "duplicate tcIds", re.escape(header) + r": tcId %d appears twice" % tests[0]["tcId"])
    return problems


def marked_processes(mark):
    """pids whose environment holds mark (the shim, its shell and its children)."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            with open("/proc/%s/environ" % pid, "rb") as f:
                if mark.encode() in f.read():
                    found.append(int(pid))
        except OSError:
            pass
    return found


def interrupted_reports(junit, report, signum):
    """Problems unless both reports parse, say interrupted, and agree on the cases."""
    problems = []
    try:
        with open(report) as f:
            doc = json.load(f)
        root = ET.parse(junit).getroot()
    except (OSError, ValueError, ET.ParseError) as error:
        return ["reports missing or invalid after the signal: %s" % error]
    if doc.get("interrupted") is not True or doc.get("signal") != signum or doc.get("exitCode") != 128 + signum:
        problems.append("JSON report does not say interrupted by %d: %s" %
                        (signum, {k: doc.get(k) for k in ("interrupted", "signal", "exitCode")}))
    if not any(r.get("interrupted") for r in doc["runs"]):
        problems.append("no run in the JSON report says interrupted")
    props = {(p.get("name"), p.get("value")) for p in root.iter("property")}
    if ("interrupted", "true") not in props:
        problems.append("JUnit has no interrupted=true property")
    cases = [c for r in doc["runs"] for c in r["cases"]]
    if len(root.findall(".//testcase")) != len(cases):
        problems.append("JUnit has %d <testcase>s, the JSON report %d cases" % (len(root.findall(".//testcase")), len(cases)))
    return problems, cases


def interrupt_shim(runner, tmp, twice=False):
    mark = "QEMUD_RUNNER_TEST_MARK=%d-%d" % (os.getpid(), time.monotonic_ns())
    hanging = os.path.join(tmp, "hanging")
    # The shim's shell also starts a sleeping child in its process group:
    # the runner must end the whole group.
    shim = "sleep 3600 & exec " + broken("hang")
    env = dict(os.environ, QEMUD_RUNNER_TEST_MARK=mark.split("=", 1)[1], QEMUD_BROKEN_SHIM_HANG_FILE=hanging)
    junit, report = os.path.join(tmp, "j.xml"), os.path.join(tmp, "r.json")
    cmd = [runner, "--shim", shim, "--no-golden", "--random", "400", "--timeout-ms", "120000", "-q",
           "--junit", junit, "--json", report]
    proc = subprocess.Popen(cmd, cwd=SOURCE, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    problems = []
    try:
        deadline = time.monotonic() + 60
        while not os.path.exists(hanging) and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        if not os.path.exists(hanging):
            problems.append("the shim never reached its hang")
        proc.send_signal(signal.SIGTERM)
        if twice:
            proc.send_signal(signal.SIGTERM)
        started = time.monotonic()
        out, err = proc.communicate(timeout=20)
        if time.monotonic() - started > 5:
            problems.append("took %.1f s to stop after SIGTERM" % (time.monotonic() - started))
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        problems.append("did not stop within 20 s of SIGTERM")
    if proc.returncode != 143:
        problems.append("exit status %d, expected 143" % proc.returncode)
    time.sleep(0.2)
    survivors = marked_processes(mark)
    for pid in survivors:
        os.kill(pid, signal.SIGKILL)
    if survivors:
        problems.append("processes of the shim survived: %s" % survivors)
    temporaries = [n for n in os.listdir(tmp) if ".tmp" in n]
    if temporaries:
        problems.append("temporaries left behind: %s" % temporaries)
    if not twice:
        found = interrupted_reports(junit, report, signal.SIGTERM)
        if isinstance(found, list):
            return problems + found
        more, cases = found
        problems += more
        # Every case before the hang finished and is there, in order; the
        # case cut short is not reported as failed.
        names = [c["name"] for c in cases]
        if not names:
            problems.append("no finished case in the reports")
        if [int(n.rsplit("/", 1)[1]) for n in names] != list(range(len(names))):
            problems.append("the finished cases are not random/.../0..%d: %s" % (len(names) - 1, names[:5]))
        if any(c["status"] != "passed" for c in cases):
            problems.append("a case is not passed: the interrupted case was reported")
        if "interrupted" not in out:
            problems.append("the summary does not say interrupted")
    if problems:
        problems.append("stderr: " + err.strip()[:400])
    return problems


def interrupt_inprocess(runner, tmp):
    junit, report = os.path.join(tmp, "j.xml"), os.path.join(tmp, "r.json")
    # Long enough that the signal always comes first: 30000 cases take about 1.2 s on an idle machine.
    proc = subprocess.Popen([runner, "--impl", "cxx", "--no-golden", "--random", "1000000", "-q", "--junit", junit,
                             "--json", report], cwd=SOURCE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)
    proc.send_signal(signal.SIGINT)
    try:
        proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return ["did not stop within 60 s of SIGINT"]
    if proc.returncode == 0:
        return ["finished before the signal: make the run longer"]
    problems = [] if proc.returncode == 130 else ["exit status %d, expected 130" % proc.returncode]
    found = interrupted_reports(junit, report, signal.SIGINT)
    return problems + (found if isinstance(found, list) else found[0])


def peak_rss_kb(cmd):
    """Peak RSS of cmd, measured in a fresh interpreter whose only child it is."""
    probe = ("import resource, subprocess, sys\n"
             "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)\n"
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")
    proc = run([sys.executable, "-c", probe] + cmd, timeout=300)
    return int(proc.stdout.strip()) if proc.returncode == 0 else None


def random_report_cases(path):
    """The cases of a one-run JSON report."""
    with open(path) as f:
        return json.load(f)["runs"][0]["cases"]


def memory_bounded(runner, tmp):
    # Cases are drawn, run and written one at a time: twenty times the
    # cases must not take much more memory (it took about 9 KB per case
    # when every case was built before the run: some 360 MB more for
    # 40000 than for 2000), and the reports must still hold every case.
    small, large = 2000, 40000
    sizes = {}
    for n in (small, large):
        sizes[n] = peak_rss_kb([runner, "--impl", "cxx", "--no-golden", "--random", str(n), "-q",
                                "--junit", os.path.join(tmp, "j%d.xml" % n), "--json", os.path.join(tmp, "r%d.json" % n)])
        if sizes[n] is None:
            return ["--random %d did not pass" % n]
    print("peak RSS: --random %d: %d KB, --random %d: %d KB" % (small, sizes[small], large, sizes[large]))
    problems = []
    # 1.5 times plus 8 MB: room for allocator noise, none for a per-case cost.
    if sizes[large] > sizes[small] * 3 // 2 + 8 * 1024:
        problems.append("peak RSS grows with --random: %d KB for %d cases, %d KB for %d"
                        % (sizes[small], small, sizes[large], large))
    cases = {n: random_report_cases(os.path.join(tmp, "r%d.json" % n)) for n in (small, large)}
    names = [c["name"] for c in cases[large]]
    if len(names) != large or [int(name.rsplit("/", 1)[1]) for name in names] != list(range(large)):
        problems.append("the JSON report of --random %d holds %d cases, not random cases 0..%d in order"
                        % (large, len(names), large - 1))
    junit = [tc.get("name") for tc in ET.parse(os.path.join(tmp, "j%d.xml" % large)).getroot().iter("testcase")]
    if junit != names:
        problems.append("the JUnit file of --random %d holds %d testcases, not the JSON report's %d cases in order"
                        % (large, len(junit), len(names)))
    # Case i depends on (seed, i) alone: the small run is the large one's start.
    if cases[large][:small] != cases[small]:
        problems.append("the first %d cases of --random %d differ from --random %d's" % (small, large, small))
    return problems


def html_memory_bounded(runner, tmp):
    """--html renders its pages from the JSON report read case by case: twenty times the cases must not take much
    more memory (reading the report whole took some 1.7 KB a case), and the page must still list every case."""
    small, large = 2000, 40000
    sizes = {}
    for n in (small, large):
        sizes[n] = peak_rss_kb([runner, "--impl", "cxx", "--no-golden", "--random", str(n), "-q",
                                "--html", os.path.join(tmp, "html%d" % n)])
        if sizes[n] is None:
            return ["--random %d --html did not pass" % n]
    print("peak RSS with --html: --random %d: %d KB, --random %d: %d KB" % (small, sizes[small], large, sizes[large]))
    problems = []
    if sizes[large] > sizes[small] * 3 // 2 + 8 * 1024:
        problems.append("peak RSS with --html grows with --random: %d KB for %d cases, %d KB for %d"
                        % (sizes[small], small, sizes[large], large))
    with open(os.path.join(tmp, "html%d" % large, "impl-1.html"), encoding="utf-8") as f:
        rows = re.findall(r'<tr><td class="name">([^<]*)</td>', f.read())
    names = [c["name"] for c in random_report_cases(os.path.join(tmp, "html%d" % large, "report.json"))]
    if sorted(rows) != sorted(names) or len(names) != large:
        problems.append("impl-1.html lists %d cases, report.json %d, --random %d" % (len(rows), len(names), large))
    return problems


def seed_reproducible(runner, tmp):
    """One seed, one set of cases: two runs report the same cases alike; another seed spoils other values."""
    reports = {}
    for label, seed in (("first", "7"), ("again", "7"), ("other", "8")):
        path = os.path.join(tmp, label + ".json")
        proc = run([runner, "--impl", "cxx", "--no-golden", "--random", "3000", "--seed", seed, "-q", "--json", path],
                   timeout=120)
        if proc.returncode != 0:
            return ["--seed %s: exit status %d: %s" % (seed, proc.returncode, proc.stderr[:300])]
        reports[label] = random_report_cases(path)
    problems = []
    if reports["first"] != reports["again"]:
        differ = [a["name"] for a, b in zip(reports["first"], reports["again"]) if a != b]
        problems.append("--seed 7 twice: %d cases differ, e.g. %s" % (len(differ), differ[:1]))
    # The spoiled values (flags unencodable_value and the rule) are drawn
    # from the seed: the same records under another seed would mean the
    # seed is not used.
    if reports["first"] == reports["other"]:
        problems.append("--seed 7 and --seed 8 report the same cases")
    return problems


def golden_message_types(folder, framing_dir=""):
    """What each golden case must be reported under, {case name: messageType}, from the vector files; and the
    names of the themed vectors that carry an arm."""
    want, armed = {}, []
    for kind in ("header", "client", "server", "client_message", "server_message"):
        framed = kind in ("header", "client_message", "server_message")
        prefix = framing_dir if framed and framing_dir else ""
        with open(os.path.join(folder, prefix, kind + "_test.json")) as f:
            doc = json.load(f)
        for g in doc["testGroups"]:
            for t in g["tests"]:
                name = "golden/%s%s/tc%d" % (prefix + "/" if prefix else "", kind, t["tcId"])
                want[name] = "header" if kind == "header" else g.get("arm") or t.get("arm") or g.get("name")
                if "name" in g and "arm" in t:
                    armed.append(name)
    return want, armed


def themed_arms(runner, tmp):
    """Themed vectors are reported under their arm; header holds only header vectors."""
    problems = []
    golden = os.path.join(SOURCE, "golden")
    for framing, folder in (("seed", ""), ("libvirt-0.3", "libvirt-0.3")):
        report = os.path.join(tmp, "r.json")
        proc = run([runner, "--impl", "cxx", "--framing", framing, "-q", "--json", report], timeout=120)
        if proc.returncode != 0:
            return ["--framing %s: exit status %d: %s" % (framing, proc.returncode, proc.stderr[:300])]
        with open(report) as f:
            cases = {c["name"]: c for c in json.load(f)["runs"][0]["cases"]}
        want, armed = golden_message_types(golden, folder)
        wrong = [(n, cases[n]["messageType"], t) for n, t in want.items() if cases[n]["messageType"] != t]
        if wrong:
            problems.append("--framing %s: %d cases under the wrong message type, e.g. %s" % (framing, len(wrong), wrong[:3]))
        in_header = [n for n, c in cases.items() if c["messageType"] == "header" and c["kind"] != "header"]
        if in_header:
            problems.append("--framing %s: %d cases of other kinds under header, e.g. %s" % (framing, len(in_header), in_header[:3]))
        rows = re.findall(r"^  header +(\d+) +(\d+) +(\d+) +(\d+) +(\d+)", proc.stdout, re.M)
        headers = sum(1 for c in cases.values() if c["kind"] == "header")
        if not rows or sum(map(int, rows[0])) != headers:
            problems.append("--framing %s: the summary's header row %s does not count the %d header vectors" %
                            (framing, rows, headers))
        if len(armed) < 40:
            problems.append("--framing %s: only %d themed vectors carry an arm" % (framing, len(armed)))
    # A file without arms on its themed vectors (an older generator's)
    # reports them under the group's name; an arm, where given, wins.
    folder = copy_mini(tmp)
    path = os.path.join(folder, "client_test.json")
    with open(path) as f:
        doc = json.load(f)
    version = doc["testGroups"][0]["tests"][0]
    doc["testGroups"].append({"name": "trailing_bytes", "direction": "client", "tests": [
        {"tcId": 100, "comment": "no arm", "flags": ["truncated"], "result": "invalid", "wire": version["wire"] + "00"},
        {"tcId": 101, "comment": "an arm", "arm": "QEMUD_CLIENT_PKT_GET_VERSION", "flags": ["truncated"],
         "result": "invalid", "wire": version["wire"] + "0000"}]})
    doc["numberOfTests"] += 2
    with open(path, "w") as f:
        json.dump(doc, f)
    report = os.path.join(tmp, "mini.json")
    proc = run([runner, "--impl", "cxx", "--vectors", folder, "--any-protocol", "-q", "--json", report])
    with open(report) as f:
        types = {c["name"]: c["messageType"] for c in json.load(f)["runs"][0]["cases"]}
    for name, want in (("golden/client/tc100", "trailing_bytes"), ("golden/client/tc101", "QEMUD_CLIENT_PKT_GET_VERSION"),
                       ("golden/header/tc1", "header")):
        if types.get(name) != want:
            problems.append("mini vectors: %s reported under %r, expected %r" % (name, types.get(name), want))
    return problems


def junit_classnames(runner, tmp):
    """Classnames are made of [A-Za-z0-9_.-] whatever the shim calls itself."""
    junit = os.path.join(tmp, "j.xml")
    proc = run([runner, "--shim", broken("odd_name"), "--vectors", MINI, "--any-protocol", "-q", "--junit", junit])
    if proc.returncode != 0:
        return ["exit status %d: %s" % (proc.returncode, proc.stderr[:300])]
    names = {t.get("classname") for t in ET.parse(junit).getroot().iter("testcase")}
    problems = ["classname %r holds other characters" % n for n in sorted(names) if not re.fullmatch(r"[A-Za-z0-9_.-]+", n)]
    # broken_shim.py's ODD_NAME, one '_' for each byte of its UTF-8 that is not [A-Za-z0-9_.-].
    odd = "Go xdr/v2 <\u00fc\u00ef> \"q\" 'a:b'\tc"
    expected = re.sub(rb"[^A-Za-z0-9_.-]", b"_", odd.encode()).decode() + "."
    if not all(n.startswith(expected) for n in names):
        problems.append("classnames do not start %r: %s" % (expected, sorted(names)[:3]))
    if expected + "QEMUD_CLIENT_PKT_GET_VERSION" not in names:
        problems.append("no classname for QEMUD_CLIENT_PKT_GET_VERSION: %s" % sorted(names))
    return problems


def report_stdout(runner, tmp):
    """--json - and --junit - write the report, exactly, to standard output; the summary goes to stderr."""
    problems = []
    base = ["--vectors", MINI, "--any-protocol", "--random", "30"]
    for option, parse in (("--json", json.loads), ("--junit", ET.fromstring)):
        for label, args, status in (("in process", ["--impl", "cxx"], 0),
                                    ("a crashing shim", ["--shim", broken("crash")], 1)):
            proc = run([runner] + args + base + [option, "-"])
            what = "%s - (%s)" % (option, label)
            if proc.returncode != status:
                problems.append("%s: exit status %d, expected %d" % (what, proc.returncode, status))
            try:
                parse(proc.stdout)
            except (ValueError, ET.ParseError) as error:
                problems.append("%s: stdout is not only the report (%s): %r" % (what, error, proc.stdout[:200]))
            if not re.search(r": (PASS|FAIL)\n", proc.stderr) or "cases:" not in proc.stderr:
                problems.append("%s: the summary is not on stderr: %r" % (what, proc.stderr[:200]))
    # One report on stdout, the other to a file.
    junit = os.path.join(tmp, "j.xml")
    proc = run([runner, "--impl", "cxx"] + base + ["--json", "-", "--junit", junit])
    try:
        json.loads(proc.stdout)
        ET.parse(junit)
    except (OSError, ValueError, ET.ParseError) as error:
        problems.append("--json - --junit FILE: %s" % error)
    # Both on stdout: a usage error, one line, nothing on stdout.
    proc = run([runner, "--impl", "cxx"] + base + ["--json", "-", "--junit", "-"])
    problems += one_line_status_2(proc, "--json - --junit -", r"^qemud-conform: --junit - and --json - both write")
    if proc.stdout or len(proc.stderr.splitlines()) != 1:
        problems.append("--json - --junit -: stdout %r, stderr %r: want nothing and one line" % (proc.stdout[:100], proc.stderr))
    return problems


def html_files(folder):
    return sorted(f for f in os.listdir(folder) if f.endswith(".html"))


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def html_report(runner, tmp):
    """--html DIR: index.html's matrices count what report.json holds, a page per implementation, no script, no
    address off the folder; --html-from renders several reports as one (a repeated name told apart, every name
    escaped); its usage errors exit 2."""
    from html_check import check_html
    problems = []
    out = os.path.join(tmp, "html")
    proc = run([runner, "--vectors", MINI, "--any-protocol", "--random", "40", "-q", "--html", out])
    if proc.returncode != 0:
        return ["--html: exit status %d: %s" % (proc.returncode, proc.stderr[:300])]
    if html_files(out) != ["impl-1.html", "impl-2.html", "impl-3.html", "index.html"]:
        problems.append("--html wrote %s" % html_files(out))
    # One implementation into the same folder: the pages of the other two go.
    proc = run([runner, "--impl", "cxx", "--vectors", MINI, "--any-protocol", "-q", "--html", out])
    if proc.returncode != 0 or html_files(out) != ["impl-1.html", "index.html"]:
        problems.append("--html over a former report: exit status %d, pages %s" % (proc.returncode, html_files(out)))
    proc = run([runner, "--vectors", MINI, "--any-protocol", "--random", "40", "-q", "--html", out])
    doc = json.loads(read(os.path.join(out, "report.json")))
    problems += ["--html: " + p for p in check_html(read(os.path.join(out, "index.html")), [doc])]
    if 'id="g0"' not in read(os.path.join(out, "impl-1.html")):
        problems.append("impl-1.html has no anchor for the first message type")
    # A report of a hostile name with one failing case, rendered with the run's.
    hostile = json.loads(json.dumps(doc))
    hostile["runs"] = [hostile["runs"][0]]
    hostile["runs"][0]["implementation"] = "<script>alert('x')</script>"
    case = dict(hostile["runs"][0]["cases"][0], status="failed", reason="encode: <u>", repro="qemud-conform --only x",
                comment="a & b", expectedWire="0000000100000002", actualWire="0000000100000003",
                layout=[[0, 4, "first"], [4, 4, "second<i>"]])
    hostile["runs"][0]["cases"][0] = case
    # A runaway encoder's answer shows its first 64 words past the expected end; a decode-only vector that
    # failed to decode shows the wire the decoder was given, not the canonical one.
    hostile["runs"][0]["cases"][1] = dict(case, name="golden/client/runaway", actualWire="0000000100000002" + "00" * 1000)
    hostile["runs"][0]["cases"][2] = dict(case, name="golden/client/decode_only", wire="aabbccdd", expectedWire="00000000",
                                          layout=[[0, 4, "only"]])
    del hostile["runs"][0]["cases"][2]["actualWire"]
    hostile_path = os.path.join(tmp, "hostile.json")
    with open(hostile_path, "w") as f:
        json.dump(hostile, f)
    both = os.path.join(tmp, "both")
    proc = run([runner, "--html", both, "--html-from", os.path.join(out, "report.json"), "--html-from", hostile_path,
                "--html-from", hostile_path])
    if proc.returncode != 0:
        return problems + ["--html-from: exit status %d: %s" % (proc.returncode, proc.stderr[:300])]
    index = read(os.path.join(both, "index.html"))
    problems += ["--html-from: " + p for p in check_html(index, [doc, hostile, hostile])]
    page = read(os.path.join(both, "impl-4.html"))
    for text in ("<script>", "<u>", "<i>"):
        if text in index + page:
            problems.append("--html-from: %r reached a page unescaped" % text)
    for want in (r"&lt;script&gt;alert\(&#39;x&#39;\)&lt;/script&gt; \(2\)",):
        if not re.search(want, index):
            problems.append("--html-from: index.html lacks %r" % want)
    for want in (r'<tr class="differs first"><td>0x0004</td><td>00000002</td><td>00000003</td><td>second&lt;i&gt;</td>',
                 r"a &amp; b", r'<pre class="repro">qemud-conform --only x</pre>', r'<a href="#c1">',
                 r'<tr class="differs first"><td>0x0008</td><td></td><td>00000000</td><td>\(past the expected end\)',
                 r"<td>0x0108</td><td></td><td></td><td>\(744 more bytes not shown\)</td></tr>\n</table>",
                 r"<th>wire decoded</th><th>field</th></tr>\n<tr><td>0x0000</td><td>aabbccdd</td><td>only</td>"):
        if not re.search(want, page):
            problems.append("--html-from: the hostile run's page lacks %r" % want)
    # Usage errors.
    proc = run([runner, "--html-from", hostile_path])
    problems += one_line_status_2(proc, "--html-from without --html", r"--html-from needs --html")
    proc = run([runner, "--html", both, "--html-from", os.path.join(tmp, "missing.json")])
    problems += one_line_status_2(proc, "--html-from a missing file", r"missing\.json")
    proc = run([runner, "--html", both, "--html-from", hostile_path, "--impl", "cxx"])
    problems += one_line_status_2(proc, "--html-from with --impl", r"cannot be combined with --impl")
    # A folder that cannot be made is known before the first case, and nothing is run.
    blocker = os.path.join(tmp, "file")
    open(blocker, "w").close()
    proc = run([runner, "--impl", "cxx", "--vectors", MINI, "--any-protocol", "--html", os.path.join(blocker, "sub")])
    problems += one_line_status_2(proc, "--html under a file", r"cannot run: --html: cannot make .*file/sub")
    if "cases:" in proc.stdout:
        problems.append("--html under a file: the run went ahead")
    return problems


def html_failure(runner, tmp):
    """A failing case's detail: the wrong wire word by word under its field paths, the first differing word
    marked; a wrong value beside the expected one; the rerun line."""
    from html_check import check_html
    problems = []
    for fault, wants in (("wrong_wire", [r'<tr class="differs first"><td>0x000c</td><td>000000[0-9a-f]{2}</td>'
                                         r'<td>[0-9a-f]{8}</td><td>data\.getVersionReply\.versionNum</td>',
                                         r"<p>Expected value:</p>", r'<pre class="repro">[^<]*--only']),
                         ("wrong_field", [r"<p>Actual value:</p><pre>\{", r"<th>wire decoded</th><th>field</th>"])):
        out = os.path.join(tmp, fault)
        proc = run([runner, "--shim", broken(fault), "-q", "--html", out] + FAST)
        if proc.returncode != 1:
            problems.append("%s: exit status %d: %s" % (fault, proc.returncode, proc.stderr[:300]))
            continue
        doc = json.loads(read(os.path.join(out, "report.json")))
        problems += ["%s: %s" % (fault, p) for p in check_html(read(os.path.join(out, "index.html")), [doc])]
        page = read(os.path.join(out, "impl-1.html"))
        for want in wants:
            if not re.search(want, page):
                problems.append("%s: impl-1.html lacks %r" % (fault, want))
    return problems


CUSTOM = {
    "html_report": html_report,
    "html_failure": html_failure,
    "themed_arms": themed_arms,
    "junit_classnames": junit_classnames,
    "report_stdout": report_stdout,
    "memory_bounded": memory_bounded,
    "seed_reproducible": seed_reproducible,
    "html_memory_bounded": html_memory_bounded,
    "reports_unwritable": reports_unwritable,
    "report_path_first": report_path_first,
    "bad_numbers": bad_numbers,
    "protocol_mismatch": protocol_mismatch,
    "vector_malformed": vector_malformed,
    "vector_parse_errors": vector_parse_errors,
    "interrupt_shim": interrupt_shim,
    "interrupt_twice": lambda runner, tmp: interrupt_shim(runner, tmp, twice=True),
    "interrupt_inprocess": interrupt_inprocess,
}


def run_custom(runner, name):
    with tempfile.TemporaryDirectory() as tmp:
        try:
            return CUSTOM[name](runner, tmp)
        except subprocess.TimeoutExpired as error:
            return ["timed out: %s" % error]


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
        print("\n".join(list(SCENARIOS) + list(CUSTOM)))
        return 0
    failed = 0
    for name in args.scenarios or list(SCENARIOS) + list(CUSTOM):
        runner = os.path.abspath(args.runner)
        problems = run_custom(runner, name) if name in CUSTOM else run_scenario(runner, name)
        print("%s %s" % ("FAIL" if problems else "ok  ", name))
        for p in problems:
            print("    " + p.replace("\n", "\n    "))
        failed += bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
