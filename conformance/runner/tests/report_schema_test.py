#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""report_schema_test.py: qemud-conform's JSON reports against
docs/conform-report-v1.schema.json (JSON Schema draft 2020-12, Debian's
python3-jsonschema, hence /usr/bin/python3).

    report_schema_test.py --runner qemud-conform --schema SCHEMA [--refd qemud-refd] [--cli qemud-cli]

It makes one report of each shape the runner writes and validates each:
the in-tree implementations in process (golden vectors and random cases:
every status, acceptable vectors accepted and rejected), the same with no
vectors (vectorsProtocolSha256 null), a shim that fails and crashes (reasons,
repro lines, a multi-line stderr excerpt), one that skips, a run cut short
by SIGINT (signal), a run in which nothing could start (no runs), and, when
the reference peers are given, --connect reports (one written to standard
output, one of a server with a bug) and a --listen report. It then checks that the schema can fail: the
first report, less a required member, must not validate.
"""

import argparse
import json
import os
import shlex
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
MINI = os.path.join(HERE, "data", "golden-mini")


def broken(fault, arm=None):
    return shlex.quote(sys.executable) + " " + shlex.quote(os.path.join(HERE, "broken_shim.py")) + " " + fault + (" " + arm if arm else "")


def by_label_cases(reports, label):
    return [c for name, doc in reports if name == label for r in doc["runs"] for c in r["cases"]]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runner", required=True)
    parser.add_argument("--schema", required=True)
    parser.add_argument("--refd")
    parser.add_argument("--cli")
    args = parser.parse_args()
    try:
        import jsonschema
    except ImportError:
        print("report_schema_test.py: python3-jsonschema is missing (ci/setup.sh installs it)", file=sys.stderr)
        return 2
    with open(args.schema) as f:
        schema = json.load(f)
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)
    runner = os.path.abspath(args.runner)

    failures = []
    reports = []

    def check(label, doc):
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
        for e in errors[:10]:
            failures.append("%s: %s: %s" % (label, "/".join(map(str, e.absolute_path)) or "(top)", e.message[:300]))
        cases = sum(len(r["cases"]) for r in doc.get("runs", []))
        print("%s %s (%d runs, %d cases, exit %s)" % ("FAIL" if errors else "ok  ", label, len(doc.get("runs", [])),
                                                       cases, doc.get("exitCode")))
        reports.append((label, doc))

    def report_of(label, extra, want_status, stdin_report=False, interrupt_after=None):
        with tempfile.TemporaryDirectory() as tmp:
            path = "-" if stdin_report else os.path.join(tmp, "r.json")
            cmd = [runner] + extra + ["-q", "--json", path]
            if interrupt_after is None:
                proc = subprocess.run(cmd, cwd=SOURCE, capture_output=True, text=True, timeout=300)
                out, err, status = proc.stdout, proc.stderr, proc.returncode
            else:
                proc = subprocess.Popen(cmd, cwd=SOURCE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                time.sleep(interrupt_after)
                proc.send_signal(signal.SIGINT)
                out, err = proc.communicate(timeout=120)
                status = proc.returncode
            if status != want_status:
                failures.append("%s: exit status %d, expected %d: %s" % (label, status, want_status, err[:300]))
                return
            try:
                if stdin_report:
                    doc = json.loads(out)
                else:
                    with open(path) as f:
                        doc = json.load(f)
            except (OSError, ValueError) as error:
                failures.append("%s: no readable report: %s" % (label, error))
                return
            check(label, doc)

    report_of("in process, golden and random", ["--impl", "cxx", "--impl", "rpcgen", "--random", "50"], 0)
    report_of("in process, random only", ["--impl", "cxx", "--no-golden", "--random", "50"], 0)
    report_of("a failing shim", ["--shim", broken("wrong_field"), "--no-golden", "--random", "80"], 1)
    report_of("a crashing shim", ["--shim", broken("panic"), "--vectors", MINI, "--any-protocol", "--random", "80"], 1)
    report_of("a shim that skips", ["--shim", broken("client_only"), "--vectors", MINI, "--any-protocol"], 0)
    report_of("nothing starts", ["--shim", "/nonexistent/qemud-shim", "--no-golden", "--random", "5"], 2)
    # Long enough that the signal always comes first (30000 cases take about 1.2 s).
    report_of("interrupted", ["--impl", "cxx", "--no-golden", "--random", "1000000"], 130, interrupt_after=1.5)

    if args.refd:
        with tempfile.TemporaryDirectory() as tmp:
            socket_path = os.path.join(tmp, "s")
            server = " ".join(shlex.quote(c) for c in [args.refd, "--listen", "unix:" + socket_path, "--seed", "7"])
            report_of("--connect (on stdout)", ["--connect", "unix:" + socket_path, "--server-cmd", server,
                                                "--only", "call/*", "--only", "hostile/bad_magic/*",
                                                "--stateful", "3", "--timeout-ms", "1000"], 0, stdin_report=True)
            bug = " ".join(shlex.quote(c) for c in [args.refd, "--listen", "unix:" + socket_path, "--seed", "7",
                                                    "--bug", "inreplyto-off-by-one"])
            report_of("--connect, a server with a bug", ["--connect", "unix:" + socket_path, "--server-cmd", bug,
                                                         "--only", "call/*", "--timeout-ms", "1000"], 1)
            for label, doc in reports[-2:-1]:
                if doc.get("vectorsProtocolSha256") != doc.get("protocolSha256"):
                    failures.append("%s: vectorsProtocolSha256 %s, expected this tree's %s" %
                                    (label, doc.get("vectorsProtocolSha256"), doc.get("protocolSha256")))
    if args.cli:
        with tempfile.TemporaryDirectory() as tmp:
            report_of("--listen", ["--listen", "unix:" + os.path.join(tmp, "c"), "--client-cmd", shlex.quote(args.cli),
                                   "--only", "call/*", "--timeout-ms", "1000"], 0)

    # A failing shim's report carries each failure's detail: the wire it
    # wrote or the value it decoded, beside the vector's.
    failed = [c for c in by_label_cases(reports, "a failing shim") if c["status"] == "failed"]
    if not failed or not all("expectedValue" in c and "layout" in c and ("actualValue" in c or "actualWire" in c)
                             for c in failed):
        failures.append("a failing shim: failed cases without their detail: %s" % failed[:1])

    # What the reports say about the vectors they ran.
    by_label = dict(reports)
    golden = by_label.get("in process, golden and random", {})
    if golden and golden.get("vectorsProtocolSha256") != golden.get("protocolSha256"):
        failures.append("in process: vectorsProtocolSha256 is not the build's protocolSha256")
    if by_label.get("in process, random only", {}).get("vectorsProtocolSha256", "") is not None:
        failures.append("random only: vectorsProtocolSha256 is not null")
    if by_label.get("a crashing shim", {}).get("vectorsProtocolSha256") != "0" * 64:
        failures.append("mini vectors: vectorsProtocolSha256 is not theirs (0...0)")

    # The schema can fail: a report less a required member, or with a
    # status it does not know, is refused.
    if reports:
        label, doc = reports[0]
        for what, spoil in (("no exitCode", lambda d: d.pop("exitCode")),
                            ("a run without summary.failed", lambda d: d["runs"][0]["summary"].pop("failed")),
                            ("a case without status", lambda d: d["runs"][0]["cases"][0].pop("status")),
                            ("a failed case without repro", lambda d: d["runs"][0]["cases"][0].update(status="failed",
                                                                                                  reason="x")),
                            ("a client case under header", lambda d: next(
                                c for c in d["runs"][0]["cases"] if c["kind"] == "client").update(messageType="header")),
                            ("an unknown status", lambda d: d["runs"][0]["cases"][0].update(status="fine")),
                            ("a passed case with a failure's detail", lambda d: next(
                                c for c in d["runs"][0]["cases"] if c["status"] == "passed").update(
                                    expectedWire="00000001", layout=[[0, 4, "x"]])),
                            ("a layout entry without its path", lambda d: d["runs"][0]["cases"][0].update(
                                status="failed", reason="x", repro="x", layout=[[0, 4]]))):
            spoiled = json.loads(json.dumps(doc))
            spoil(spoiled)
            if validator.is_valid(spoiled):
                failures.append("the schema accepts %s" % what)
            else:
                print("ok   the schema refuses %s" % what)

    for f in failures:
        print("FAIL " + f)
    print("%d reports validated, %d problems" % (len(reports), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
