#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""python_canary_shim.py: the bundled python-xdrlib shim with one planted
bug (a canary) switched on by QEMUD_CANARY=<name>, so that ci/detection.sh
can measure what qemud-conform catches through a shim. The canaries are the
cxx canary build's (docs/DETECTION.md), planted here by patching the shim's
functions; the shim itself has none of this.

    QEMUD_CANARY=NAME python_canary_shim.py     # a shim, as the runner runs it
    python_canary_shim.py --list                # the canaries this shim has

Unset QEMUD_CANARY: the shim unchanged. A name this shim does not have
(the memory canaries, which Python cannot plant): one line, exit 2.
"""

import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SHIM = os.path.join(HERE, "..", "shims", "python-xdrlib", "shim.py")

spec = importlib.util.spec_from_file_location("python_xdrlib_shim", SHIM)
shim = importlib.util.module_from_spec(spec)
spec.loader.exec_module(shim)

CodecError = shim.CodecError
original = {name: getattr(shim, name) for name in (
    "char_from_word", "check_header", "read", "unpack", "unpack_to_end", "decode", "pack", "check_int",
    "check_members", "check_union_members", "pack_struct")}


def patch(**functions):
    for name, fn in functions.items():
        setattr(shim, name, fn)


# --- one per policy row

def reject_canonical_char():
    def char_from_word(word, signed_char, path, at):
        if signed_char and word >= 0xFFFFFF80:
            raise CodecError(path, "char element 0x%08x rejected" % word, at)
        return original["char_from_word"](word, signed_char, path, at)
    patch(char_from_word=char_from_word)


def reject_zero_ext_char():
    def char_from_word(word, signed_char, path, at):
        if signed_char and 0x80 <= word <= 0xFF:
            raise CodecError(path, "char element 0x%08x rejected" % word, at)
        return original["char_from_word"](word, signed_char, path, at)
    patch(char_from_word=char_from_word)


def accept_noncanon(signed):
    def plant():
        def char_from_word(word, signed_char, path, at):
            try:
                return original["char_from_word"](word, signed_char, path, at)
            except CodecError:
                if signed_char != signed:
                    raise
                return (word >> 8) & 0xFF  # the second byte, not libtirpc's low byte
        patch(char_from_word=char_from_word)
    return plant


def accept_pkt_max():
    def unpack(unpacker, ftype, path):
        if isinstance(ftype, shim.Union):
            at = unpacker.get_position()
            discriminant = original["read"](unpacker, unpacker.unpack_enum, shim.join(path, "type"))
            if discriminant == len(ftype.arms):
                prefix = ftype.arms[0][0].split("_PKT_")[0]
                return {"type": prefix + "_PKT_MAX"}
            unpacker.set_position(at)
        return original["unpack"](unpacker, ftype, path)
    patch(unpack=unpack)


def header_check_without(skip):
    def plant():
        def check_header(framing, header, low, high, noun, path="", at=None):
            header = dict(header)
            if skip == "magic":
                header[framing.constant] = shim.QEMUD_PKT_HEADER_MAGIC
            elif skip == "alignment":
                header["length"] &= ~3
            elif skip == "max":
                high = 2**32
            return original["check_header"](framing, header, low, high, noun, path, at)
        patch(check_header=check_header)
    return plant


def length_not_compared():
    def decode(kind, wire, framing):
        if kind.endswith("_message") and len(wire) >= 8:
            direction = kind.split("_")[0]
            unpacker = shim.xdrlib.Unpacker(wire[:8])
            header = shim.unpack_struct(unpacker, framing.header, "header")
            claimed = 8 + header["length"] - framing.overhead
            if 8 < claimed < len(wire) and header[framing.constant] == shim.QEMUD_PKT_HEADER_MAGIC:
                # A payload longer than its arm: decoded by its own fields, the rest ignored.
                unpacker = shim.xdrlib.Unpacker(wire)
                unpacker.set_position(8)
                return shim.unpack_struct(unpacker, shim.PACKET[direction], "")
        return original["decode"](kind, wire, framing)
    patch(decode=decode)


def truncated_zero_fill():
    def read(unpacker, unpack_method, path, size=4):
        at = unpacker.get_position()
        if at + size > len(unpacker.get_buffer()):
            unpacker.set_position(len(unpacker.get_buffer()))
            return 0
        return original["read"](unpacker, unpack_method, path, size)

    def unpack(unpacker, ftype, path):
        if isinstance(ftype, tuple) and ftype[0] != shim.INT32:
            kind, n = ftype
            items = [shim.char_from_word(read(unpacker, unpacker.unpack_uint, path), kind == "char", path, 0)
                     for _ in range(n)]
            return bytes(items).hex()
        return original["unpack"](unpacker, ftype, path)
    patch(read=read, unpack=unpack)


def message_trailing_bytes():
    def decode(kind, wire, framing):
        if kind.endswith("_message") and len(wire) >= 8:
            unpacker = shim.xdrlib.Unpacker(wire[:8])
            header = shim.unpack_struct(unpacker, framing.header, "header")
            end = 8 + header["length"] - framing.overhead
            if 8 <= end < len(wire):
                wire = wire[:end]
        return original["decode"](kind, wire, framing)
    patch(decode=decode)


def reject_int32_min():
    def unpack(unpacker, ftype, path):
        value = original["unpack"](unpacker, ftype, path)
        if ftype == shim.INT32 and value == -2**31:
            raise CodecError(path, "INT32_MIN rejected", unpacker.get_position() - 4)
        return value
    patch(unpack=unpack)


def payload_trailing_bytes():
    def unpack_to_end(unpacker, fields):
        return shim.unpack_struct(unpacker, fields, "")
    patch(unpack_to_end=unpack_to_end)


# --- wire layout

def byte_word_encoding(kind_wanted, word_of):
    def plant():
        def pack(packer, ftype, value, path):
            if isinstance(ftype, tuple) and ftype[0] == kind_wanted and isinstance(value, str):
                try:
                    data = bytes.fromhex(value)
                except ValueError:
                    data = None
                if data is not None and len(data) == ftype[1]:
                    packer.pack_farray(ftype[1], [word_of(b) for b in data], packer.pack_uint)
                    return
            original["pack"](packer, ftype, value, path)
        patch(pack=pack)
    return plant


def char_decode_sign():
    def char_from_word(word, signed_char, path, at):
        value = original["char_from_word"](word, signed_char, path, at)
        return value & 0x7F if signed_char and word >= 0xFFFFFF80 else value
    patch(char_from_word=char_from_word)


def uint64_word_swap():
    def pack(packer, ftype, value, path):
        if ftype == shim.UINT64 and isinstance(value, str) and shim.UINT64_RE.fullmatch(value) and int(value) < 2**64:
            v = int(value)
            packer.pack_uint(v & 0xFFFFFFFF)
            packer.pack_uint(v >> 32)
            return
        original["pack"](packer, ftype, value, path)
    patch(pack=pack)


def swap_fields(fields, a, b):
    i = [name for name, _ in fields].index(a)
    j = [name for name, _ in fields].index(b)
    fields[i], fields[j] = fields[j], fields[i]


def field_order_swap():
    # Decoded in each other's place: the decode walks a swapped copy of the fields.
    fields = shim.SERVER_DATA.by_name["QEMUD_SERVER_PKT_DOMAIN_GET_INFO"][2]
    swapped = list(fields)
    swap_fields(swapped, "memory", "maxmem")

    def unpack_struct(unpacker, fs, path):
        if fs is fields:
            value = {name: shim.unpack(unpacker, ftype, shim.join(path, name)) for name, ftype in swapped}
            return {name: value[name] for name, _ in fields}
        return original_unpack_struct(unpacker, fs, path)
    original_unpack_struct = shim.unpack_struct
    patch(unpack_struct=unpack_struct)


def arm_swap():
    union = shim.CLIENT_DATA
    a, b = (union.by_name[n][0] for n in ("QEMUD_CLIENT_PKT_DOMAIN_SUSPEND", "QEMUD_CLIENT_PKT_DOMAIN_RESUME"))
    decode_arms = list(union.arms)
    decode_arms[a], decode_arms[b] = decode_arms[b], decode_arms[a]

    def unpack(unpacker, ftype, path):
        if ftype is union:
            saved, union.arms = union.arms, decode_arms
            try:
                return original["unpack"](unpacker, ftype, path)
            finally:
                union.arms = saved
        return original["unpack"](unpacker, ftype, path)
    patch(unpack=unpack)


def array_one_short():
    def pack(packer, ftype, value, path):
        if isinstance(ftype, tuple) and ftype[0] != shim.INT32:
            sub = shim.xdrlib.Packer()
            original["pack"](sub, ftype, value, path)
            packer.pack_fstring(4 * (ftype[1] - 1), sub.get_buffer()[:4 * (ftype[1] - 1)])
            return
        original["pack"](packer, ftype, value, path)
    patch(pack=pack)


def failure_offset():
    # The FAILURE body 4 bytes late: a zero word after the discriminant.
    def pack(packer, ftype, value, path):
        if ftype is shim.SERVER_DATA and isinstance(value, dict) and value.get("type") == "QEMUD_SERVER_PKT_FAILURE":
            sub = shim.xdrlib.Packer()
            original["pack"](sub, ftype, value, path)
            buf = sub.get_buffer()
            packer.pack_fstring(len(buf) + 4, buf[:4] + b"\0\0\0\0" + buf[4:])
            return
        original["pack"](packer, ftype, value, path)
    patch(pack=pack)


def serial_swap():
    fields = shim.PACKET["server"]
    swapped = list(fields)
    swap_fields(swapped, "serial", "inReplyTo")
    original_unpack_struct = shim.unpack_struct

    def unpack_struct(unpacker, fs, path):
        if fs is fields:
            value = {name: shim.unpack(unpacker, ftype, shim.join(path, name)) for name, ftype in swapped}
            return {name: value[name] for name, _ in fields}
        return original_unpack_struct(unpacker, fs, path)
    patch(unpack_struct=unpack_struct)


# --- the encoder's refusals

def json_missing_zero():
    def check_members(value, names, path):
        if isinstance(value, dict):
            for n in names:
                value.setdefault(n, None)
        original["check_members"](value, names, path)

    def pack(packer, ftype, value, path):
        if value is None and not isinstance(ftype, shim.Union):
            if ftype in (shim.INT32, shim.UINT32):
                packer.pack_uint(0)
            elif ftype == shim.UINT64:
                packer.pack_uhyper(0)
            else:
                packer.pack_farray(ftype[1], [0] * ftype[1], packer.pack_uint)
            return
        original["pack"](packer, ftype, value, path)

    def pack_struct(packer, fields, value, path):
        original["pack_struct"](packer, fields, {} if value is None else value, path)
    patch(check_members=check_members, pack=pack, pack_struct=pack_struct)


def json_extra_ignored():
    def pack_struct(packer, fields, value, path):
        if isinstance(value, dict):
            names = [name for name, _ in fields]
            value = {k: v for k, v in value.items() if k in names}
        original["pack_struct"](packer, fields, value, path)
    patch(pack_struct=pack_struct)


def json_union_lenient(void_only):
    def plant():
        def check_union_members(union, value, path):
            if isinstance(value, dict) and isinstance(value.get("type"), str) and value["type"] in union.by_name:
                member = union.by_name[value["type"]][1]
                if (member is None) == void_only and (member is None or member in value):
                    return  # other members beside the selected one are ignored
            original["check_union_members"](union, value, path)
        patch(check_union_members=check_union_members)
    return plant


def json_unknown_type():
    def check_union_members(union, value, path):
        if isinstance(value, dict) and isinstance(value.get("type"), str) and value["type"] not in union.by_name:
            value["type"] = union.arms[0][0]  # read as the enum's first item
        original["check_union_members"](union, value, path)
    patch(check_union_members=check_union_members)


def int_wrap(signed):
    def plant():
        def check_int(value, low, high, path):
            if isinstance(value, int) and not isinstance(value, bool) and (low < 0) == signed:
                value &= 0xFFFFFFFF
                if signed and value >= 2**31:
                    value -= 2**32
            return original["check_int"](value, low, high, path)
        patch(check_int=check_int)
    return plant


def json_number_trunc():
    def check_int(value, low, high, path):
        if isinstance(value, float):
            value = int(value)
        return original["check_int"](value, low, high, path)
    patch(check_int=check_int)


def json_string_int():
    def check_int(value, low, high, path):
        if isinstance(value, str):
            try:
                value = int(value)
            except ValueError:
                pass
        return original["check_int"](value, low, high, path)
    patch(check_int=check_int)


def json_uint64_noncanon():
    def pack(packer, ftype, value, path):
        if ftype == shim.UINT64 and isinstance(value, (str, int)) and not isinstance(value, bool):
            try:
                packer.pack_uhyper(int(value) % 2**64)
                return
            except ValueError:
                pass
        original["pack"](packer, ftype, value, path)
    patch(pack=pack)


def json_hex(fix):
    def plant():
        def pack(packer, ftype, value, path):
            if isinstance(ftype, tuple) and ftype[0] != shim.INT32 and isinstance(value, str):
                value = fix(value, 2 * ftype[1])
            original["pack"](packer, ftype, value, path)
        patch(pack=pack)
    return plant


def hex_bad(value, digits):
    if len(value) == digits - 1:
        value += "0"  # a lone digit as its high nibble
    return "".join(c if c in "0123456789abcdefABCDEF" else "0" for c in value)


CANARIES = {
    "reject_canonical_char": reject_canonical_char,
    "reject_zero_ext_char": reject_zero_ext_char,
    "accept_noncanon_char": accept_noncanon(True),
    "accept_noncanon_uchar": accept_noncanon(False),
    "accept_pkt_max": accept_pkt_max,
    "ignore_magic": header_check_without("magic"),
    "unaligned_header_length": header_check_without("alignment"),
    "length_not_compared": length_not_compared,
    "truncated_zero_fill": truncated_zero_fill,
    "message_trailing_bytes": message_trailing_bytes,
    "no_max_length": header_check_without("max"),
    "reject_int32_min": reject_int32_min,
    "char_encode_zero_ext": byte_word_encoding("char", lambda b: b),
    "char_decode_sign": char_decode_sign,
    "uchar_encode_sign_ext": byte_word_encoding("unsigned char", lambda b: 0xFFFFFF00 | b if b >= 0x80 else b),
    "uint64_word_swap": uint64_word_swap,
    "field_order_swap": field_order_swap,
    "arm_swap": arm_swap,
    "array_one_short": array_one_short,
    "failure_offset": failure_offset,
    "serial_swap": serial_swap,
    "payload_trailing_bytes": payload_trailing_bytes,
    "json_missing_zero": json_missing_zero,
    "json_extra_ignored": json_extra_ignored,
    "json_other_arm_member": json_union_lenient(False),
    "json_void_arm_member": json_union_lenient(True),
    "json_unknown_type": json_unknown_type,
    "json_int32_wrap": int_wrap(True),
    "json_uint32_wrap": int_wrap(False),
    "json_number_trunc": json_number_trunc,
    "json_string_int": json_string_int,
    "json_uint64_noncanon": json_uint64_noncanon,
    "json_hex_short": json_hex(lambda v, n: v + "0" * (n - len(v)) if len(v) == n - 2 else v),
    "json_hex_long": json_hex(lambda v, n: v[:n] if len(v) > n else v),
    "json_hex_bad": json_hex(hex_bad),
}


def main():
    if sys.argv[1:] == ["--list"]:
        print("\n".join(CANARIES))
        return 0
    if sys.argv[1:]:
        sys.stderr.write("usage: QEMUD_CANARY=NAME python_canary_shim.py | python_canary_shim.py --list\n")
        return 2
    name = os.environ.get("QEMUD_CANARY", "")
    if name:
        if name not in CANARIES:
            sys.stderr.write("python_canary_shim.py: QEMUD_CANARY=%s: not a canary of this shim "
                             "(--list shows them)\n" % name)
            return 2
        CANARIES[name]()
    return shim.main()


if __name__ == "__main__":
    sys.exit(main())
