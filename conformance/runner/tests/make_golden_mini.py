#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""make_golden_mini.py: writes tests/data/golden-mini/, a small hand-made set
of vectors in golden/'s format (one or two per result of every kind), so
the runner's tests do not depend on the generated golden/ files. Wires are
computed with the python-xdrlib shim's encoder, then edited by hand where a
vector needs a non-canonical or invalid wire. Rerun after a format change:

    python3 conformance/runner/tests/make_golden_mini.py
"""
import importlib.util
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("shim", os.path.join(HERE, "..", "..", "shims", "python-xdrlib", "shim.py"))
shim = importlib.util.module_from_spec(spec)
spec.loader.exec_module(shim)
OUT = os.path.join(HERE, "data", "golden-mini")

NOTES = {
    "canonical": {"description": "canonical encoding", "rule": "must_accept"},
    "zero_extended_char": {"description": "char >= 0x80 zero-extended", "rule": "must_accept"},
    "non_canonical_char": {"description": "other non-canonical char word", "rule": "acceptable"},
    "unknown_discriminant": {"description": "no such arm", "rule": "must_reject"},
    "bad_magic": {"description": "wrong magic", "rule": "must_reject"},
    "truncated": {"description": "short input", "rule": "must_reject"},
}


def enc(kind, value):
    return shim.encode(kind, value).hex()


def doc(kind, groups):
    tc = 0
    for g in groups:
        for t in g["tests"]:
            tc += 1
            t["tcId"] = tc
    return {"schema": "golden_schema.json", "generatorVersion": "1", "kind": kind, "protocolSha256": "0" * 64,
            "numberOfTests": tc, "header": ["hand-made test data for qemud-conform's tests"], "notes": NOTES,
            "testGroups": groups}


def write(kind, groups):
    with open(os.path.join(OUT, kind + "_test.json"), "w") as f:
        json.dump(doc(kind, groups), f, indent=1)
        f.write("\n")


name = ("e9" + "41" * 3 + "00" * 46)  # a name whose first byte is >= 0x80
lookup = {"serial": 5, "data": {"type": "QEMUD_CLIENT_PKT_DOMAIN_LOOKUP_BY_NAME",
                                "domainLookupByNameRequest": {"name": name}}}
lookup_wire = enc("client", lookup)
zero_ext = lookup_wire[:16] + "000000e9" + lookup_wire[24:]           # name[0] zero-extended: decode-only
non_canon = lookup_wire[:24] + "00000141" + lookup_wire[32:]          # name[1] = 0x141: acceptable
version = {"serial": 7, "data": {"type": "QEMUD_CLIENT_PKT_GET_VERSION"}}
reply = {"serial": 9, "inReplyTo": 7, "data": {"type": "QEMUD_SERVER_PKT_GET_VERSION", "getVersionReply": {"versionNum": 2000}}}
header = {"magic": 0x20001A64, "length": 16}

write("header", [{"direction": "client", "payloadSize": 16, "tests": [
    {"comment": "valid header", "result": "valid", "flags": ["canonical"], "wire": enc("header", header), "value": header,
     "layout": [[0, 4, "magic"], [4, 4, "length"]]},
    {"comment": "bad magic", "result": "invalid", "flags": ["bad_magic"], "wire": "2000aa6400000010",
     "value": {"magic": 0x2000AA64, "length": 16}},
    {"comment": "truncated header", "result": "invalid", "flags": ["truncated"], "wire": "20001a64"},
]}])
write("client", [
    {"arm": "QEMUD_CLIENT_PKT_GET_VERSION", "direction": "client", "payloadSize": 8, "tests": [
        {"comment": "void arm", "result": "valid", "flags": ["canonical"], "wire": enc("client", version), "value": version,
         "layout": [[0, 4, "serial"], [4, 4, "data.type"]]},
        {"comment": "PKT_MAX", "result": "invalid", "flags": ["unknown_discriminant"], "wire": "0000000700000026"},
    ]},
    {"arm": "QEMUD_CLIENT_PKT_DOMAIN_LOOKUP_BY_NAME", "direction": "client", "payloadSize": 208, "tests": [
        {"comment": "canonical", "result": "valid", "flags": ["canonical"], "wire": lookup_wire, "value": lookup,
         "layout": [[0, 4, "serial"], [4, 4, "data.type"], [8, 200, "data.domainLookupByNameRequest.name"]]},
        {"comment": "zero-extended 0xe9", "result": "valid", "flags": ["zero_extended_char"], "wire": zero_ext,
         "value": lookup, "canonicalWire": lookup_wire,
         "layout": [[0, 4, "serial"], [4, 4, "data.type"], [8, 200, "data.domainLookupByNameRequest.name"]]},
        {"comment": "0x141 element", "result": "acceptable", "flags": ["non_canonical_char"], "wire": non_canon,
         "value": lookup},
    ]},
])
write("server", [{"arm": "QEMUD_SERVER_PKT_GET_VERSION", "direction": "server", "payloadSize": 16, "tests": [
    {"comment": "version", "result": "valid", "flags": ["canonical"], "wire": enc("server", reply), "value": reply,
     "layout": [[0, 4, "serial"], [4, 4, "inReplyTo"], [8, 4, "data.type"], [12, 4, "data.getVersionReply.versionNum"]]},
    {"comment": "truncated", "result": "invalid", "flags": ["truncated"], "wire": enc("server", reply)[:-8]},
]}])
write("client_message", [{"arm": "QEMUD_CLIENT_PKT_GET_VERSION", "direction": "client", "payloadSize": 8, "tests": [
    {"comment": "framed", "result": "valid", "flags": ["canonical"], "wire": enc("client_message", version), "value": version},
    {"comment": "bad magic", "result": "invalid", "flags": ["bad_magic"], "wire": "2000aa6400000008" + enc("client", version)},
]}])
write("server_message", [{"arm": "QEMUD_SERVER_PKT_GET_VERSION", "direction": "server", "payloadSize": 16, "tests": [
    {"comment": "framed", "result": "valid", "flags": ["canonical"], "wire": enc("server_message", reply), "value": reply},
]}])
