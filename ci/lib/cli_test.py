#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""cli_test.py: every ci/*.sh behaves like a tool on its command line.

For each script: `--help` exits 0, prints its usage, and runs nothing
(cmake, ninja, ctest, apt-get, npm, clang, python3 and the fuzzers are
stubs on PATH that record being called); a wrong argument exits 2 with one
line on stderr naming it, also before any work. ci/test.sh passes its
arguments to ctest (its documented use), so only its --help is checked.

  cli_test.py REPO
"""
import os
import stat
import subprocess
import sys
import tempfile

WRONG = {
    "bench.sh": ["--bogus"],
    "build.sh": ["--bogus"],
    "detection.sh": ["--fuzz-runs", "0"],
    "fuzz_afl_smoke.sh": ["--bogus"],
    "fuzz_campaign.sh": ["-t"],
    "fuzz_ossfuzz_local.sh": ["--engine", "honggfuzz"],
    "fuzz_planted.sh": ["--oracle", "quick"],
    "fuzz_seeds.sh": ["no_such_fuzzer"],
    "fuzz_smoke.sh": ["--bogus"],
    "main.sh": ["--shim", "x"],
    "setup.sh": ["extra"],
}
STUBBED = ["cmake", "ninja", "ctest", "apt-get", "npm", "clang", "clang++", "python3", "node", "sudo", "dpkg"]


def main():
    repo = os.path.abspath(sys.argv[1])
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        marker = os.path.join(tmp, "called")
        stubs = os.path.join(tmp, "bin")
        os.mkdir(stubs)
        for name in STUBBED:
            path = os.path.join(stubs, name)
            with open(path, "w") as f:
                f.write("#!/bin/sh\necho \"%s $*\" >> %s\nexit 99\n" % (name, marker))
            os.chmod(path, os.stat(path).st_mode | stat.S_IEXEC)
        env = dict(os.environ, PATH=stubs + ":/usr/bin:/bin")
        scripts = sorted(f for f in os.listdir(os.path.join(repo, "ci")) if f.endswith(".sh"))
        for script in scripts:
            cases = [(["--help"], 0)]
            if script in WRONG:
                cases.append((WRONG[script], 2))
            elif script != "test.sh":
                failures.append("%s: no wrong-argument case in this test" % script)
            for args, want in cases:
                if os.path.exists(marker):
                    os.remove(marker)
                run = subprocess.run(["bash", os.path.join(repo, "ci", script)] + args, env=env, cwd=tmp,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
                out, err = run.stdout.decode(), run.stderr.decode()
                what = "%s %s" % (script, " ".join(args))
                if run.returncode != want:
                    failures.append("%s: exit %d, expected %d (stderr: %s)" % (what, run.returncode, want, err.strip()))
                if os.path.exists(marker):
                    failures.append("%s: ran %s before checking its arguments" % (what, open(marker).read().strip()))
                if want == 0 and script.replace(".sh", "") not in out:
                    failures.append("%s: the help does not name the script: %r" % (what, out[:200]))
                if want == 2 and (len(err.strip().splitlines()) != 1 or "--help" not in err):
                    failures.append("%s: expected one line on stderr pointing at --help, got %r" % (what, err))
                print("%-40s exit %d" % (what, run.returncode))
    for f in failures:
        print("FAIL: " + f)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
