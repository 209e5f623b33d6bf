#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""tool_io_test.py: how xdrc, qemud-golden, a fuzz replay driver and
ci/fuzz_campaign.sh treat bad input and failing output: exit 2 (or 1 for a
malformed .x file) with one line naming the path, the old output intact, no
temporary left behind, never a device replaced.

    tool_io_test.py --xdrc X --golden G --replay R SCENARIO...

ctest runs one scenario per test (conformance/unit/CMakeLists.txt).
"""

import argparse
import os
import re
import resource
import shutil
import stat
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.normpath(os.path.join(HERE, "..", ".."))
PROTOCOL = os.path.join(SOURCE, "reference", "protocol.x")


def run(cmd, **kwargs):
    # A broken tool may block opening a FIFO for writing: the timeout ends it.
    return subprocess.run(cmd, cwd=SOURCE, capture_output=True, text=True, errors="replace", timeout=60, **kwargs)


def limit_file_size(size):
    return lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))


def make_fifo(tmp):
    """A FIFO stands for a device: tests never point a tool at /dev/full, so
    that a broken tool cannot replace a device of the machine."""
    path = os.path.join(tmp, "device")
    os.mkfifo(path)
    return path


def still_fifo(path):
    return stat.S_ISFIFO(os.stat(path).st_mode)


def expect(proc, status, pattern, what):
    problems = []
    if proc.returncode != status:
        problems.append("%s: exit status %d, expected %d" % (what, proc.returncode, status))
    if not re.search(pattern, proc.stderr):
        problems.append("%s: stderr lacks /%s/: %s" % (what, pattern, proc.stderr.strip()[:300]))
    if len(proc.stderr.strip().splitlines()) != 1:
        problems.append("%s: expected one line on stderr, got: %s" % (what, proc.stderr.strip()[:300]))
    return problems


def xdrc_output(tools, tmp):
    problems = []
    out = os.path.join(tmp, "model.gen.h")
    proc = run([tools.xdrc, "--emit", "cxx-model", "-o", tmp, PROTOCOL])
    problems += expect(proc, 2, re.escape(tmp) + r": is a directory", "-o DIR")
    device = make_fifo(tmp)
    proc = run([tools.xdrc, "--emit", "cxx-model", "-o", device, PROTOCOL])
    problems += expect(proc, 2, re.escape(device) + r": not a regular file", "-o FIFO")
    if not still_fifo(device):
        problems.append("the FIFO was replaced")
    os.unlink(device)
    with open(out, "w") as f:
        f.write("old\n")
    proc = run([tools.xdrc, "--emit", "cxx-model", "-o", out, PROTOCOL], preexec_fn=limit_file_size(2048))
    problems += expect(proc, 2, re.escape(out) + r": write failed: File too large", "a 2 KiB file-size limit")
    with open(out) as f:
        if f.read() != "old\n":
            problems.append("the old output was not left intact")
    if sorted(os.listdir(tmp)) != ["model.gen.h"]:
        problems.append("left behind: %s" % sorted(os.listdir(tmp)))
    proc = run([tools.xdrc, "--emit", "cxx-model", "-o", out, PROTOCOL])
    if proc.returncode != 0 or sorted(os.listdir(tmp)) != ["model.gen.h"]:
        problems.append("a good run: exit %d, folder %s" % (proc.returncode, sorted(os.listdir(tmp))))
    # The same output again leaves the file untouched (a build restats it:
    # a new time would recompile everything that includes it).
    os.utime(out, (1000000000, 1000000000))
    proc = run([tools.xdrc, "--emit", "cxx-model", "-o", out, PROTOCOL])
    if proc.returncode != 0 or os.stat(out).st_mtime != 1000000000:
        problems.append("an unchanged output was rewritten: exit %d, mtime %s" % (proc.returncode, os.stat(out).st_mtime))
    return problems


def xdrc_inputs(tools, tmp):
    problems = []
    cases = {
        "recursive.x": ("struct a { int n; a inner; };\n", r"recursive\.x:1:19: type 'a' is recursive"),
        "mutual.x": ("struct a { b x; };\nstruct b { a y; };\n", r"mutual\.x:2:12: type 'a' is recursive"),
        "overflow.x": ("struct s { hyper h[600000000]; };\n", r"overflow\.x:1:12: .*overflows 32 bits"),
        "empty.x": ("", r"empty\.x:1:1: no definitions"),
    }
    for name, (text, pattern) in cases.items():
        path = os.path.join(tmp, name)
        with open(path, "w") as f:
            f.write(text)
        problems += expect(run([tools.xdrc, "--check", path]), 1, pattern, name)
    folder = os.path.join(tmp, "folder.x")
    os.mkdir(folder)
    problems += expect(run([tools.xdrc, "--check", folder]), 1, r"folder\.x:1:1: is a directory", "a directory")
    return problems


def xdrc_linear(tools, tmp):
    path = os.path.join(tmp, "chain.x")
    with open(path, "w") as f:
        f.write("typedef int t0;\n")
        for i in range(1, 200000):
            f.write("typedef t%d t%d;\n" % (i - 1, i))
    started = time.monotonic()
    proc = run([tools.xdrc, "--check", path])
    seconds = time.monotonic() - started
    print("xdrc --check on 200,000 typedefs: %.2f s" % seconds)
    problems = [] if proc.returncode == 0 else ["exit status %d: %s" % (proc.returncode, proc.stderr[:300])]
    # Generous for a loaded CI machine; the quadratic version took > 120 s.
    if seconds > 10:
        problems.append("took %.1f s" % seconds)
    return problems


def tree(folder):
    """Every file below folder (profile folders included), by relative path, with its bytes."""
    out = {}
    for root, _, files in os.walk(folder):
        for n in files:
            path = os.path.join(root, n)
            with open(path, "rb") as f:
                out[os.path.relpath(path, folder)] = f.read()
    return out


def golden_output(tools, tmp):
    problems = []
    out = os.path.join(tmp, "golden")
    proc = run([tools.golden, "--quiet", "--out", out])
    if proc.returncode != 0:
        return ["--out: exit status %d: %s" % (proc.returncode, proc.stderr[:300])]
    before = tree(out)
    # 64 KiB: every vector file is larger, so the first write fails.
    proc = run([tools.golden, "--quiet", "--out", out], preexec_fn=limit_file_size(65536))
    problems += expect(proc, 2, r"cannot write .*_test\.json: write failed: File too large", "--out under a limit")
    after = tree(out)
    if after != before:
        problems.append("--out: the old files changed or temporaries were left: %s" % sorted(after))
    header = os.path.join(tmp, "vectors.h")
    device = make_fifo(tmp)
    proc = run([tools.golden, "--quiet", "--c-header", device])
    problems += expect(proc, 2, re.escape(device) + r": not a regular file", "--c-header FIFO")
    if not still_fifo(device):
        problems.append("the FIFO was replaced")
    os.unlink(device)
    with open(header, "w") as f:
        f.write("old\n")
    proc = run([tools.golden, "--quiet", "--c-header", header], preexec_fn=limit_file_size(65536))
    problems += expect(proc, 2, re.escape(header) + r": write failed", "--c-header under a limit")
    if open(header).read() != "old\n" or sorted(os.listdir(tmp)) != ["golden", "vectors.h"]:
        problems.append("--c-header: old file changed or temporaries left: %s" % sorted(os.listdir(tmp)))
    return problems


def golden_check_missing(tools, tmp):
    proc = run([tools.golden, "--quiet", "--check", os.path.join(tmp, "no-such-golden")])
    return expect(proc, 2, r"no-such-golden is not a directory", "--check on a missing directory")


def replay_flags(tools, tmp):
    problems = []
    proc = run([tools.replay, "--help"])
    if proc.returncode != 0 or "usage:" not in proc.stdout or "Running:" in proc.stderr:
        problems.append("--help: exit %d, stdout %r" % (proc.returncode, proc.stdout[:200]))
    for flag in ("--bogus", "-x", "--mutations"):
        proc = run([tools.replay, flag])
        if proc.returncode != 2 or "usage:" not in proc.stderr or "Running:" in proc.stderr:
            problems.append("%s: exit %d, stderr %r" % (flag, proc.returncode, proc.stderr[:200]))
    # libFuzzer's own flags stay accepted: the same command lines work under both drivers.
    seed = os.path.join(tmp, "input")
    with open(seed, "wb") as f:
        f.write(b"\x20\x00\x1a\x64\x00\x00\x00\x18")
    proc = run([tools.replay, "-runs=0", "-timeout=25", seed])
    if proc.returncode != 0:
        problems.append("-runs=0 FILE: exit %d: %s" % (proc.returncode, proc.stderr[-300:]))
    return problems


def campaign_broken_target(tools, tmp):
    build = os.path.join(tmp, "build-fuzz")
    os.makedirs(os.path.join(build, "fuzz"))
    fuzzer = os.path.join(build, "fuzz", "header_fuzzer")
    with open(fuzzer, "w") as f:
        f.write("#!/bin/sh\necho 'header_fuzzer: cannot start' >&2\nexit 127\n")
    os.chmod(fuzzer, 0o755)
    with open(fuzzer + ".options", "w") as f:
        f.write("[libfuzzer]\nmax_len = 64\n")
    env = dict(os.environ, QEMUD_FUZZ_BUILD_DIR=build)
    proc = run(["bash", os.path.join(SOURCE, "ci", "fuzz_campaign.sh"), "--no-build", "--no-coverage",
                "-t", "1", "-j", "1", "header_fuzzer"], env=env)
    problems = []
    if proc.returncode != 2:
        problems.append("exit status %d, expected 2" % proc.returncode)
    if not re.search(r"header_fuzzer: FUZZER FAILED \(exit 127", proc.stdout + proc.stderr):
        problems.append("output does not name the failed target: %s" % (proc.stdout + proc.stderr)[-400:])
    return problems


SCENARIOS = {
    "xdrc_output": xdrc_output,
    "xdrc_inputs": xdrc_inputs,
    "xdrc_linear": xdrc_linear,
    "golden_output": golden_output,
    "golden_check_missing": golden_check_missing,
    "replay_flags": replay_flags,
    "campaign_broken_target": campaign_broken_target,
}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--xdrc")
    parser.add_argument("--golden")
    parser.add_argument("--replay")
    parser.add_argument("scenarios", nargs="*")
    tools = parser.parse_args()
    failed = 0
    for name in tools.scenarios or list(SCENARIOS):
        with tempfile.TemporaryDirectory() as tmp:
            problems = SCENARIOS[name](tools, tmp)
        print("%s %s" % ("FAIL" if problems else "ok  ", name))
        for p in problems:
            print("    " + p)
        failed += bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
