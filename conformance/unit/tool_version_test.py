#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""tool_version_test.py: every tool's --version says the same thing.

Each tool given prints "<tool> <project version>[ (git <describe>)]" and
"protocol.x sha256 <hex>", exits 0, and the hash is the one the committed
golden vectors carry (protocolSha256), so a report that quotes a tool's
version names the vectors it was built for.

  tool_version_test.py GOLDEN_FILE TOOL...
"""
import json
import os
import re
import subprocess
import sys


def main():
    golden, tools = sys.argv[1], sys.argv[2:]
    with open(golden) as f:
        want = json.load(f)["protocolSha256"]
    failures = []
    for tool in tools:
        name = os.path.basename(tool)
        run = subprocess.run([tool, "--version"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
        out = run.stdout.decode()
        pattern = r"^%s \d+\.\d+\.\d+( \(git [^)]+\))?\nprotocol\.x sha256 ([0-9a-f]{64})\n$" % re.escape(name)
        m = re.match(pattern, out)
        if run.returncode != 0 or not m:
            failures.append("%s --version: exit %d, output %r" % (name, run.returncode, out))
        elif m.group(2) != want:
            failures.append("%s --version: protocol.x sha256 %s, the golden vectors' %s" % (name, m.group(2), want))
        else:
            print(out.splitlines()[0])
    for f in failures:
        print("FAIL: " + f)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
