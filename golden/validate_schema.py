#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""validate_schema.py GOLDEN_DIR PROTOCOL_X: every golden/<kind>_test.json
against golden_schema.json (JSON Schema draft 2020-12, Debian's
python3-jsonschema), plus what a schema cannot say: protocolSha256 is the
hash of protocol.x, numberOfTests counts the tests, tcIds are unique, every
flag used is explained in notes, invalid vectors carry a value beside a
wire only in the header kind, and a themed vector's arm is of the file's
direction and the arm its value is of. Exit 0 all valid, 1 a file fails, 2 the check could not run.
"""
import hashlib
import json
import sys
from pathlib import Path

KINDS = ["header", "client", "server", "client_message", "server_message"]
# The files: every kind in the seed framing, then the framed kinds of each
# further framing profile in its own folder ("libvirt-0.3/header").
FILES = KINDS + [f"libvirt-0.3/{kind}" for kind in ("header", "client_message", "server_message")]


def main():
    if len(sys.argv) != 3:
        print("usage: validate_schema.py GOLDEN_DIR PROTOCOL_X", file=sys.stderr)
        return 2
    try:
        import jsonschema
    except ImportError:
        print("validate_schema.py: python3-jsonschema is missing (ci/setup.sh installs it)", file=sys.stderr)
        return 2
    golden = Path(sys.argv[1])
    sha = hashlib.sha256(Path(sys.argv[2]).read_bytes()).hexdigest()
    schema = json.loads((golden / "golden_schema.json").read_text())
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)
    failed = 0
    for name in FILES:
        path = golden / f"{name}_test.json"
        kind = name.split("/")[-1]
        framing = name.split("/")[0] if "/" in name else "seed"
        try:
            doc = json.loads(path.read_text())
        except (OSError, ValueError) as e:
            print(f"{path}: cannot read: {e}")
            failed += 1
            continue
        problems = [f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message[:300]}"
                    for e in sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))]
        if not problems:
            if doc["kind"] != kind:
                problems.append(f"kind is {doc['kind']!r}, file name says {kind!r}")
            if kind in ("header", "client_message", "server_message") and doc.get("framing") != framing:
                problems.append(f"framing is {doc.get('framing')!r}, the file's folder says {framing!r}")
            if kind in ("client", "server") and "framing" in doc:
                problems.append("a payload file names a framing")
            if doc["protocolSha256"] != sha:
                problems.append(f"protocolSha256 {doc['protocolSha256']} is not sha256(protocol.x) {sha}")
            tests = [t for g in doc["testGroups"] for t in g["tests"]]
            if len(tests) != doc["numberOfTests"]:
                problems.append(f"numberOfTests {doc['numberOfTests']} but {len(tests)} tests")
            ids = [t["tcId"] for t in tests]
            if len(set(ids)) != len(ids):
                problems.append("tcIds are not unique")
            for t in tests:
                for f in t["flags"]:
                    if f not in doc["notes"]:
                        problems.append(f"tcId {t['tcId']}: flag {f} is not explained in notes")
                if t["result"] == "invalid" and "value" in t and "wire" in t and kind != "header":
                    problems.append(f"tcId {t['tcId']}: an invalid {kind} vector carries a value and a wire")
            # A themed vector's arm is of the file's direction and, where
            # its value names an arm (a valid or acceptable one), that arm.
            for g in doc["testGroups"]:
                for t in g["tests"]:
                    if "arm" not in t:
                        continue
                    if not t["arm"].startswith("QEMUD_" + g.get("direction", "?").upper() + "_PKT_"):
                        problems.append(f"tcId {t['tcId']}: arm {t['arm']} is not of direction {g.get('direction')}")
                    named = t.get("value", {}).get("data", {}).get("type") if t["result"] != "invalid" else None
                    if named is not None and named != t["arm"]:
                        problems.append(f"tcId {t['tcId']}: arm {t['arm']} but its value is of {named}")
        for p in problems[:20]:
            print(f"{path}: {p}")
        if problems:
            failed += 1
        else:
            print(f"{path}: valid ({doc['numberOfTests']} tests)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
