#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""conform_connect_test.py: qemud-conform --connect against qemud-refd.

Each scenario runs qemud-conform as a user would, with the daemon started
by the runner itself (--server-cmd) or by this script, and checks the exit
status, which cases failed and why, the reports and transcripts, and that
no process and no socket file is left behind.

  conform_connect_test.py --conform PATH --refd PATH SCENARIO

Scenarios: clean, clean_libvirt, external, bug:<NAME>, restart_after_crash,
bad_arguments. The bug table (name -> a case glob that must fail and words
its reason must hold) is BUGS below: it is the acceptance table of the
deliberate bugs.
"""
import argparse
import fnmatch
import json
import os
import select
import shlex
import signal
import subprocess
import sys
import tempfile
import time

# --bug NAME -> (glob of a case that must fail, words the first such
# failure's reason must contain: the symptom).
BUGS = {
    "inreplyto-off-by-one": ("call/*", "inReplyTo"),
    "pipeline-swap": ("stream/two-in-one-write", ""),
    "client-enum-type": ("call/*", "does not decode"),
    "serial-repeats": ("pipeline/*", "serial"),
    "abort-on-large-length": ("hostile/length_too_large/*", "killed by signal 6"),
    "hang-on-byte-writer": ("stream/one-byte-writes", "no reply within"),
    "ignore-trailing-bytes": ("hostile/*", ""),
    "desync-after-bad-magic": ("hostile/bad_magic/*", ""),
    "lookup-after-undefine": ("stateful/*", "expected FAILURE"),
    "stale-count-after-destroy": ("stateful/*", "numDomains"),
}


# The last runner output: printed after a FAIL line, not before it, so a
# log cut short still shows why the scenario failed.
LAST_OUTPUT = []


def fail(message):
    print("FAIL: " + message)
    for text in LAST_OUTPUT:
        print(text)
    sys.exit(1)


def run_conform(args, extra, timeout=600):
    command = [args.conform, "-q"] + extra
    print("$ " + " ".join(shlex.quote(c) for c in command))
    run = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    out = run.stdout.decode(errors="replace")
    err = run.stderr.decode(errors="replace")
    LAST_OUTPUT[:] = [out[-6000:]] + (["stderr: " + err[-3000:]] if err else [])
    return run.returncode, out, err


def read_json_report(path):
    with open(path) as f:
        report = json.load(f)
    return report["runs"][0]["cases"] if "runs" in report else report["cases"]


def check_nothing_left(tmp, socket_path):
    if os.path.exists(socket_path):
        fail("a socket file was left behind: " + socket_path)
    leftovers = [n for n in os.listdir(tmp) if ".tmp" in n]
    if leftovers:
        fail("temporary files left behind: %s" % leftovers)


def no_refd_left(refd, socket_path):
    # Every daemon this scenario started listened on socket_path; none may
    # survive the runner.
    out = subprocess.run(["ps", "-eo", "pid,args"], stdout=subprocess.PIPE).stdout.decode()
    for line in out.splitlines():
        if refd in line and socket_path in line:
            fail("a qemud-refd is still running: " + line.strip())


def scenario_with_server_cmd(args, tmp, bug=None, framing="seed", stateful=100):
    socket_path = os.path.join(tmp, "s")
    server = [args.refd, "--listen", "unix:" + socket_path, "--seed", "7", "--framing", framing]
    if bug:
        server += ["--bug", bug]
    json_path = os.path.join(tmp, "report.json")
    junit_path = os.path.join(tmp, "report.xml")
    transcripts = os.path.join(tmp, "transcripts")
    code, out, _ = run_conform(args, [
        "--connect", "unix:" + socket_path, "--server-cmd", " ".join(shlex.quote(c) for c in server),
        "--framing", framing, "--stateful", str(stateful), "--timeout-ms", "3000",
        "--json", json_path, "--junit", junit_path, "--transcript", transcripts])
    no_refd_left(args.refd, socket_path)
    check_nothing_left(tmp, socket_path)
    cases = read_json_report(json_path)
    failed = [c for c in cases if c["status"] == "failed"]
    with open(junit_path) as f:
        junit = f.read()
    if junit.count("<failure") != len(failed):
        fail("JUnit has %d failures, the JSON report %d" % (junit.count("<failure"), len(failed)))
    written = sorted(os.listdir(transcripts)) if os.path.isdir(transcripts) else []
    if len(written) != len(failed):
        fail("%d transcripts for %d failed cases" % (len(written), len(failed)))
    for name in written:
        with open(os.path.join(transcripts, name)) as f:
            t = json.load(f)
        if t["status"] != "failed" or not t["transcript"] or not t["repro"]:
            fail(name + ": not a failing conversation with a repro")
    return code, out, cases, failed


def scenario_clean(args, tmp, framing):
    code, out, cases, failed = scenario_with_server_cmd(args, tmp, framing=framing)
    if code != 0 or failed:
        fail("the correct daemon failed (exit %d): %s" % (code, [c["name"] for c in failed]))
    names = [c["name"] for c in cases]
    for glob in ("call/*", "pipeline/*", "serial/*", "stream/*", "concurrency/*", "hostile/*", "stateful/*"):
        if not any(fnmatch.fnmatchcase(n, glob) for n in names):
            fail("no case matches " + glob)
    if "case family" not in out:
        fail("the summary does not group by case family")
    # The report says what was run.
    with open(os.path.join(tmp, "report.json")) as f:
        head = json.load(f)
    for key in ("toolVersion", "protocolSha256", "startTime", "hostname", "durationSeconds"):
        if not head.get(key) and head.get(key) != 0:
            fail("the JSON report has no %s" % key)
    if "--stateful" not in head.get("arguments", []) or head.get("seed") != 1:
        fail("the JSON report does not name the command line and seed: %r" % head.get("arguments"))


def scenario_bug(args, tmp, bug):
    glob, words = BUGS[bug]
    code, out, cases, failed = scenario_with_server_cmd(args, tmp, bug=bug)
    if code != 1:
        fail("--bug %s: exit %d, expected 1" % (bug, code))
    matching = [c for c in failed if fnmatch.fnmatchcase(c["name"], glob)]
    if not matching:
        fail("--bug %s: no failed case matches %s (failed: %s)" % (bug, glob, [c["name"] for c in failed]))
    if words and words not in matching[0].get("reason", ""):
        fail("--bug %s: %s failed without naming the symptom '%s': %s" %
             (bug, matching[0]["name"], words, matching[0].get("reason")))
    print("caught --bug %s: %d cases failed, first %s: %s" %
          (bug, len(failed), failed[0]["name"], failed[0].get("reason", "")[:300]))


def scenario_restart(args, tmp):
    # The abort bug kills the daemon on the first over-long length word: the
    # runner must report the crash against that case, restart it, and go on
    # (the later cases pass).
    code, out, cases, failed = scenario_with_server_cmd(args, tmp, bug="abort-on-large-length", stateful=0)
    crashed = [c for c in failed if "killed by signal 6" in c.get("reason", "")]
    if not crashed:
        fail("no case reports the crash")
    later = [c for c in cases if c["name"].startswith("hostile/bad_magic/")]
    if not later:
        fail("no hostile/bad_magic case ran after the crash")
    broken = [(c["name"], c.get("reason", "")[:300]) for c in later if c["status"] != "passed"]
    if broken:
        fail("the cases after the crash did not run against a restarted daemon: %s" % broken)
    if "restarted" not in out:
        fail("the summary does not note the restart")


def scenario_external(args, tmp):
    socket_path = os.path.join(tmp, "s")
    daemon = subprocess.Popen([args.refd, "--listen", "unix:" + socket_path], stdout=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while not os.path.exists(socket_path) and time.monotonic() < deadline:
            time.sleep(0.05)
        code, out, _ = run_conform(args, ["--connect", "unix:" + socket_path, "--stateful", "50",
                                          "--only", "call/*", "--only", "stateful/*"])
        if code != 0:
            fail("against a daemon started outside: exit %d" % code)
        if "stateful/50-sequences" not in out and "stateful" not in out:
            fail("the stateful case did not run")
    finally:
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(timeout=10)
    check_nothing_left(tmp, socket_path)


def scenario_bad_arguments(args, tmp):
    socket_path = os.path.join(tmp, "nobody")
    cases = [
        (["--server-cmd", "true"], "needs --connect"),
        (["--stateful", "5"], "needs --connect"),
        (["--connect", "unix:" + socket_path], "cannot run"),
        (["--connect", "unix:" + socket_path, "--shim", "true"], "cannot be combined"),
        (["--connect", "unix:" + socket_path, "--random", "5"], "cannot be combined"),
        (["--connect", "nowhere:1"], "--connect"),
        (["--connect", "unix:" + socket_path, "--server-cmd", "exit 3"], "exited with status 3"),
        (["--connect", "unix:" + socket_path, "--stateful", "-1"], "non-negative"),
        (["--connect", "unix:" + socket_path, "--server-cmd", "true", "--only", "nothing/*"], "matched no case"),
    ]
    for extra, words in cases:
        code, out, err = run_conform(args, extra, timeout=60)
        if code != 2:
            fail("%s: exit %d, expected 2" % (extra, code))
        lines = [l for l in err.splitlines() if l.strip()]
        if not lines or words not in err or "internal error" in err:
            fail("%s: stderr should name the problem ('%s'): %r" % (extra, words, err))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--conform", required=True)
    parser.add_argument("--refd", required=True)
    parser.add_argument("scenario")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="qemud-connect-") as tmp:
        s = args.scenario
        if s == "clean":
            scenario_clean(args, tmp, "seed")
        elif s == "clean_libvirt":
            scenario_clean(args, tmp, "libvirt-0.3")
        elif s == "external":
            scenario_external(args, tmp)
        elif s.startswith("bug:"):
            scenario_bug(args, tmp, s[4:])
        elif s == "restart_after_crash":
            scenario_restart(args, tmp)
        elif s == "bad_arguments":
            scenario_bad_arguments(args, tmp)
        else:
            fail("unknown scenario " + s)
    print("ok")


if __name__ == "__main__":
    main()
