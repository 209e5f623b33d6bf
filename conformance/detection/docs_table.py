#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""docs_table.py: the kill matrix in docs/DETECTION.md is the committed
baseline's, rendered the way ci/detection.sh prints it.

    docs_table.py --write BASELINE_JSON DOC   replace the table between the markers
    docs_table.py --check BASELINE_JSON DOC   exit 1 when the doc's table differs

The table sits between the lines <!-- matrix:begin --> and <!-- matrix:end -->.
Exit 2: a file is missing or has no markers.
"""
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from detection import markdown, write_atomically  # noqa: E402

BEGIN, END = "<!-- matrix:begin -->\n", "<!-- matrix:end -->\n"


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("--write", "--check"):
        print(__doc__, file=sys.stderr)
        return 2
    mode, baseline, doc = sys.argv[1:]
    try:
        table = markdown(json.loads(Path(baseline).read_text()))
        text = Path(doc).read_text()
    except (OSError, ValueError) as e:
        print(f"docs_table: {e}", file=sys.stderr)
        return 2
    if BEGIN not in text or END not in text:
        print(f"docs_table: {doc} has no {BEGIN.strip()} ... {END.strip()} lines", file=sys.stderr)
        return 2
    head, rest = text.split(BEGIN, 1)
    current, tail = rest.split(END, 1)
    if mode == "--check":
        if current != table:
            print(f"docs_table: the matrix in {doc} is not {baseline}'s; run "
                  f"python3 conformance/detection/docs_table.py --write {baseline} {doc}")
            return 1
        print(f"docs_table: the matrix in {doc} is {baseline}'s")
        return 0
    write_atomically(doc, head + BEGIN + table + END + tail)
    return 0


if __name__ == "__main__":
    sys.exit(main())
