#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""conform_listen_test.py: qemud-conform --listen against qemud-cli.

The runner plays the server and runs the reference client once per case;
each scenario checks the exit status, which cases failed and why, the
reports and transcripts, and that no process and no socket file is left.

  conform_listen_test.py --conform PATH --cli PATH SCENARIO

Scenarios: clean, clean_libvirt, clean_tcp, bug:<NAME>, bad_arguments.
BUGS is the acceptance table of qemud-cli's deliberate bugs: the case that
must fail and words its reason must hold.
"""
import argparse
import fnmatch
import json
import os
import shlex
import subprocess
import sys
import tempfile

BUGS = {
    # Matching by order also takes the notification for a reply.
    "match-by-order": (["pipeline/reversed-4", "async/notification-first"], "no line for serial"),
    "async-confusion": ("async/notification-first", ""),
    "short-read": ("call/*", "no line for serial"),
    "serial-reuse": ("pipeline/*", "was used already"),
    "abort-on-failure": ("failure/reply", "crashed: killed by signal 6"),
    "accept-wrong-type": ("hostile/wrong-type", "must refuse"),
}


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def run_conform(args, extra, timeout=900):
    command = [args.conform, "-q"] + extra
    print("$ " + " ".join(shlex.quote(c) for c in command))
    run = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    out, err = run.stdout.decode(errors="replace"), run.stderr.decode(errors="replace")
    print(out[-6000:])
    if err:
        print("stderr: " + err[-3000:])
    return run.returncode, out, err


def no_client_left(pid_file):
    # Every client this scenario's runner started wrote its pid (the
    # client command execs qemud-cli after `echo $$`); none may survive.
    if not os.path.exists(pid_file):
        fail("no client was started")
    with open(pid_file) as f:
        pids = [int(p) for p in f.read().split()]
    for pid in pids:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            continue
        with open("/proc/%d/stat" % pid) as f:
            if f.read().split(") ", 1)[1].startswith("Z"):
                continue  # a zombie is gone already; its parent is not ours to reap
        fail("client process %d is still running" % pid)


def scenario_run(args, tmp, bug=None, framing="seed", tcp=False):
    socket_path = os.path.join(tmp, "c.sock")
    listen = "tcp:127.0.0.1:0" if tcp else "unix:" + socket_path
    pid_file = os.path.join(tmp, "client-pids")
    client = "echo $$ >> %s; exec %s" % (shlex.quote(pid_file), shlex.quote(args.cli)) + (" --bug " + bug if bug else "")
    json_path = os.path.join(tmp, "report.json")
    transcripts = os.path.join(tmp, "transcripts")
    code, out, _ = run_conform(args, [
        "--listen", listen, "--client-cmd", client, "--framing", framing, "--timeout-ms", "1000",
        "--client-timeout-ms", "1500", "--json", json_path, "--transcript", transcripts])
    no_client_left(pid_file)
    if os.path.exists(socket_path):
        fail("the listening socket file was left behind")
    with open(json_path) as f:
        cases = json.load(f)["runs"][0]["cases"]
    failed = [c for c in cases if c["status"] == "failed"]
    written = sorted(os.listdir(transcripts)) if os.path.isdir(transcripts) else []
    if len(written) != len(failed):
        fail("%d transcripts for %d failed cases" % (len(written), len(failed)))
    return code, out, cases, failed


def scenario_clean(args, tmp, framing, tcp=False):
    code, out, cases, failed = scenario_run(args, tmp, framing=framing, tcp=tcp)
    if code != 0 or failed:
        fail("the correct client failed (exit %d): %s" % (code, [(c["name"], c.get("reason")) for c in failed]))
    names = [c["name"] for c in cases]
    for glob in ("call/*", "pipeline/*", "stream/*", "async/*", "failure/*", "hostile/*"):
        if not any(fnmatch.fnmatchcase(n, glob) for n in names):
            fail("no case matches " + glob)


def scenario_bug(args, tmp, bug):
    globs, words = BUGS[bug]
    globs = globs if isinstance(globs, list) else [globs]
    code, out, cases, failed = scenario_run(args, tmp, bug=bug)
    if code != 1:
        fail("--bug %s: exit %d, expected 1" % (bug, code))
    for glob in globs:
        if not any(fnmatch.fnmatchcase(c["name"], glob) for c in failed):
            fail("--bug %s: no failed case matches %s (failed: %s)" % (bug, glob, [c["name"] for c in failed]))
    matching = [c for c in failed if fnmatch.fnmatchcase(c["name"], globs[0])]
    if words and words not in matching[0].get("reason", ""):
        fail("--bug %s: %s failed without naming the symptom '%s': %s" %
             (bug, matching[0]["name"], words, matching[0].get("reason")))
    print("caught --bug %s: %d cases failed, %s: %s" %
          (bug, len(failed), matching[0]["name"], matching[0].get("reason", "")[:300]))


def scenario_bad_arguments(args, tmp):
    taken = os.path.join(tmp, "taken")
    open(taken, "w").close()
    for extra, words in [
        (["--listen", "unix:" + taken, "--client-cmd", "true"], "--listen"),
        (["--listen", "unix:" + os.path.join(tmp, "s")], "--client-cmd"),
        (["--listen", "nowhere", "--client-cmd", "true"], "--listen"),
        (["--listen", "unix:" + os.path.join(tmp, "s"), "--client-cmd", "true", "--stateful", "3"], "cannot be combined"),
        (["--client-cmd", "true"], "needs --listen"),
        (["--listen", "unix:" + os.path.join(tmp, "s"), "--client-cmd", "true", "--only", "none/*"], "matched no case"),
    ]:
        code, out, err = run_conform(args, extra, timeout=60)
        if code != 2 or words not in err or "internal error" in err:
            fail("%s: exit %d, stderr %r; expected 2 naming '%s'" % (extra, code, err, words))
    if not os.path.exists(taken):
        fail("an existing file at the --listen path was replaced")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--conform", required=True)
    parser.add_argument("--cli", required=True)
    parser.add_argument("scenario")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="qemud-listen-") as tmp:
        s = args.scenario
        if s == "clean":
            scenario_clean(args, tmp, "seed")
        elif s == "clean_libvirt":
            scenario_clean(args, tmp, "libvirt-0.3")
        elif s == "clean_tcp":
            scenario_clean(args, tmp, "seed", tcp=True)
        elif s.startswith("bug:"):
            scenario_bug(args, tmp, s[4:])
        elif s == "bad_arguments":
            scenario_bad_arguments(args, tmp)
        else:
            fail("unknown scenario " + s)
    print("ok")


if __name__ == "__main__":
    main()
