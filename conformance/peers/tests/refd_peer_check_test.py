#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""refd_peer_check_test.py: qemud-peer-check against the reference daemon.

Starts `qemud-refd --listen unix:<tmp>/s` (with --framing and --bug as
given), waits for its "listening" line, runs `qemud-peer-check --connect`,
checks the exit code and which cases failed, then stops the daemon with
SIGTERM and checks that it exited and left no socket file behind.

  refd_peer_check_test.py --refd PATH --peer-check PATH [--framing F]
      [--tcp] [--bug NAME] --expect-exit N [--expect-fail GLOB ...] [--transcripts]
"""
import argparse
import fnmatch
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import time


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def wait_listening(daemon, timeout=20.0):
    deadline = time.monotonic() + timeout
    line = b""
    while time.monotonic() < deadline:
        ready, _, _ = select.select([daemon.stdout], [], [], 0.2)
        if ready:
            chunk = os.read(daemon.stdout.fileno(), 4096)
            if not chunk:
                break
            line += chunk
            if b"listening on" in line:
                return line.decode(errors="replace").strip()
        if daemon.poll() is not None:
            break
    fail("qemud-refd did not print its listening line: %r" % line)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--refd", required=True)
    parser.add_argument("--peer-check", required=True)
    parser.add_argument("--framing", default="seed")
    parser.add_argument("--bug")
    parser.add_argument("--expect-exit", type=int, required=True)
    parser.add_argument("--expect-fail", action="append", default=[])
    parser.add_argument("--transcripts", action="store_true")
    parser.add_argument("--tcp", action="store_true", help="listen on tcp:127.0.0.1:0 instead of a unix socket")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="qemud-peers-") as tmp:
        socket_path = os.path.join(tmp, "s")
        listen = "tcp:127.0.0.1:0" if args.tcp else "unix:" + socket_path
        command = [args.refd, "--listen", listen, "--framing", args.framing, "--seed", "7"]
        if args.bug:
            command += ["--bug", args.bug]
        daemon = subprocess.Popen(command, stdout=subprocess.PIPE)
        try:
            line = wait_listening(daemon)
            print(line)
            # For tcp the line holds the port the kernel chose.
            address = line.split("listening on ", 1)[1].split()[0]
            check = [args.peer_check, "--connect", address, "--framing", args.framing,
                     "--timeout-ms", "1000"]
            transcript_dir = os.path.join(tmp, "transcripts")
            if args.transcripts:
                check += ["--transcript", transcript_dir]
            run = subprocess.run(check, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=600)
            out = run.stdout.decode(errors="replace")
            failed = [line.split()[1].rstrip(":") for line in out.splitlines() if line.startswith("FAIL ")]
            print("\n".join(l for l in out.splitlines() if not l.startswith("pass ")))
            sys.stderr.write(run.stderr.decode(errors="replace"))
            if run.returncode != args.expect_exit:
                fail("qemud-peer-check exited %d, expected %d" % (run.returncode, args.expect_exit))
            for glob in args.expect_fail:
                if not any(fnmatch.fnmatchcase(name, glob) for name in failed):
                    fail("no failed case matches %s (failed: %s)" % (glob, failed))
            if args.transcripts:
                files = sorted(os.listdir(transcript_dir))
                if len(files) != len(failed):
                    fail("%d transcripts for %d failed cases" % (len(files), len(failed)))
                for name in files:
                    with open(os.path.join(transcript_dir, name)) as f:
                        transcript = json.load(f)
                    if transcript["status"] != "failed" or not transcript["transcript"]:
                        fail(name + ": not a failing conversation")
        finally:
            daemon.send_signal(signal.SIGTERM)
            try:
                code = daemon.wait(timeout=10)
            except subprocess.TimeoutExpired:
                daemon.kill()
                daemon.wait()
                fail("qemud-refd did not exit on SIGTERM")
        # A bug that kills the daemon (abort) leaves its socket file; that
        # is the bug's doing, not the harness's.
        if code == 0 and os.path.exists(socket_path):
            fail("qemud-refd left its socket file behind")
        if args.bug is None and code != 0:
            fail("qemud-refd exited %d on SIGTERM" % code)
    print("ok")


if __name__ == "__main__":
    main()
