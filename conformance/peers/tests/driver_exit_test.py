#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""driver_exit_test.py: qemud-peer-check's exit codes without a server.

2 for bad arguments, an unknown framing, a glob that matches nothing and
an address where nothing answers; 0 for --list.
"""
import subprocess
import sys

tool = sys.argv[1]
failures = []


def expect(code, args, check_out=None):
    run = subprocess.run([tool] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    out = run.stdout.decode()
    if run.returncode != code:
        failures.append("%s: exit %d, expected %d; stderr: %s" % (args, run.returncode, code, run.stderr.decode()))
    elif check_out and not check_out(out):
        failures.append("%s: unexpected output %r" % (args, out[:300]))


nowhere = "unix:/nonexistent/qemud-peer-check/s"
expect(2, [])                                                     # --connect is required
expect(2, ["--connect", nowhere, "--framing", "bogus"])
expect(2, ["--connect", nowhere, "--only", "no-such-case*"])
expect(2, ["--connect", nowhere, "--timeout-ms", "100"])          # nothing answers
expect(2, ["--connect", "ftp:somewhere", "--timeout-ms", "100"])  # not an address
expect(0, ["--connect", nowhere, "--list", "--only", "call/*"],
       lambda out: len(out.split()) > 30 and all(l.startswith("call/") for l in out.split()))
expect(0, ["--connect", nowhere, "--list", "--framing", "libvirt-0.3"],
       lambda out: "hostile/bad_magic/255" in out.split() and "concurrency/8" in out.split())
for f in failures:
    print("FAIL: " + f)
sys.exit(1 if failures else 0)
