#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""shim_selftest.py: checks the python-xdrlib and node-js-xdr shims.

    python3 conformance/shims/shim_selftest.py [--python-shim CMD] [--node-shim CMD] [-v]

It starts each shim as the runner would (a shell command, JSON lines on
stdin/stdout) and checks, for every union arm of reference/protocol.x:
encode matches an independent oracle encoder built here from protocol.x
(so the shims' hand-written tables are checked against the source of truth),
both shims produce the same bytes, decode gives the value back, and the
framed *_message kinds agree in both framing profiles (seed and libvirt-0.3).
Then the policy cases of docs/POLICY.md (the header and framing ones
once per profile), the value-model refusals and the request-level contract
of docs/SHIM-CONTRACT.md.

The node shim needs `npm ci` in conformance/shims/node-js-xdr first.
Prints one line per failure and "N passed, M failed"; exits 0 or 1.
"""

import argparse
import json
import os
import queue
import re
import shlex
import struct
import subprocess
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
PROTOCOL_X = os.path.join(HERE, "..", "..", "reference", "protocol.x")
MAGIC = 0x20001A64
TIMEOUT_S = 20

# ---------------------------------------------------------------------------
# protocol.x, read independently of both shims.
# ---------------------------------------------------------------------------


def parse_protocol(path):
    with open(path, encoding="utf-8") as source:
        text = source.read()
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("%"))
    consts = {"PATH_MAX": 4096}  # from <limits.h>, not declared in the file
    consts.update({m[1]: int(m[2], 0) for m in re.finditer(r"const\s+(\w+)\s*=\s*(\w+)\s*;", text)})
    enums = {}
    for m in re.finditer(r"enum\s+(\w+)\s*\{(.*?)\}\s*;", text, re.S):
        values, nxt = {}, 0
        for item in filter(None, (i.strip() for i in m[2].split(","))):
            name, _, value = (p.strip() for p in item.partition("="))
            nxt = int(value, 0) if value else nxt
            values[name] = nxt
            nxt += 1
        enums[m[1]] = values
    structs = {}
    for m in re.finditer(r"struct\s+(\w+)\s*\{(.*?)\}\s*;", text, re.S):
        fields = []
        for decl in filter(None, (d.strip() for d in m[2].split(";"))):
            f = re.fullmatch(r"(unsigned\s+char|struct\s+\w+|\w+)\s+(\w+)\s*(?:\[\s*(\w+)\s*\])?", decl)
            ftype = re.sub(r"^struct\s+", "", re.sub(r"\s+", " ", f[1]))
            if f[3]:
                ftype = (ftype, consts[f[3]] if f[3] in consts else int(f[3]))
            fields.append((f[2], ftype))
        structs[m[1]] = fields
    unions = {}
    for m in re.finditer(r"union\s+(\w+)\s+switch\s*\(\s*(\w+)\s+(\w+)\s*\)\s*\{(.*?)\}\s*;", text, re.S):
        arms = [(c[1], None if c[2] == "void" else (c[3], c[4]))
                for c in re.finditer(r"case\s+(\w+)\s*:\s*(void|(\w+)\s+(\w+))\s*;", m[4])]
        unions[m[1]] = {"enum": m[2], "arms": arms}
    return consts, enums, structs, unions


CONSTS, ENUMS, STRUCTS, UNIONS = parse_protocol(PROTOCOL_X)
PACKET = {"client": "qemud_packet_client", "server": "qemud_packet_server"}
DATA = {"client": "qemud_packet_client_data", "server": "qemud_packet_server_data"}


def oracle(ftype, value):
    """oracle encodes value as rpcgen + libtirpc would on x86-64 (docs/VALUE-MODEL.md)."""
    if ftype == "int32_t":
        return struct.pack(">i", value)
    if ftype == "uint32_t":
        return struct.pack(">I", value)
    if ftype == "uint64_t":
        return struct.pack(">Q", int(value))
    if isinstance(ftype, tuple):
        elem, n = ftype
        if elem == "int32_t":
            return b"".join(struct.pack(">i", v) for v in value)
        data = bytes.fromhex(value)
        if elem == "char":
            return b"".join(struct.pack(">i", b - 256 if b >= 0x80 else b) for b in data)
        return b"".join(struct.pack(">I", b) for b in data)
    if ftype in UNIONS:
        union = UNIONS[ftype]
        arm = dict(union["arms"])[value["type"]]
        out = struct.pack(">i", ENUMS[union["enum"]][value["type"]])
        return out + (oracle(arm[0], value[arm[1]]) if arm else b"")
    return b"".join(oracle(t, value[name]) for name, t in STRUCTS[ftype])


def generate(ftype, seed):
    """generate makes a deterministic, non-trivial value: int32 min/max,
    uint64 max, char bytes >= 0x80 followed by NUL padding."""
    if ftype == "int32_t":
        return [-2**31, 2**31 - 1, -1, 7 * seed + 1][seed % 4]
    if ftype == "uint32_t":
        return [2**32 - 1, 0, 2000, 65537 * seed][seed % 4]
    if ftype == "uint64_t":
        return ["18446744073709551615", "0", "4294967296", str(2**63 + seed)][seed % 4]
    if isinstance(ftype, tuple):
        elem, n = ftype
        if elem == "int32_t":
            return [-2**31, 2**31 - 1] + [i * i - 50 * seed for i in range(n - 2)]
        if elem == "unsigned char":
            return bytes((37 * i + seed) & 0xFF for i in range(n)).hex()
        text = ("n%d-\u00e9t\u00e9" % seed).encode() + b"\xff\x80\x7f\x01"
        data = text[:n] + bytes(max(0, n - len(text)))
        if n > 32 and seed % 2:                 # a non-NUL last element, too
            data = data[:-1] + b"\xe9"
        return data.hex()
    if ftype in UNIONS:
        raise AssertionError("unions are generated per arm")
    return {name: generate(t, seed + i) for i, (name, t) in enumerate(STRUCTS[ftype])}


def arm_value(direction, arm_index):
    name, arm = UNIONS[DATA[direction]]["arms"][arm_index]
    data = {"type": name}
    if arm:
        data[arm[1]] = generate(arm[0], arm_index)
    value = {"serial": [2**32 - 1, 0, 7][arm_index % 3], "data": data}
    if direction == "server":
        value["inReplyTo"] = arm_index * 1000
    return value


# ---------------------------------------------------------------------------
# Talking to a shim.
# ---------------------------------------------------------------------------

class Shim:
    def __init__(self, name, command, cwd):
        self.name, self.command, self.next_id = name, command, 1
        self.proc = subprocess.Popen(command, shell=True, cwd=cwd, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=sys.stderr, start_new_session=True)
        self.lines = queue.Queue()
        self.pump = threading.Thread(target=self._pump, daemon=True)
        self.pump.start()

    def _pump(self):
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def send_raw(self, text):
        self.proc.stdin.write(text.encode() + b"\n")
        self.proc.stdin.flush()
        line = self.lines.get(timeout=TIMEOUT_S)
        if line is None:
            raise RuntimeError("%s exited (status %s)" % (self.name, self.proc.wait()))
        return json.loads(line)

    def call(self, op, **fields):
        request_id = self.next_id
        self.next_id += 1
        reply = self.send_raw(json.dumps(dict(id=request_id, op=op, **fields)))
        if reply.get("id") != request_id:
            raise RuntimeError("reply id %r for request %d" % (reply.get("id"), request_id))
        return reply

    def quit(self):
        """quit asks the shim to exit and returns its exit status (None if it had to be killed)."""
        try:
            self.proc.stdin.write(b'{"id":0,"op":"quit"}\n')
            self.proc.stdin.close()
            status = self.proc.wait(timeout=TIMEOUT_S)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()
            status = None
        self.pump.join(timeout=TIMEOUT_S)
        self.proc.stdout.close()
        return status


class Results:
    def __init__(self, verbose):
        self.passed, self.failed, self.verbose = 0, 0, verbose

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
            if self.verbose:
                print("ok   " + name)
        else:
            self.failed += 1
            print("FAIL %s%s" % (name, ": " + detail if detail else ""))
        return ok


def first_difference(a, b):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return "first difference at byte 0x%x (%s vs %s)" % (i, a[i:i + 4].hex(), b[i:i + 4].hex())
    return "lengths %d vs %d" % (len(a), len(b))


# The framing profiles, from the protocol description: the header's members
# in wire order, the one that holds the constant 0x20001A64, and how much
# the length word adds to the payload size (libvirt-0.3 counts the header).
FRAMINGS = {
    "seed": {"members": ("magic", "length"), "constant": "magic", "overhead": 0},
    "libvirt-0.3": {"members": ("length", "prog"), "constant": "prog", "overhead": 8},
}


def header_value(framing, length, constant=MAGIC):
    """header_value is the header kind's JSON value; length is the length word as sent."""
    return {FRAMINGS[framing]["constant"]: constant, "length": length}


def framed_header(framing, length, constant=MAGIC):
    value = header_value(framing, length, constant)
    return struct.pack(">II", *(value[member] for member in FRAMINGS[framing]["members"]))


def header(length, magic=MAGIC):
    return framed_header("seed", length, magic)


def framing_fields(framing):
    """framing_fields is what a request for a framed kind carries: nothing for the seed."""
    return {} if framing == "seed" else {"framing": framing}


# ---------------------------------------------------------------------------
# The checks.
# ---------------------------------------------------------------------------

# Hand-computed payload sizes (docs/WIRE.md): 4 bytes per word and
# per char element; client = serial + type + arm, server adds inReplyTo.
EXPECTED_SIZES = {
    ("client", "QEMUD_CLIENT_PKT_GET_VERSION"): 8,
    ("client", "QEMUD_CLIENT_PKT_DOMAIN_LOOKUP_BY_ID"): 12,
    ("client", "QEMUD_CLIENT_PKT_DOMAIN_LOOKUP_BY_UUID"): 8 + 16 * 4,
    ("client", "QEMUD_CLIENT_PKT_DOMAIN_LOOKUP_BY_NAME"): 8 + 50 * 4,
    ("client", "QEMUD_CLIENT_PKT_DOMAIN_CREATE"): 8 + 4096 * 4,
    ("client", "QEMUD_CLIENT_PKT_DOMAIN_SAVE"): 8 + 4 + 4096 * 4,            # 16396, the largest
    ("client", "QEMUD_CLIENT_PKT_DOMAIN_SET_AUTOSTART"): 8 + 16 * 4 + 4,
    ("server", "QEMUD_SERVER_PKT_DOMAIN_SUSPEND"): 12,
    ("server", "QEMUD_SERVER_PKT_FAILURE"): 12 + 4 + 1024 * 4,
    ("server", "QEMUD_SERVER_PKT_GET_NODEINFO"): 12 + 32 * 4 + 7 * 4,
    ("server", "QEMUD_SERVER_PKT_LIST_DOMAINS"): 12 + 4 + 100 * 4,
    ("server", "QEMUD_SERVER_PKT_DOMAIN_CREATE"): 280,
    ("server", "QEMUD_SERVER_PKT_DOMAIN_GET_INFO"): 12 + 8 + 4 * 4,
    ("server", "QEMUD_SERVER_PKT_LIST_DEFINED_DOMAINS"): 12 + 4 + 5000 * 4,  # 20016, the largest
    ("server", "QEMUD_SERVER_PKT_LIST_NETWORKS"): 20016,
    ("server", "QEMUD_SERVER_PKT_NETWORK_GET_BRIDGE_NAME"): 12 + 50 * 4,
}


def check_arms(results, shims):
    for direction in ("client", "server"):
        arms = UNIONS[DATA[direction]]["arms"]
        results.check("arm_count/%s" % direction, len(arms) == {"client": 38, "server": 39}[direction],
                      "protocol.x has %d arms" % len(arms))
        sizes = []
        for index, (arm_name, _) in enumerate(arms):
            value = arm_value(direction, index)
            expected = oracle(PACKET[direction], value)
            sizes.append(len(expected))
            if (direction, arm_name) in EXPECTED_SIZES:
                results.check("size/%s" % arm_name, len(expected) == EXPECTED_SIZES[direction, arm_name],
                              "oracle gives %d bytes" % len(expected))
            wires = []
            for shim in shims:
                case = "round_trip/%s/%s" % (shim.name, arm_name)
                reply = shim.call("encode", kind=direction, value=value)
                wire = bytes.fromhex(reply.get("wire", ""))
                if not results.check(case + "/encode", reply.get("ok") and wire == expected,
                                     reply.get("error") or first_difference(wire, expected)):
                    continue
                wires.append(reply["wire"])
                reply = shim.call("decode", kind=direction, wire=reply["wire"])
                results.check(case + "/decode", reply.get("ok") and reply.get("value") == value,
                              reply.get("error") or "decoded %s" % json.dumps(reply.get("value"))[:200])
                for framing, profile in FRAMINGS.items():
                    suffix = "" if framing == "seed" else "/" + framing
                    message = (framed_header(framing, len(expected) + profile["overhead"]) + expected).hex()
                    reply = shim.call("encode", kind=direction + "_message", value=value, **framing_fields(framing))
                    results.check(case + "/encode_message" + suffix, reply.get("wire") == message,
                                  reply.get("error", "wrong wire"))
                    reply = shim.call("decode", kind=direction + "_message", wire=message, **framing_fields(framing))
                    results.check(case + "/decode_message" + suffix, reply.get("value") == value,
                                  reply.get("error", "wrong value"))
            results.check("same_wire/%s" % arm_name, len(wires) == len(shims) and len(set(wires)) == 1,
                          "the shims disagree or one failed")
        low, high = {"client": (8, 16396), "server": (12, 20016)}[direction]
        results.check("size_range/%s" % direction, (min(sizes), max(sizes)) == (low, high),
                      "sizes run %d..%d" % (min(sizes), max(sizes)))


def replace_word(wire, offset, word):
    return wire[:offset] + struct.pack(">I", word) + wire[offset + 4:]


def check_policy(results, shim):
    def decode_ok(case, kind, wire, value):
        reply = shim.call("decode", kind=kind, wire=wire.hex())
        return results.check("policy/%s/%s" % (shim.name, case), reply.get("ok") and reply["value"] == value,
                             reply.get("error") or "decoded %s" % json.dumps(reply.get("value"))[:200])

    def rejects(case, kind, wire, mentions=None):
        reply = shim.call("decode", kind=kind, wire=wire.hex())
        ok = reply.get("ok") is False and all(m in reply.get("error", "") for m in mentions or [])
        return results.check("policy/%s/%s" % (shim.name, case), ok,
                             "accepted" if reply.get("ok") else "error %r should mention %s" % (reply.get("error"), mentions))

    # Server DOMAIN_CREATE: serial 0, inReplyTo 4, type 8, id 12, uuid 16..79, name 80..279.
    value = {"serial": 1, "inReplyTo": 2, "data": {"type": "QEMUD_SERVER_PKT_DOMAIN_CREATE", "domainCreateReply": {
        "id": 3, "uuid": "00e9" + "00" * 14, "name": "41e9" + "00" * 48}}}
    canonical = oracle("qemud_packet_server", value)
    assert canonical[84:88] == b"\xff\xff\xff\xe9" and canonical[20:24] == b"\x00\x00\x00\xe9"
    zero_extended = replace_word(canonical, 84, 0xE9)
    if decode_ok("zero_extended_char_accepted", "server", zero_extended, value):
        reply = shim.call("encode", kind="server", value=value)
        results.check("policy/%s/zero_extended_char_reencodes_canonical" % shim.name,
                      reply.get("wire") == canonical.hex(), reply.get("error", "not FFFFFFE9"))
    decode_ok("canonical_unsigned_char_accepted", "server", canonical, value)
    rejects("char_00000141_rejected", "server", replace_word(canonical, 80, 0x141),
            ["data.domainCreateReply.name[0]", "0x50"])
    rejects("char_FFFFFF41_rejected", "server", replace_word(canonical, 88, 0xFFFFFF41),
            ["data.domainCreateReply.name[2]", "0x58"])
    rejects("char_FFFFFF7F_rejected", "server", replace_word(canonical, 84, 0xFFFFFF7F))
    rejects("unsigned_char_FFFFFFE9_rejected", "server", replace_word(canonical, 20, 0xFFFFFFE9),
            ["data.domainCreateReply.uuid[1]", "0x14"])
    rejects("unsigned_char_00000100_rejected", "server", replace_word(canonical, 16, 0x100))
    rejects("message_char_offset_counts_header", "server_message", header(280) + replace_word(canonical, 80, 0x141),
            ["name[0]", "0x58"])

    # Discriminants.
    void_client = struct.pack(">II", 5, 0)
    rejects("client_discriminant_38_rejected", "client", replace_word(void_client, 4, 38), ["data.type"])
    rejects("client_discriminant_minus_1_rejected", "client", replace_word(void_client, 4, 0xFFFFFFFF))
    rejects("server_discriminant_39_rejected", "server", struct.pack(">III", 1, 2, 39), ["data.type"])
    rejects("client_message_discriminant_38_rejected", "client_message", header(8) + struct.pack(">II", 5, 38))

    # Truncation and trailing bytes.
    save = oracle("qemud_packet_client", arm_value("client", 12))       # DOMAIN_SAVE, 16396 bytes
    info = oracle("qemud_packet_server", arm_value("server", 12))       # DOMAIN_GET_INFO
    rejects("truncated_word", "client", save[:-4], ["file[4095]"])
    rejects("truncated_byte", "client", save[:-1])
    rejects("truncated_in_uint64", "server", info[:16], ["cpuTime"])
    rejects("truncated_in_discriminant", "server", info[:10])
    rejects("empty_payload", "client", b"")
    rejects("trailing_word", "client", save + bytes(4))
    rejects("trailing_byte", "server", info + b"\x01")
    rejects("trailing_after_void_arm", "client", void_client + bytes(4))

def check_framing(results, shim, framing):
    """check_framing runs the header-kind and message-framing policy cases in
    one profile. Case names carry the profile, except the seed's (unchanged)."""
    profile = FRAMINGS[framing]
    shift, constant = profile["overhead"], profile["constant"]
    prefix = "policy/%s/%s" % (shim.name, "" if framing == "seed" else framing + "/")
    fields = framing_fields(framing)
    word_at = {member: 4 * i for i, member in enumerate(profile["members"])}
    at = {name: "%s at 0x%x" % (name, word_at[name]) for name in word_at}          # bare header paths
    header_at = {name: "header." + at[name] for name in at}                         # message header paths

    def frame(payload, length=None, constant_word=MAGIC):
        """frame puts payload behind this profile's header; length is the payload size it claims."""
        return framed_header(framing, (len(payload) if length is None else length) + shift, constant_word) + payload

    def decode_ok(case, kind, wire, value):
        reply = shim.call("decode", kind=kind, wire=wire.hex(), **fields)
        return results.check(prefix + case, reply.get("ok") and reply["value"] == value,
                             reply.get("error") or "decoded %s" % json.dumps(reply.get("value"))[:200])

    def rejects(case, kind, wire, mentions=None):
        reply = shim.call("decode", kind=kind, wire=wire.hex(), **fields)
        ok = reply.get("ok") is False and all(m in reply.get("error", "") for m in mentions or [])
        return results.check(prefix + case, ok,
                             "accepted" if reply.get("ok") else "error %r should mention %s" % (reply.get("error"), mentions))

    def encodes(case, kind, value, wire):
        reply = shim.call("encode", kind=kind, value=value, **fields)
        return results.check(prefix + case, reply.get("wire") == wire.hex(), reply.get("error", "wrong wire"))

    def refuses(case, kind, value):
        reply = shim.call("encode", kind=kind, value=value, **fields)
        return results.check(prefix + case, reply.get("ok") is False, "encoded %s" % reply.get("wire"))

    # Header kind: encode refusals, decode rejections, and the boundaries that pass.
    # Lengths are payload sizes; the length word adds the profile's shift.
    for case, magic, length, mentions in [
            ("bad_magic", MAGIC + 1, 8, [at[constant]]), ("zero_magic", 0, 8, [at[constant]]),
            ("length_7", MAGIC, 7, [at["length"]]), ("length_4", MAGIC, 4, [at["length"]]),
            ("length_0", MAGIC, 0, [at["length"]]), ("length_20020", MAGIC, 20020, [at["length"]]),
            ("length_10", MAGIC, 10, [at["length"]]), ("length_max_uint", MAGIC, 2**32 - 1 - shift, [at["length"]])]:
        refuses("header_encode_refuses_" + case, "header", header_value(framing, length + shift, magic))
        rejects("header_decode_rejects_" + case, "header", framed_header(framing, length + shift, magic), mentions)
    for length in (8, 16396, 20016):
        encodes("header_encode_%d" % (length + shift), "header", header_value(framing, length + shift),
                framed_header(framing, length + shift))
        decode_ok("header_decode_%d" % (length + shift), "header", framed_header(framing, length + shift),
                  header_value(framing, length + shift))
    rejects("header_7_bytes", "header", framed_header(framing, 8 + shift)[:7])
    rejects("header_9_bytes", "header", framed_header(framing, 8 + shift) + b"\x00")
    rejects("header_12_bytes", "header", framed_header(framing, 8 + shift) + bytes(4))
    # The header value has exactly this profile's two members, each a uint32.
    good = header_value(framing, 8 + shift)
    other = "libvirt-0.3" if framing == "seed" else "seed"
    for case, value in [("other_profile_members", header_value(other, 8 + FRAMINGS[other]["overhead"])),
                        ("extra_member", dict(good, extra=1)),
                        ("missing_length", {constant: MAGIC}), ("missing_constant", {"length": 8 + shift}),
                        ("length_string", dict(good, length=str(8 + shift))), ("length_fraction", dict(good, length=16.5)),
                        ("length_negative", dict(good, length=-1)), ("length_over_uint", dict(good, length=2**32)),
                        ("constant_bool", dict(good, **{constant: True})), ("constant_null", dict(good, **{constant: None})),
                        ("not_object", [MAGIC, 8 + shift])]:
        refuses("header_encode_refuses_" + case, "header", value)
    # The other profile's word order is a bad constant here (and a bad length).
    rejects("header_decode_rejects_other_order", "header", framed_header(other, 12 + FRAMINGS[other]["overhead"]))

    # Message framing. Server DOMAIN_CREATE, 280 bytes of payload.
    value = {"serial": 1, "inReplyTo": 2, "data": {"type": "QEMUD_SERVER_PKT_DOMAIN_CREATE", "domainCreateReply": {
        "id": 3, "uuid": "00e9" + "00" * 14, "name": "41e9" + "00" * 48}}}
    canonical = oracle("qemud_packet_server", value)
    framed = frame(canonical)
    decode_ok("message_valid", "server_message", framed, value)
    encodes("message_encode", "server_message", value, framed)
    rejects("message_bad_magic", "server_message", frame(canonical, constant_word=MAGIC ^ 1), [header_at[constant]])
    rejects("message_other_order", "server_message", framed_header(other, 280 + FRAMINGS[other]["overhead"]) + canonical)
    rejects("message_length_short", "server_message", frame(canonical, 276), [header_at["length"]])
    rejects("message_length_long", "server_message", frame(canonical, 284), [header_at["length"]])
    rejects("message_length_not_word", "server_message", frame(canonical, 281), [header_at["length"]])
    rejects("message_trailing_after_length", "server_message", framed + bytes(4))
    rejects("message_truncated_header", "client_message", frame(bytes(8))[:6])
    rejects("message_empty", "client_message", b"")
    rejects("message_header_alone", "server_message", frame(b"", 12), [header_at["length"]])
    rejects("message_length_below_header", "server_message", framed_header(framing, 4), [header_at["length"]])
    rejects("message_client_length_below_min", "client_message", frame(bytes(4)), [header_at["length"]])
    rejects("message_server_length_below_min", "server_message", frame(bytes(8)), [header_at["length"]])
    rejects("message_client_length_over_max", "client_message", frame(bytes(8), 16400), [header_at["length"]])
    rejects("message_client_length_huge", "client_message", framed_header(framing, 2**32 - 1), [header_at["length"]])
    rejects("message_server_length_over_max", "server_message", framed_header(framing, 20020 + shift),
            [header_at["length"]])
    big = oracle("qemud_packet_server", arm_value("server", 16))       # LIST_DEFINED_DOMAINS, 20016
    decode_ok("message_server_max_length", "server_message", frame(big), arm_value("server", 16))
    rejects("message_client_at_server_max", "client_message", frame(big), [header_at["length"]])
    save = oracle("qemud_packet_client", arm_value("client", 12))      # DOMAIN_SAVE, 16396
    decode_ok("message_client_max_length", "client_message", frame(save), arm_value("client", 12))
    rejects("message_payload_error", "server_message", frame(replace_word(canonical, 8, 39)), ["data.type"])
    rejects("message_char_offset_counts_header", "server_message", frame(replace_word(canonical, 80, 0x141)),
            ["name[0]", "0x58"])
    rejects("message_payload_too_short_for_arm", "client_message", frame(struct.pack(">II", 1, 4)))
    rejects("client_message_discriminant_38_rejected", "client_message", frame(struct.pack(">II", 5, 38)))


def check_encode_refusals(results, shim):
    base = {"serial": 1, "data": {"type": "QEMUD_CLIENT_PKT_DOMAIN_SAVE",
                                  "domainSaveRequest": {"id": 1, "file": "2f" + "00" * 4095}}}

    def variant(edit):
        value = json.loads(json.dumps(base))
        edit(value, value["data"], value["data"]["domainSaveRequest"])
        return value

    cases = {
        "unknown_type": lambda v, d, a: d.update(type="QEMUD_CLIENT_PKT_NOPE"),
        "max_type": lambda v, d, a: d.update(type="QEMUD_CLIENT_PKT_MAX"),
        "server_type_in_client": lambda v, d, a: d.update(type="QEMUD_SERVER_PKT_DOMAIN_SAVE"),
        "type_not_string": lambda v, d, a: d.update(type=12),
        "missing_arm_member": lambda v, d, a: d.pop("domainSaveRequest"),
        "extra_union_member": lambda v, d, a: d.update(domainRestoreRequest={"file": a["file"]}),
        "void_arm_with_member": lambda v, d, a: d.update(type="QEMUD_CLIENT_PKT_GET_VERSION"),
        "missing_field": lambda v, d, a: a.pop("id"),
        "extra_field": lambda v, d, a: a.update(extra=1),
        "extra_top_member": lambda v, d, a: v.update(inReplyTo=1),
        "missing_serial": lambda v, d, a: v.pop("serial"),
        "int32_over": lambda v, d, a: a.update(id=2**31),
        "int32_under": lambda v, d, a: a.update(id=-2**31 - 1),
        "int32_bool": lambda v, d, a: a.update(id=True),
        "int32_fraction": lambda v, d, a: a.update(id=1.5),
        "int32_string": lambda v, d, a: a.update(id="1"),
        "uint32_negative": lambda v, d, a: v.update(serial=-1),
        "uint32_over": lambda v, d, a: v.update(serial=2**32),
        "uint32_null": lambda v, d, a: v.update(serial=None),
        "hex_short": lambda v, d, a: a.update(file="2f" * 4095),
        "hex_odd": lambda v, d, a: a.update(file="2f" * 4095 + "0"),
        "hex_long": lambda v, d, a: a.update(file="2f" * 4097),
        "hex_not_hex": lambda v, d, a: a.update(file="zz" + "00" * 4095),
        "hex_spaces": lambda v, d, a: a.update(file="2f " + "00" * 4094 + "0"),
        "hex_not_string": lambda v, d, a: a.update(file=[0] * 4096),
        "data_not_object": lambda v, d, a: v.update(data="QEMUD_CLIENT_PKT_GET_VERSION"),
    }
    for case, edit in cases.items():
        reply = shim.call("encode", kind="client", value=variant(edit))
        results.check("refuse/%s/%s" % (shim.name, case), reply.get("ok") is False, "encoded it")
    info = arm_value("server", 12)["data"]["domainGetInfoReply"]
    for case, cpu_time in [("uint64_over", "18446744073709551616"), ("uint64_negative", "-1"),
                           ("uint64_leading_zero", "01"), ("uint64_empty", ""), ("uint64_number", 5),
                           ("uint64_plus", "+5"), ("uint64_exponent", "1e3")]:
        value = {"serial": 1, "inReplyTo": 2, "data": {"type": "QEMUD_SERVER_PKT_DOMAIN_GET_INFO",
                                                       "domainGetInfoReply": dict(info, cpuTime=cpu_time)}}
        reply = shim.call("encode", kind="server", value=value)
        results.check("refuse/%s/%s" % (shim.name, case), reply.get("ok") is False, "encoded it")
    domains = arm_value("server", 3)
    for case, array in [("int32_array_short", [0] * 99), ("int32_array_long", [0] * 101),
                        ("int32_array_bad_item", [0] * 99 + [2**31])]:
        domains["data"]["listDomainsReply"]["domains"] = array
        reply = shim.call("encode", kind="server", value=domains)
        results.check("refuse/%s/%s" % (shim.name, case), reply.get("ok") is False, "encoded it")
    upper = variant(lambda v, d, a: a.update(file="2F" + "00" * 4095))
    reply = shim.call("encode", kind="client", value=upper)
    results.check("accept/%s/hex_uppercase" % shim.name, reply.get("wire") == oracle("qemud_packet_client", base).hex(),
                  reply.get("error", "wrong wire"))


def check_contract(results, shim, library_version):
    reply = shim.call("hello")
    results.check("contract/%s/hello" % shim.name,
                  reply.get("ok") is True and reply.get("name") == shim.name
                  and library_version in reply.get("version", "")
                  and sorted(reply.get("kinds", [])) == sorted(["header", "client", "server", "client_message", "server_message"])
                  and sorted(reply.get("framings", [])) == sorted(FRAMINGS),
                  json.dumps(reply))
    # Framing: named on framed kinds only; "seed" may be named; an unknown one is refused by name.
    void_client = struct.pack(">II", 7, 0)
    get_version = {"serial": 7, "data": {"type": "QEMUD_CLIENT_PKT_GET_VERSION"}}
    reply = shim.call("decode", kind="client_message", wire=(header(8) + void_client).hex(), framing="seed")
    results.check("contract/%s/framing_seed_named" % shim.name, reply.get("value") == get_version, json.dumps(reply))
    reply = shim.call("decode", kind="client", wire=void_client.hex(), framing="libvirt-0.3")
    results.check("contract/%s/framing_ignored_for_payload" % shim.name, reply.get("value") == get_version,
                  json.dumps(reply))
    reply = shim.call("encode", kind="server", value=dict(get_version, inReplyTo=1,
                                                          data={"type": "QEMUD_SERVER_PKT_DOMAIN_SUSPEND"}),
                      framing="no-such-framing")
    results.check("contract/%s/unknown_framing_ignored_for_payload" % shim.name,
                  reply.get("wire") == struct.pack(">III", 7, 1, 9).hex(), json.dumps(reply))
    for case, op, kind, fields in [("decode_header", "decode", "header", {"wire": header(8).hex()}),
                                   ("decode_message", "decode", "server_message", {"wire": header(8).hex()}),
                                   ("encode_message", "encode", "client_message", {"value": get_version}),
                                   ("encode_header", "encode", "header", {"value": {"magic": MAGIC, "length": 8}})]:
        reply = shim.call(op, kind=kind, framing="libvirt-9.9", **fields)
        results.check("contract/%s/unknown_framing_%s" % (shim.name, case),
                      reply.get("ok") is False and "unsupported framing" in reply.get("error", "")
                      and "libvirt-9.9" in reply.get("error", ""), json.dumps(reply))
    reply = shim.call("frobnicate")
    results.check("contract/%s/unknown_op" % shim.name,
                  reply == {"id": shim.next_id - 1, "ok": False, "error": "unsupported"}, json.dumps(reply))
    for case, line in [("bad_json", "{not json"), ("not_object", "[1,2]"), ("null", "null"), ("no_id", '{"op":"hello"}'),
                       ("string_id", '{"id":"x","op":"decode","kind":"client","wire":"00"}')]:
        reply = shim.send_raw(line)
        results.check("contract/%s/malformed_%s" % (shim.name, case),
                      reply.get("ok") is False and (reply.get("id") is None or case == "string_id"), json.dumps(reply))
    for case, fields in [("odd_hex", {"kind": "client", "wire": "000"}), ("non_hex", {"kind": "client", "wire": "zz"}),
                         ("wire_not_string", {"kind": "client", "wire": 5}), ("no_kind", {"wire": "00"}),
                         ("unknown_kind", {"kind": "stream", "wire": "00"})]:
        reply = shim.call("decode", **fields)
        results.check("contract/%s/%s" % (shim.name, case), reply.get("ok") is False, json.dumps(reply))
    reply = shim.call("hello")
    results.check("contract/%s/alive_after_errors" % shim.name, reply.get("ok") is True, json.dumps(reply))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python-shim", default="%s %s" % (
        shlex.quote(sys.executable), shlex.quote(os.path.join(HERE, "python-xdrlib", "shim.py"))))
    parser.add_argument("--node-shim", default="node %s" % shlex.quote(os.path.join(HERE, "node-js-xdr", "shim.js")))
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    results = Results(args.verbose)

    if not os.path.isdir(os.path.join(HERE, "node-js-xdr", "node_modules", "@stellar", "js-xdr")):
        print("FAIL setup: node-js-xdr has no node_modules; run `npm ci` in %s" % os.path.join(HERE, "node-js-xdr"))
        print("0 passed, 1 failed")
        return 1
    with open(os.path.join(HERE, "node-js-xdr", "node_modules", "@stellar", "js-xdr", "package.json")) as package:
        js_xdr = json.load(package)
    # Run from / so that a shim that depends on its working directory fails here.
    shims = [Shim("python-xdrlib", args.python_shim, "/"), Shim("node-js-xdr", args.node_shim, "/")]
    versions = {"python-xdrlib": "xdrlib", "node-js-xdr": "js-xdr " + js_xdr["version"]}
    sections = [("contract/" + shim.name, lambda shim=shim: check_contract(results, shim, versions[shim.name]))
                for shim in shims]
    sections.append(("arms", lambda: check_arms(results, shims)))
    for shim in shims:
        sections.append(("policy/" + shim.name, lambda shim=shim: check_policy(results, shim)))
        for framing in FRAMINGS:
            sections.append(("framing/%s/%s" % (shim.name, framing),
                             lambda shim=shim, framing=framing: check_framing(results, shim, framing)))
        sections.append(("refuse/" + shim.name, lambda shim=shim: check_encode_refusals(results, shim)))
    for name, run in sections:
        try:
            run()
        except (RuntimeError, queue.Empty, ValueError, OSError) as error:
            # A broken reply (wrong id, not JSON, none at all) ends the section, not the run.
            results.check(name, False, "section stopped: %r" % error)
    for shim in shims:
        results.check("contract/%s/quit_exits_0" % shim.name, shim.quit() == 0)
    print("%d passed, %d failed" % (results.passed, results.failed))
    return 0 if results.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
