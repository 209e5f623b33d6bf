#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""make_seeds.py: candidate seed inputs of every fuzz target, from the golden
vectors (golden/<kind>_test.json, and golden/<profile>/<kind>_test.json for
the framed kinds of each further framing profile), one file per input named
after its source.

    make_seeds.py <golden-dir> <out-dir>

writes <out-dir>/<target>/<name>. ci/fuzz_seeds.sh then merges them
(libFuzzer -merge=1) into the small committed corpus/<target>/. Every wire of
every result (valid, invalid, acceptable) is a seed: the invalid ones are
where decoders disagree. Stream seeds (the input format of
fuzz/stream/stream_input.h: parts of a 2-byte big-endian length and bytes)
are a small valid message of the direction, then one message of any
result, cut into chunks of several sizes; the stream targets tell the
framing profile from the first header, so a stream's first message is of
the same profile as the rest.

server_dispatch_fuzzer reads the same stream format (a client's side of a
conversation with qemud-refd). Its seeds are the client stream seeds again,
each cut into an even or odd number of parts (the target runs the daemon
with framing detection or fixed to the first header's profile by that
parity), and a few conversations (conversations.py) in both profiles and
both modes.
"""
import json
import pathlib
import random
import sys

import conversations


# Framing profiles with their own framed files, and the prefix of their seeds' names.
PROFILES = [("", ""), ("libvirt-0.3/", "libvirt_0_3-")]


def load(golden, kind):
    data = json.loads((golden / f"{kind}_test.json").read_text())
    for group in data["testGroups"]:
        for test in group["tests"]:
            if "wire" in test:  # values to refuse have none
                yield test["tcId"], test["result"], bytes.fromhex(test["wire"])


def load_groups(golden, kind):
    return json.loads((golden / f"{kind}_test.json").read_text())["testGroups"]


def parts(stream, sizes):
    out, pos, i = bytearray(), 0, 0
    while pos < len(stream):
        n = max(1, min(sizes[i % len(sizes)], 65535, len(stream) - pos))
        out += n.to_bytes(2, "big") + stream[pos:pos + n]
        pos, i = pos + n, i + 1
    return bytes(out)


def parts_of_parity(stream, sizes, even):
    """parts(stream, sizes) with one part split in two when the number of
    parts does not have the parity asked for (or kept whole when no part can
    be split)."""
    data = parts(stream, sizes)
    count, pos, cut = 0, 0, None
    while pos < len(data):
        n = int.from_bytes(data[pos:pos + 2], "big")
        if n >= 2 and cut is None:
            cut = (pos, n)
        pos, count = pos + 2 + n, count + 1
    if (count % 2 == 0) == even or cut is None:
        return data
    at, n = cut
    body = data[at + 2:at + 2 + n]
    half = n // 2
    split = (half.to_bytes(2, "big") + body[:half] + (n - half).to_bytes(2, "big") + body[half:])
    return data[:at] + split + data[at + 2 + n:]


def write(out, target, name, data):
    d = out / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data)


def main():
    golden, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    rng = random.Random(20070214)  # fixed: the same candidates every run
    for folder, prefix in PROFILES:
        for tc, result, wire in load(golden, folder + "header"):
            write(out, "header_fuzzer", f"{prefix}header-{tc}-{result}", wire)
    for direction in ("client", "server"):
        for tc, result, wire in load(golden, direction):
            write(out, f"{direction}_payload_fuzzer", f"{direction}-{tc}-{result}", wire)
            # The dynamic codec's own targets read the same payloads.
            write(out, f"{direction}_dynamic_fuzzer", f"{direction}-{tc}-{result}", wire)
        for folder, prefix in PROFILES:
            messages = list(load(golden, f"{folder}{direction}_message"))
            for tc, result, wire in messages:
                write(out, "header_fuzzer", f"{prefix}{direction}_message-{tc}-{result}", wire)
            # Small valid messages go in front, so the stream seeds stay small.
            valid = [w for _, r, w in messages if r == "valid" and len(w) <= 512]
            chunkings = [[65535], [1], [3], [7, 1, 4096], [8], [4096, 5]]
            for tc, result, wire in messages:
                stream = rng.choice(valid) + wire
                sizes = chunkings[int(tc) % len(chunkings)]
                if sizes == [1] and len(stream) > 512:
                    sizes = [1, 2, 61]
                write(out, f"{direction}_stream_fuzzer", f"{prefix}{direction}_stream-{tc}-{result}",
                      parts(stream, sizes))
                if direction == "client":
                    write(out, "server_dispatch_fuzzer", f"{prefix}dispatch-{tc}-{result}",
                          parts_of_parity(stream, sizes, even=int(tc) % 2 == 0))
    for folder, prefix in PROFILES:
        templates = conversations.templates(load_groups(golden, f"{folder}client_message"))
        for name, stream in conversations.streams(templates):
            for mode, even in (("auto", True), ("fixed", False)):
                write(out, "server_dispatch_fuzzer", f"{prefix}conversation-{name}-{mode}",
                      parts_of_parity(stream, [4096, 5, 300], even))


if __name__ == "__main__":
    main()
