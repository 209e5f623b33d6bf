#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""validate_schema.py GOLDEN_DIR PROTOCOL_X: every golden/<kind>_test.json
against the schema its "schema" member names (golden/schema/
qemud-golden-v<N>.schema.json, JSON Schema draft 2020-12, Debian's
python3-jsonschema), plus what a schema cannot say: the schema's $id is its
file name, protocolSha256 is the hash of protocol.x, numberOfTests counts
the tests, tcIds are unique, every flag used is explained in notes, invalid
vectors carry a value beside a wire only in the header kind, and every value
to refuse (no wire) fails its kind's typed $def, so the types are as strict
as the encoders, and a themed vector's arm is of the file's direction
and the arm its value is of. Exit 0 all valid, 1 a file fails, 2 the check could not run.
"""
import hashlib
import json
import sys
from pathlib import Path

KINDS = ["header", "client", "server", "client_message", "server_message"]
# The files: every kind in the seed framing, then the framed kinds of each
# further framing profile in its own folder ("libvirt-0.3/header").
FILES = KINDS + [f"libvirt-0.3/{kind}" for kind in ("header", "client_message", "server_message")]


def whole_float(value):
    """True when value holds a float with no fraction (1000.0): JSON Schema's
    integer is a value, so it cannot refuse what the encoders refuse for
    being a float token."""
    if isinstance(value, float):
        return value.is_integer()
    if isinstance(value, dict):
        return any(whole_float(v) for v in value.values())
    if isinstance(value, list):
        return any(whole_float(v) for v in value)
    return False


def load_schema(path, jsonschema, cache):
    """The validator of the schema at path, and of each of its $defs by name."""
    if path not in cache:
        schema = json.loads(path.read_text())
        if schema.get("$id") != path.name:
            raise ValueError(f"{path}: $id is {schema.get('$id')!r}, not the file's name {path.name!r}")
        cls = jsonschema.validators.validator_for(schema)
        cls.check_schema(schema)
        typed = lambda name: cls({"$defs": schema["$defs"], "$ref": f"#/$defs/{name}"})
        cache[path] = (cls(schema), typed)
    return cache[path]


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
    schemas = {}
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
        # The "schema" member is a path relative to the file.
        schema_path = (path.parent / str(doc.get("schema"))).resolve()
        try:
            validator, typed = load_schema(schema_path, jsonschema, schemas)
        except (OSError, ValueError, jsonschema.exceptions.SchemaError) as e:
            print(f"{path}: its schema {doc.get('schema')!r} does not load: {str(e)[:300]}")
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
            # A value to refuse breaks its type on purpose: the typed $def
            # must see that, unless the break is a float token.
            refusals = [t for t in tests if "wire" not in t and not whole_float(t["value"])]
            if refusals:
                value_def = f"value.header.{framing}" if kind == "header" else f"value.{kind}"
                value_type = typed(value_def)
                for t in refusals:
                    if value_type.is_valid(t["value"]):
                        problems.append(f"tcId {t['tcId']}: {value_def} accepts this value to refuse "
                                        f"({', '.join(t['flags'])}: {t['errorPath']})")
        for p in problems[:20]:
            print(f"{path}: {p}")
        if problems:
            failed += 1
        else:
            print(f"{path}: valid ({doc['numberOfTests']} tests)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
