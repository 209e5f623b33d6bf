#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""client_reply_seeds.py: the handmade seeds of client_reply_fuzzer, small
conversations a client may hear, made from the golden server messages
(golden/server_message_test.json and golden/libvirt-0.3/, the valid
"realistic" value of each arm) with their serial and inReplyTo words
rewritten.

    client_reply_seeds.py <golden-dir> <out-dir>

writes <out-dir>/<name>, in the stream targets' input format (parts of a
2-byte big-endian length and that many bytes; fuzz/stream/stream_input.h).
The fuzz target chooses its outstanding calls from each message's server
serial (fuzz/client_reply_fuzzer.cpp): serial % 4 of 0 or 1 makes a call
the message answers, 2 makes the message an async notification, 3 a call of
another type. Run it after the golden vectors change and commit the result
in corpus/client_reply_fuzzer/.
"""
import json
import pathlib
import struct
import sys

ANSWER, ASYNC, WRONG_TYPE = 0, 2, 3


def realistic(golden):
    """arm name -> the framed wire of its valid realistic golden message."""
    data = json.loads(golden.read_text())
    out = {}
    for group in data["testGroups"]:
        for test in group["tests"]:
            if test["result"] == "valid" and "realistic" in test.get("flags", []):
                out.setdefault(group["arm"], bytes.fromhex(test["wire"]))
    return out


def message(wires, arm, role, in_reply_to, variant=1):
    """The golden message of arm, with server serial 4 * variant + role."""
    wire = bytearray(wires["QEMUD_SERVER_PKT_" + arm])
    struct.pack_into(">II", wire, 8, 4 * variant + role, in_reply_to)  # both framings: 8-byte header
    return bytes(wire)


def with_word(wire, offset, value):
    out = bytearray(wire)
    struct.pack_into(">I", out, offset, value)
    return bytes(out)


def parts(stream, sizes):
    out, pos, i = bytearray(), 0, 0
    while pos < len(stream):
        n = max(1, min(sizes[i % len(sizes)], 65535, len(stream) - pos))
        out += n.to_bytes(2, "big") + stream[pos:pos + n]
        pos, i = pos + n, i + 1
    return bytes(out)


def conversations(w):
    """name -> (stream, chunk sizes)."""
    version, num, info = (message(w, "GET_VERSION", ANSWER, 1), message(w, "NUM_DOMAINS", ANSWER, 2),
                          message(w, "DOMAIN_GET_INFO", ANSWER, 3))
    whole = [1 << 16]
    return {
        "in-order": (version + num + info, whole),
        "out-of-order": (info + version + num, whole),
        "async-notification": (message(w, "NUM_DOMAINS", ASYNC, 900) + version + num, whole),
        "failure": (version + with_word(message(w, "FAILURE", ANSWER, 2, variant=3), 20, 7), whole),
        "split-reply": (version + num + info, [1, 7, 3, 16, 2]),
        "one-byte-writes": (version + num, [1]),
        "wrong-type": (message(w, "NUM_DOMAINS", WRONG_TYPE, 1) + num, whole),
        "reply-twice": (version + message(w, "GET_VERSION", ANSWER, 1, variant=2), whole),
        # NUM_DOMAINS' 4-byte body under DOMAIN_GET_INFO's type word: refused
        # by the strict decoder, and the reply behind it in the same write is
        # never read.
        "malformed-payload-then-reply": (with_word(num, 16, 12) + version, whole),
        "cut-off": ((version + num)[:-5], whole),
        "bad-magic-after-reply": (version + b"\x12\x34\x56\x78" + num[4:], whole),
    }


def main():
    golden, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    for folder, prefix in (("", ""), ("libvirt-0.3/", "libvirt_0_3-")):
        wires = realistic(golden / folder / "server_message_test.json")
        for name, (stream, sizes) in conversations(wires).items():
            if prefix and name == "bad-magic-after-reply":
                continue  # the seed framing's magic: the libvirt-0.3 header's words are the other way round
            (out / (prefix + name)).write_bytes(parts(stream, sizes))


if __name__ == "__main__":
    main()
