#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""python-xdrlib: a qemud-harness conformance shim built on Python's xdrlib.

It plays a third-party implementation of the qemud protocol: the type table
below is written by hand from the protocol description, and the encoding is
done by the standard library's xdrlib.Packer / xdrlib.Unpacker. The runner
(qemud-conform) talks to it over stdin/stdout, one JSON object per line, as
docs/SHIM-CONTRACT.md describes:

    qemud-conform --shim 'python3 conformance/shims/python-xdrlib/shim.py'

Read it top to bottom: the type table (with the two framing profiles),
encode, decode, the five kinds, the JSON-lines loop. Logging goes to stderr
only; stdout carries replies.

xdrlib exists in Python 3.11 and 3.12 (deprecated, PEP 594) and was removed
in 3.13.
"""

import json
import platform
import re
import sys
import traceback
import warnings

with warnings.catch_warnings():
    # Deprecated since 3.11; the warning would go to stderr on every start.
    warnings.simplefilter("ignore", DeprecationWarning)
    try:
        import xdrlib
    except ImportError:
        sys.stderr.write("python-xdrlib: this Python has no xdrlib (removed in 3.13); "
                         "run the shim with Python 3.11 or 3.12\n")
        sys.exit(2)

SHIM_NAME = "python-xdrlib"
SHIM_VERSION = "1.0.0 (xdrlib from Python %s)" % platform.python_version()
KINDS = ["header", "client", "server", "client_message", "server_message"]
FRAMED_KINDS = ("header", "client_message", "server_message")

# ---------------------------------------------------------------------------
# The type table, written by hand from the protocol description.
# ---------------------------------------------------------------------------

QEMUD_PKT_HEADER_MAGIC = 0x20001A64
QEMUD_PKT_HEADER_XDR_LEN = 8
MAX_PAYLOAD = {"client": 16396, "server": 20016}  # the largest arm of each direction
MIN_PAYLOAD = {"client": 8, "server": 12}          # a void arm

UUID_LEN, NAME_LEN, XML_LEN, IFNAME_LEN, ERROR_LEN = 16, 50, 4096, 50, 1024
MAX_NUM_DOMAINS, NAME_BUF_LEN, PATH_MAX = 100, 5000, 4096

# Field types. rpcgen encodes every element of a char / unsigned char array
# as a full 4-byte XDR int (xdr_char, xdr_u_char), so these are arrays of
# ints on the wire, not XDR opaque.
INT32, UINT32, UINT64 = "int32_t", "uint32_t", "uint64_t"


def char(n):
    return ("char", n)


def uchar(n):
    return ("unsigned char", n)


def int32_array(n):
    return (INT32, n)


UUID = ("uuid", uchar(UUID_LEN))
NAME = ("name", char(NAME_LEN))
XML = ("xml", char(XML_LEN))
AUTOSTART = ("autostart", UINT32)


class Union:
    """A discriminated union whose arms are listed in enum order.

    Each arm is (enum name,) for a void arm or (enum name, arm member,
    [fields]); the enum value is the arm's position in the list.
    """

    def __init__(self, arms):
        self.arms = [(arm[0], arm[1] if len(arm) > 1 else None, arm[2] if len(arm) > 2 else [])
                     for arm in arms]
        self.by_name = {name: (value, member, fields)
                        for value, (name, member, fields) in enumerate(self.arms)}


CLIENT_DATA = Union([
    ("QEMUD_CLIENT_PKT_GET_VERSION",),
    ("QEMUD_CLIENT_PKT_GET_NODEINFO",),
    ("QEMUD_CLIENT_PKT_LIST_DOMAINS",),
    ("QEMUD_CLIENT_PKT_NUM_DOMAINS",),
    ("QEMUD_CLIENT_PKT_DOMAIN_CREATE", "domainCreateRequest", [XML]),
    ("QEMUD_CLIENT_PKT_DOMAIN_LOOKUP_BY_ID", "domainLookupByIDRequest", [("id", INT32)]),
    ("QEMUD_CLIENT_PKT_DOMAIN_LOOKUP_BY_UUID", "domainLookupByUUIDRequest", [UUID]),
    ("QEMUD_CLIENT_PKT_DOMAIN_LOOKUP_BY_NAME", "domainLookupByNameRequest", [NAME]),
    ("QEMUD_CLIENT_PKT_DOMAIN_SUSPEND", "domainSuspendRequest", [("id", INT32)]),
    ("QEMUD_CLIENT_PKT_DOMAIN_RESUME", "domainResumeRequest", [("id", INT32)]),
    ("QEMUD_CLIENT_PKT_DOMAIN_DESTROY", "domainDestroyRequest", [("id", INT32)]),
    ("QEMUD_CLIENT_PKT_DOMAIN_GET_INFO", "domainGetInfoRequest", [UUID]),
    ("QEMUD_CLIENT_PKT_DOMAIN_SAVE", "domainSaveRequest", [("id", INT32), ("file", char(PATH_MAX))]),
    ("QEMUD_CLIENT_PKT_DOMAIN_RESTORE", "domainRestoreRequest", [("file", char(PATH_MAX))]),
    ("QEMUD_CLIENT_PKT_DUMP_XML", "domainDumpXMLRequest", [UUID]),
    ("QEMUD_CLIENT_PKT_LIST_DEFINED_DOMAINS",),
    ("QEMUD_CLIENT_PKT_NUM_DEFINED_DOMAINS",),
    ("QEMUD_CLIENT_PKT_DOMAIN_START", "domainStartRequest", [UUID]),
    ("QEMUD_CLIENT_PKT_DOMAIN_DEFINE", "domainDefineRequest", [XML]),
    ("QEMUD_CLIENT_PKT_DOMAIN_UNDEFINE", "domainUndefineRequest", [UUID]),
    ("QEMUD_CLIENT_PKT_NUM_NETWORKS",),
    ("QEMUD_CLIENT_PKT_LIST_NETWORKS",),
    ("QEMUD_CLIENT_PKT_NUM_DEFINED_NETWORKS",),
    ("QEMUD_CLIENT_PKT_LIST_DEFINED_NETWORKS",),
    ("QEMUD_CLIENT_PKT_NETWORK_LOOKUP_BY_UUID", "networkLookupByUUIDRequest", [UUID]),
    ("QEMUD_CLIENT_PKT_NETWORK_LOOKUP_BY_NAME", "networkLookupByNameRequest", [NAME]),
    ("QEMUD_CLIENT_PKT_NETWORK_CREATE", "networkCreateRequest", [XML]),
    ("QEMUD_CLIENT_PKT_NETWORK_DEFINE", "networkDefineRequest", [XML]),
    ("QEMUD_CLIENT_PKT_NETWORK_UNDEFINE", "networkUndefineRequest", [UUID]),
    ("QEMUD_CLIENT_PKT_NETWORK_START", "networkStartRequest", [UUID]),
    ("QEMUD_CLIENT_PKT_NETWORK_DESTROY", "networkDestroyRequest", [UUID]),
    ("QEMUD_CLIENT_PKT_NETWORK_DUMP_XML", "networkDumpXMLRequest", [UUID]),
    ("QEMUD_CLIENT_PKT_NETWORK_GET_BRIDGE_NAME", "networkGetBridgeNameRequest", [UUID]),
    ("QEMUD_CLIENT_PKT_DOMAIN_GET_AUTOSTART", "domainGetAutostartRequest", [UUID]),
    ("QEMUD_CLIENT_PKT_DOMAIN_SET_AUTOSTART", "domainSetAutostartRequest", [UUID, AUTOSTART]),
    ("QEMUD_CLIENT_PKT_NETWORK_GET_AUTOSTART", "networkGetAutostartRequest", [UUID]),
    ("QEMUD_CLIENT_PKT_NETWORK_SET_AUTOSTART", "networkSetAutostartRequest", [UUID, AUTOSTART]),
    ("QEMUD_CLIENT_PKT_GET_CAPABILITIES",),
    # QEMUD_CLIENT_PKT_MAX (38) is a count, not an arm.
])

SERVER_DATA = Union([
    ("QEMUD_SERVER_PKT_FAILURE", "failureReply", [("code", UINT32), ("message", char(ERROR_LEN))]),
    ("QEMUD_SERVER_PKT_GET_VERSION", "getVersionReply", [("versionNum", UINT32)]),
    ("QEMUD_SERVER_PKT_GET_NODEINFO", "getNodeInfoReply",
     [("model", char(32)), ("memory", UINT32), ("cpus", UINT32), ("mhz", UINT32),
      ("nodes", UINT32), ("sockets", UINT32), ("cores", UINT32), ("threads", UINT32)]),
    ("QEMUD_SERVER_PKT_LIST_DOMAINS", "listDomainsReply",
     [("numDomains", INT32), ("domains", int32_array(MAX_NUM_DOMAINS))]),
    ("QEMUD_SERVER_PKT_NUM_DOMAINS", "numDomainsReply", [("numDomains", INT32)]),
    ("QEMUD_SERVER_PKT_DOMAIN_CREATE", "domainCreateReply", [("id", INT32), UUID, NAME]),
    ("QEMUD_SERVER_PKT_DOMAIN_LOOKUP_BY_ID", "domainLookupByIDReply", [UUID, NAME]),
    ("QEMUD_SERVER_PKT_DOMAIN_LOOKUP_BY_UUID", "domainLookupByUUIDReply", [("id", INT32), NAME]),
    ("QEMUD_SERVER_PKT_DOMAIN_LOOKUP_BY_NAME", "domainLookupByNameReply", [("id", INT32), UUID]),
    ("QEMUD_SERVER_PKT_DOMAIN_SUSPEND",),
    ("QEMUD_SERVER_PKT_DOMAIN_RESUME",),
    ("QEMUD_SERVER_PKT_DOMAIN_DESTROY",),
    ("QEMUD_SERVER_PKT_DOMAIN_GET_INFO", "domainGetInfoReply",
     [("cpuTime", UINT64), ("runstate", UINT32), ("memory", UINT32), ("maxmem", UINT32),
      ("nrVirtCpu", UINT32)]),
    ("QEMUD_SERVER_PKT_DOMAIN_SAVE",),
    ("QEMUD_SERVER_PKT_DOMAIN_RESTORE", "domainRestoreReply", [("id", INT32)]),
    ("QEMUD_SERVER_PKT_DUMP_XML", "domainDumpXMLReply", [XML]),
    ("QEMUD_SERVER_PKT_LIST_DEFINED_DOMAINS", "listDefinedDomainsReply",
     [("numDomains", UINT32), ("domains", char(NAME_BUF_LEN))]),
    ("QEMUD_SERVER_PKT_NUM_DEFINED_DOMAINS", "numDefinedDomainsReply", [("numDomains", UINT32)]),
    ("QEMUD_SERVER_PKT_DOMAIN_START", "domainStartReply", [("id", INT32)]),
    ("QEMUD_SERVER_PKT_DOMAIN_DEFINE", "domainDefineReply", [UUID, NAME]),
    ("QEMUD_SERVER_PKT_DOMAIN_UNDEFINE",),
    ("QEMUD_SERVER_PKT_NUM_NETWORKS", "numNetworksReply", [("numNetworks", UINT32)]),
    ("QEMUD_SERVER_PKT_LIST_NETWORKS", "listNetworksReply",
     [("numNetworks", UINT32), ("networks", char(NAME_BUF_LEN))]),
    ("QEMUD_SERVER_PKT_NUM_DEFINED_NETWORKS", "numDefinedNetworksReply", [("numNetworks", UINT32)]),
    ("QEMUD_SERVER_PKT_LIST_DEFINED_NETWORKS", "listDefinedNetworksReply",
     [("numNetworks", UINT32), ("networks", char(NAME_BUF_LEN))]),
    ("QEMUD_SERVER_PKT_NETWORK_LOOKUP_BY_UUID", "networkLookupByUUIDReply", [("id", INT32), NAME]),
    ("QEMUD_SERVER_PKT_NETWORK_LOOKUP_BY_NAME", "networkLookupByNameReply", [("id", INT32), UUID]),
    ("QEMUD_SERVER_PKT_NETWORK_CREATE", "networkCreateReply", [UUID, NAME]),
    ("QEMUD_SERVER_PKT_NETWORK_DEFINE", "networkDefineReply", [UUID, NAME]),
    ("QEMUD_SERVER_PKT_NETWORK_UNDEFINE",),
    ("QEMUD_SERVER_PKT_NETWORK_START",),
    ("QEMUD_SERVER_PKT_NETWORK_DESTROY",),
    ("QEMUD_SERVER_PKT_NETWORK_DUMP_XML", "networkDumpXMLReply", [XML]),
    ("QEMUD_SERVER_PKT_NETWORK_GET_BRIDGE_NAME", "networkGetBridgeNameReply",
     [("ifname", char(IFNAME_LEN))]),
    ("QEMUD_SERVER_PKT_DOMAIN_GET_AUTOSTART", "domainGetAutostartReply", [AUTOSTART]),
    ("QEMUD_SERVER_PKT_DOMAIN_SET_AUTOSTART",),
    ("QEMUD_SERVER_PKT_NETWORK_GET_AUTOSTART", "networkGetAutostartReply", [AUTOSTART]),
    ("QEMUD_SERVER_PKT_NETWORK_SET_AUTOSTART",),
    ("QEMUD_SERVER_PKT_GET_CAPABILITIES", "getCapabilitiesReply", [XML]),
    # QEMUD_SERVER_PKT_MAX (39) is a count, not an arm.
])

# The two payload structs; the union member is named "data", its
# discriminant "type".
PACKET = {
    "client": [("serial", UINT32), ("data", CLIENT_DATA)],
    "server": [("serial", UINT32), ("inReplyTo", UINT32), ("data", SERVER_DATA)],
}


class Framing:
    """A framing profile: the header's two words in wire order, the member
    that holds the constant 0x20001A64, and whether "length" counts the
    8 header bytes. Encode and decode both read only this."""

    def __init__(self, header, constant, length_counts_header):
        self.header = header
        self.constant = constant
        self.overhead = QEMUD_PKT_HEADER_XDR_LEN if length_counts_header else 0
        self.measures = "message" if length_counts_header else "payload"
        self.offset = {name: 4 * i for i, (name, _) in enumerate(header)}


FRAMINGS = {
    # struct qemud_packet_header: magic, then the payload length.
    "seed": Framing([("magic", UINT32), ("length", UINT32)], "magic", False),
    # struct qemud_packet_header_libvirt_0_3: the total length, then the program number.
    "libvirt-0.3": Framing([("length", UINT32), ("prog", UINT32)], "prog", True),
}


class CodecError(Exception):
    """A refused value or rejected wire, located by field path and, when
    decoding, byte offset: "data.domainCreateReply.name[17] at 0x94: ..."."""

    def __init__(self, path, message, offset=None):
        where = path or ("wire" if offset is not None else "value")
        if offset is not None:
            where += " at 0x%x" % offset
        super().__init__("%s: %s" % (where, message))


def join(path, name):
    return "%s.%s" % (path, name) if path else name


# ---------------------------------------------------------------------------
# Encode: JSON value -> xdrlib.Packer calls.
# ---------------------------------------------------------------------------

UINT64_RE = re.compile(r"0|[1-9][0-9]*")
HEX_RE = re.compile(r"[0-9a-fA-F]*")


def check_int(value, low, high, path):
    # bool is a subclass of int in Python, but JSON true is not an integer.
    if not isinstance(value, int) or isinstance(value, bool):
        raise CodecError(path, "expected an integer, got %s" % json.dumps(value))
    if not low <= value <= high:
        raise CodecError(path, "%d is out of range %d..%d" % (value, low, high))
    return value


def check_members(value, names, path):
    if not isinstance(value, dict):
        raise CodecError(path, "expected an object, got %s" % json.dumps(value)[:60])
    missing = [n for n in names if n not in value]
    extra = sorted(set(value) - set(names))
    if missing:
        raise CodecError(path, "missing member(s) %s" % ", ".join(missing))
    if extra:
        raise CodecError(path, "unexpected member(s) %s" % ", ".join(extra))


def pack(packer, ftype, value, path):
    if ftype == INT32:
        packer.pack_int(check_int(value, -2**31, 2**31 - 1, path))
    elif ftype == UINT32:
        packer.pack_uint(check_int(value, 0, 2**32 - 1, path))
    elif ftype == UINT64:
        # xdrlib's pack_uhyper masks its argument to 64 bits, so range-check here.
        if not isinstance(value, str) or not UINT64_RE.fullmatch(value) or int(value) >= 2**64:
            raise CodecError(path, "expected a decimal string 0..18446744073709551615, got %s"
                             % json.dumps(value)[:60])
        packer.pack_uhyper(int(value))
    elif isinstance(ftype, Union):
        check_union_members(ftype, value, path)
        discriminant, member, fields = ftype.by_name[value["type"]]
        packer.pack_enum(discriminant)
        if member:
            pack_struct(packer, fields, value[member], join(path, member))
    elif ftype[0] == INT32:                                  # int32_t x[N]
        _, n = ftype
        if not isinstance(value, list) or len(value) != n:
            raise CodecError(path, "expected an array of exactly %d integers" % n)
        items = [check_int(v, -2**31, 2**31 - 1, "%s[%d]" % (path, i)) for i, v in enumerate(value)]
        packer.pack_farray(n, items, packer.pack_int)
    else:                                                    # char / unsigned char x[N]
        kind, n = ftype
        if not isinstance(value, str) or len(value) != 2 * n or not HEX_RE.fullmatch(value):
            raise CodecError(path, "expected a hex string of exactly %d digits" % (2 * n))
        data = bytes.fromhex(value)
        if kind == "char":
            # Canonical char is sign-extended, as xdr_char does where char is signed.
            packer.pack_farray(n, [b - 256 if b >= 0x80 else b for b in data], packer.pack_int)
        else:
            packer.pack_farray(n, list(data), packer.pack_uint)


def check_union_members(union, value, path):
    if not isinstance(value, dict):
        raise CodecError(path, "expected an object, got %s" % json.dumps(value)[:60])
    if not isinstance(value.get("type"), str):
        raise CodecError(join(path, "type"), "expected the discriminant's enum name as a string")
    if value["type"] not in union.by_name:
        raise CodecError(join(path, "type"), "unknown type %s" % json.dumps(value["type"])[:80])
    member = union.by_name[value["type"]][1]
    check_members(value, ["type", member] if member else ["type"], path)


def pack_struct(packer, fields, value, path):
    check_members(value, [name for name, _ in fields], path)
    for name, ftype in fields:
        pack(packer, ftype, value[name], join(path, name))


# ---------------------------------------------------------------------------
# Decode: xdrlib.Unpacker calls -> JSON value. Strict: see docs/POLICY.md.
# ---------------------------------------------------------------------------

def read(unpacker, unpack_method, path, size=4):
    """read calls one xdrlib unpack method, naming the field if the wire ends first."""
    at = unpacker.get_position()
    try:
        return unpack_method()
    except EOFError:  # xdrlib raises a bare EOFError past the end
        left = max(0, len(unpacker.get_buffer()) - at)
        raise CodecError(path, "truncated: %d bytes needed, %d left" % (size, left), at) from None


def char_from_word(word, signed_char, path, at):
    if signed_char:
        if word <= 0xFF:          # 0x00..0x7F canonical; 0x80..0xFF zero-extended,
            return word           # as unsigned-char platforms write it: accepted
        if word >= 0xFFFFFF80:    # canonical sign-extended 0x80..0xFF
            return word & 0xFF
        raise CodecError(path, "char element 0x%08x is neither a sign- nor a zero-extended byte"
                         % word, at)
    if word > 0xFF:
        raise CodecError(path, "unsigned char element 0x%08x has high bits set" % word, at)
    return word


def unpack(unpacker, ftype, path):
    if ftype == INT32:
        return read(unpacker, unpacker.unpack_int, path)
    if ftype == UINT32:
        return read(unpacker, unpacker.unpack_uint, path)
    if ftype == UINT64:
        return str(read(unpacker, unpacker.unpack_uhyper, path, size=8))  # high word first
    if isinstance(ftype, Union):
        at = unpacker.get_position()
        discriminant = read(unpacker, unpacker.unpack_enum, join(path, "type"))
        if not 0 <= discriminant < len(ftype.arms):
            raise CodecError(join(path, "type"), "unknown discriminant %d" % discriminant, at)
        name, member, fields = ftype.arms[discriminant]
        value = {"type": name}
        if member:
            value[member] = unpack_struct(unpacker, fields, join(path, member))
        return value
    kind, n = ftype
    start = unpacker.get_position()

    def element():
        at = unpacker.get_position()
        element_path = "%s[%d]" % (path, (at - start) // 4)
        if kind == INT32:
            return read(unpacker, unpacker.unpack_int, element_path)
        return char_from_word(read(unpacker, unpacker.unpack_uint, element_path), kind == "char", element_path, at)

    items = unpacker.unpack_farray(n, element)
    return items if kind == INT32 else bytes(items).hex()


def unpack_struct(unpacker, fields, path):
    return {name: unpack(unpacker, ftype, join(path, name)) for name, ftype in fields}


def unpack_to_end(unpacker, fields):
    value = unpack_struct(unpacker, fields, "")
    at = unpacker.get_position()
    if at < len(unpacker.get_buffer()):
        raise CodecError("", "%d trailing byte(s) after the last field"
                         % (len(unpacker.get_buffer()) - at), at)
    return value


# ---------------------------------------------------------------------------
# The five kinds of docs/SHIM-CONTRACT.md.
# ---------------------------------------------------------------------------

def check_header(framing, header, low, high, noun, path="", at=None):
    """check_header holds a header value to its framing profile: the constant
    word, then a length that is a multiple of 4 in low..high (noun names
    what the bounds measure). at is the header's offset when decoding."""

    def fail(name, message):
        raise CodecError(join(path, name), message, None if at is None else at + framing.offset[name])

    constant, length = header[framing.constant], header["length"]
    if constant != QEMUD_PKT_HEADER_MAGIC:
        fail(framing.constant, "0x%08x is not 0x%08x" % (constant, QEMUD_PKT_HEADER_MAGIC))
    # Checked before anything else is read, so a huge length costs nothing.
    if length > high:
        fail("length", "%d exceeds the largest %s (%d)" % (length, noun, high))
    if length % 4:
        fail("length", "%d is not a multiple of 4 in %d..%d" % (length, low, high))
    if length < low:
        fail("length", "%d is below the smallest %s (%d)" % (length, noun, low))


def bare_header_bounds(framing):
    # A bare header has no direction: the smallest client to the largest server length.
    return (MIN_PAYLOAD["client"] + framing.overhead, MAX_PAYLOAD["server"] + framing.overhead,
            "%s of either direction" % framing.measures)


def message_bounds(framing, direction):
    return (MIN_PAYLOAD[direction] + framing.overhead, MAX_PAYLOAD[direction] + framing.overhead,
            "%s %s" % (direction, framing.measures))


def encode(kind, value, framing):
    packer = xdrlib.Packer()
    if kind == "header":
        pack_struct(packer, framing.header, value, "")
        check_header(framing, value, *bare_header_bounds(framing))
        return packer.get_buffer()
    direction = kind.split("_")[0]
    pack_struct(packer, PACKET[direction], value, "")
    payload = packer.get_buffer()
    if kind == direction:
        return payload
    header = xdrlib.Packer()
    pack_struct(header, framing.header, {framing.constant: QEMUD_PKT_HEADER_MAGIC,
                                         "length": len(payload) + framing.overhead}, "header")
    return header.get_buffer() + payload


def decode(kind, wire, framing):
    unpacker = xdrlib.Unpacker(wire)
    if kind == "header":
        if len(wire) != QEMUD_PKT_HEADER_XDR_LEN:
            raise CodecError("", "a header is 8 bytes, got %d" % len(wire), 0)
        value = unpack_struct(unpacker, framing.header, "")
        check_header(framing, value, *bare_header_bounds(framing), at=0)
        return value
    direction = kind.split("_")[0]
    if kind != direction:
        if len(wire) < QEMUD_PKT_HEADER_XDR_LEN:
            raise CodecError("header", "truncated: 8 bytes needed, %d left" % len(wire), 0)
        header = unpack_struct(unpacker, framing.header, "header")
        check_header(framing, header, *message_bounds(framing, direction), path="header", at=0)
        payload_length = header["length"] - framing.overhead
        if payload_length != len(wire) - QEMUD_PKT_HEADER_XDR_LEN:
            raise CodecError("header.length", "%d means %d payload bytes, but %d follow"
                             % (header["length"], payload_length, len(wire) - QEMUD_PKT_HEADER_XDR_LEN),
                             framing.offset["length"])
    # Offsets in errors count from the start of the wire, header included.
    return unpack_to_end(unpacker, PACKET[direction])


# ---------------------------------------------------------------------------
# The JSON-lines loop.
# ---------------------------------------------------------------------------

def respond(request):
    """respond returns the reply object for one request, or None for quit."""
    if not isinstance(request, dict):
        return {"id": None, "ok": False, "error": "malformed request: not a JSON object"}
    op = request.get("op")
    if op == "quit":
        return None
    reply = {"id": request.get("id")}
    if not isinstance(request.get("id"), int) or isinstance(request.get("id"), bool):
        return dict(reply, ok=False, error="malformed request: id must be an integer")
    if op == "hello":
        return dict(reply, ok=True, name=SHIM_NAME, version=SHIM_VERSION, kinds=KINDS,
                    framings=list(FRAMINGS))
    if op not in ("encode", "decode"):
        return dict(reply, ok=False, error="unsupported")
    kind = request.get("kind")
    if not isinstance(kind, str):
        return dict(reply, ok=False, error="malformed request: kind must be a string")
    if kind not in KINDS:
        return dict(reply, ok=False, error="unsupported")
    # Payload kinds have no header, so their framing member (if any) is ignored.
    framing_name = request.get("framing", "seed") if kind in FRAMED_KINDS else "seed"
    if not isinstance(framing_name, str) or framing_name not in FRAMINGS:
        return dict(reply, ok=False, error="unsupported framing: %s" % (
            framing_name if isinstance(framing_name, str) else json.dumps(framing_name))[:100])
    framing = FRAMINGS[framing_name]
    try:
        if op == "encode":
            if "value" not in request:
                return dict(reply, ok=False, error="malformed request: no value")
            return dict(reply, ok=True, wire=encode(kind, request["value"], framing).hex())
        wire = request.get("wire")
        if not isinstance(wire, str) or len(wire) % 2 or not HEX_RE.fullmatch(wire):
            return dict(reply, ok=False, error="malformed request: wire must be an even-length hex string")
        return dict(reply, ok=True, value=decode(kind, bytes.fromhex(wire), framing))
    except (CodecError, xdrlib.Error) as error:
        return dict(reply, ok=False, error=str(error))


def reject_constant(name):
    # Python's json accepts NaN and Infinity, which are not JSON.
    raise ValueError("%s is not JSON" % name)


def main():
    while True:
        line = sys.stdin.buffer.readline()
        if not line:
            return 0                       # end of input: the runner is gone
        if not line.strip():
            continue
        try:
            request = json.loads(line.decode("utf-8"), parse_constant=reject_constant)
        except (ValueError, RecursionError) as error:  # bad JSON, bad UTF-8, absurd nesting
            reply = {"id": None, "ok": False, "error": "malformed request: %s" % error}
        else:
            try:
                reply = respond(request)
            except Exception as error:     # a shim bug must not end the session
                traceback.print_exc(file=sys.stderr)
                request_id = request.get("id") if isinstance(request, dict) else None
                reply = {"id": request_id, "ok": False, "error": "internal error: %r" % error}
        if reply is None:
            return 0
        sys.stdout.write(json.dumps(reply, separators=(",", ":")) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    sys.exit(main())
