#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""xdrc_json_schema_test.py XDRC DATA_DIR PROTOCOL_X: xdrc --emit json-schema
against the value model (docs/VALUE-MODEL.md) on every type form
(data/json_schema_types.x), one value each side of each rule; the 64-bit
patterns at their limits; the regex counts of protocol.x's schema within
RE2's limit of 1000 (Go's regexp); and the envelope's errors (exit 1).
Needs python3-jsonschema (Debian's, in /usr/bin/python3). Exit 0 pass, 1 fail.
"""
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import jsonschema

XDRC, DATA, PROTOCOL = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
EVERY = {"i": -1, "u": 4294967295, "h": "-9223372036854775808", "uh": "18446744073709551615", "c": "e9",
         "b": True, "d": 1.5, "chars": "414243", "uchars": "00ff", "bytes": "0a0b", "fixed": "abcd",
         "var": "", "s": "abcd", "ints": [1, 2], "some": [], "col": "CRIMSON", "next": None}
# (what, def, change to EVERY or a whole value, valid)
CASES = [
    ("every form", "every", {}, True),
    ("nested optional", "every", {"next": dict(EVERY)}, True),
    ("int32 above range", "every", {"i": 2147483648}, False),
    ("uint32 below range", "every", {"u": -1}, False),
    ("int32 as a string", "every", {"i": "1"}, False),
    ("int32 with a fraction", "every", {"i": 1.5}, False),
    ("int64 below range", "every", {"h": "-9223372036854775809"}, False),
    ("int64 minus zero", "every", {"h": "-0"}, False),
    ("uint64 above range", "every", {"uh": "18446744073709551616"}, False),
    ("uint64 leading zero", "every", {"uh": "01"}, False),
    ("uint64 as a number", "every", {"uh": 1}, False),
    ("char scalar of two bytes", "every", {"c": "e9e9"}, False),
    ("char array one byte short", "every", {"chars": "4142"}, False),
    ("char array not hex", "every", {"chars": "zz4243"}, False),
    ("uppercase hex", "every", {"uchars": "00FF"}, False),
    ("char typedef array is hex", "every", {"bytes": [10, 11]}, False),
    ("fixed opaque one byte long", "every", {"fixed": "abcdef"}, False),
    ("var opaque at its bound", "every", {"var": "010203"}, True),
    ("var opaque above its bound", "every", {"var": "01020304"}, False),
    ("var opaque odd", "every", {"var": "010"}, False),
    ("string above its bound", "every", {"s": "abcde"}, False),
    ("int array one short", "every", {"ints": [1]}, False),
    ("var array above its bound", "every", {"some": [1, 2, 3]}, False),
    ("enum by number", "every", {"col": 1}, False),
    ("enum unknown name", "every", {"col": "BLUE"}, False),
    ("extra member", "every", {"extra": 1}, False),
    ("enum arm, second name of its value", "by_enum", {"kind": "CRIMSON", "red": 1}, True),
    ("void arm", "by_enum", {"kind": "GREEN"}, True),
    ("void arm with a member", "by_enum", {"kind": "GREEN", "red": 1}, False),
    ("arm without its member", "by_enum", {"kind": "RED"}, False),
    ("int arm", "by_int", {"n": -2}, True),
    ("default arm", "by_int", {"n": 7, "other": 1}, True),
    ("default arm on a listed value", "by_int", {"n": 1, "other": 1}, False),
    ("bool arm", "by_bool", {"flag": True, "yes": 0}, True),
    ("bool with no arm", "by_bool", {"flag": False}, False),
]


def xdrc(*args):
    return subprocess.run([XDRC, "--emit", "json-schema", *args], capture_output=True, text=True)


def main():
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "types.json"
        proc = xdrc("-o", str(out), str(DATA / "json_schema_types.x"))
        if proc.returncode != 0:
            print(f"FAIL: xdrc exit {proc.returncode}: {proc.stderr}")
            return 1
        schema = json.loads(out.read_text())
        jsonschema.Draft202012Validator.check_schema(schema)
        for what, name, change, valid in CASES:
            value = {**EVERY, **change} if name == "every" else change
            validator = jsonschema.Draft202012Validator({"$defs": schema["$defs"], "$ref": f"#/$defs/{name}"})
            if validator.is_valid(value) != valid:
                problems.append(f"{what}: {name} {'refuses' if valid else 'accepts'} {json.dumps(value)[:120]}")

        # protocol.x's schema: every quantifier within RE2's limit of 1000,
        # so Go and Rust validators compile the patterns (hex lengths are
        # minLength/maxLength, not {8192}).
        proc = xdrc("-o", str(out), PROTOCOL)
        counts = [int(n) for n in re.findall(r"\{(?:\d+,)?(\d+)\}", out.read_text())] if proc.returncode == 0 else []
        if proc.returncode != 0 or not counts or max(counts) > 1000:
            problems.append(f"protocol.x: exit {proc.returncode}, largest quantifier {max(counts, default=None)}")

        # An envelope that redefines a type, or refers to no definition.
        for envelope, message in (({"$defs": {"every": {}}}, "both define every"),
                                  ({"$ref": "#/$defs/nothing"}, "#/$defs/nothing names no definition")):
            path = Path(tmp) / "envelope.json"
            path.write_text(json.dumps(envelope))
            proc = xdrc("--envelope", str(path), "-o", str(out), str(DATA / "json_schema_types.x"))
            if proc.returncode != 1 or message not in proc.stderr:
                problems.append(f"envelope {envelope}: exit {proc.returncode}, {proc.stderr.strip()!r}")
    for p in problems:
        print(f"FAIL: {p}")
    print(f"{len(CASES)} cases, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
