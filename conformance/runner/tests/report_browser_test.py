#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""report_browser_test.py: the HTML conformance report as a browser shows it.

Runs qemud-conform --html over the in-tree implementations, then has
headless Chromium load index.html from disk: the DOM Chromium built must
count, cell by cell, what the run's JSON report holds (html_check.py), and
a screenshot of the page is saved as OUT/index.png. A page whose counts
were spoiled must be caught too, so the check is known to bite.

    report_browser_test.py --runner build/conformance/runner/qemud-conform --out DIR
    report_browser_test.py --check DIR   # only check an existing DIR/index.html against DIR/report.json

ctest runs it as conform/report_browser (label report), through
ci/lib/require_tools.py: without chromium it is skipped with the reason.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

from html_check import check_html

HERE = os.path.dirname(os.path.abspath(__file__))


def chromium(args, profile):
    # --no-sandbox: CI containers run as root, where Chromium's sandbox will
    # not start; a private profile keeps runs from sharing state.
    cmd = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + profile] + args
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def check_folder(folder, dom=None):
    with open(os.path.join(folder, "report.json")) as f:
        doc = json.load(f)
    if dom is None:
        with open(os.path.join(folder, "index.html"), encoding="utf-8") as f:
            dom = f.read()
    return check_html(dom, [doc])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runner")
    parser.add_argument("--out")
    parser.add_argument("--check", metavar="DIR")
    args = parser.parse_args()
    if args.check:
        problems = check_folder(args.check)
        for p in problems:
            print("FAIL " + p)
        return 1 if problems else 0
    if not args.runner or not args.out:
        parser.error("--runner and --out are required")

    report = os.path.join(args.out, "report")
    shutil.rmtree(report, ignore_errors=True)
    proc = subprocess.run([args.runner, "--random", "100", "-q", "--html", report], capture_output=True, text=True,
                          timeout=300)
    if proc.returncode != 0:
        print("FAIL qemud-conform --html: exit status %d\n%s" % (proc.returncode, proc.stderr[-2000:]))
        return 1
    url = "file://" + os.path.abspath(os.path.join(report, "index.html"))
    problems = []
    with tempfile.TemporaryDirectory() as profile:
        dom = chromium(["--dump-dom", url], profile)
        if dom.returncode != 0 or "<table" not in dom.stdout:
            print("FAIL chromium --dump-dom: exit status %d\n%s" % (dom.returncode, dom.stderr[-2000:]))
            return 1
        problems += ["DOM: " + p for p in check_folder(report, dom.stdout)]
        # The check bites: one count off by one in the DOM, in a summary
        # row or in a matrix cell's attribute or text, is caught.
        bump = lambda m: m.group(1) + str(int(m.group(2)) + 1)
        for what, pattern in (("a summary row's count", r'(<tr class="impl"[^>]*data-passed=")(\d+)'),
                              ("a matrix cell's count", r'(<td class="cell[^>]*data-failed=")(\d+)'),
                              ("a matrix cell's text", r'(<td class="cell[^>]*><a [^>]*>)(\d+)')):
            spoiled, n = re.subn(pattern, bump, dom.stdout, 1)
            if n != 1:
                problems.append("the DOM has no %s to spoil" % what)
            elif not check_folder(report, spoiled):
                problems.append("a DOM with %s spoiled passed the check" % what)

        png = os.path.join(args.out, "index.png")
        if os.path.exists(png):
            os.remove(png)
        shot = chromium(["--screenshot=" + os.path.abspath(png), "--window-size=1400,900", "--hide-scrollbars", url],
                        profile)
        try:
            with open(png, "rb") as f:
                head = f.read(8)
            size = os.path.getsize(png)
        except OSError as error:
            head, size = b"", 0
            problems.append("no screenshot (%s): chromium exit status %d: %s" % (error, shot.returncode,
                                                                                shot.stderr[-1000:]))
        if head and (head != b"\x89PNG\r\n\x1a\n" or size < 10000):
            problems.append("%s is not a PNG of a rendered page (%d bytes)" % (png, size))
    for p in problems:
        print("FAIL " + p)
    if not problems:
        print("ok   the DOM Chromium built counts what %s holds; screenshot %s" %
              (os.path.join(report, "report.json"), png))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
