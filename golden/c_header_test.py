#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""c_header_test.py GENERATOR CC C_SOURCE GOLDEN_DIR WORK_DIR: writes the C
header with `GENERATOR --c-header`, compiles C_SOURCE against it with the C
compiler CC (-std=c99 -Wall -Werror), runs it, and compares its per-kind
counts and wire checksums with the same computed from the committed JSON.
Exit 0 equal, 1 different, 2 the test could not run."""
import json
import subprocess
import sys
from pathlib import Path

KINDS = ["header", "client", "server", "client_message", "server_message"]
# The files: every kind in the seed framing, then the framed kinds of each
# further framing profile in its own folder ("libvirt-0.3/header").
FILES = KINDS + [f"libvirt-0.3/{kind}" for kind in ("header", "client_message", "server_message")]


def fnv1a(h, data):
    for b in data:
        h ^= b
        h = (h * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h


def expected(golden):
    lines = []
    sha = None
    for kind in FILES:
        doc = json.loads((golden / f"{kind}_test.json").read_text())
        sha = doc["protocolSha256"]
        # Values to refuse have no wire and are not in the C header.
        tests = sorted((t for g in doc["testGroups"] for t in g["tests"] if "wire" in t), key=lambda t: t["tcId"])
        counts = {r: sum(1 for t in tests if t["result"] == r) for r in ("valid", "invalid", "acceptable")}
        wires = canonical = 0xcbf29ce484222325
        decode_only = 0
        for t in tests:
            wires = fnv1a(fnv1a(wires, bytes.fromhex(t["wire"])), b"|")
            if "canonicalWire" in t:
                decode_only += 1
                canonical = fnv1a(fnv1a(canonical, bytes.fromhex(t["canonicalWire"])), b"|")
        lines.append(f"{kind} count={len(tests)} valid={counts['valid']} invalid={counts['invalid']} "
                     f"acceptable={counts['acceptable']} decode_only={decode_only} wires={wires:016x} "
                     f"canonical={canonical:016x}")
    lines.append(f"protocol={sha}")
    return lines


def main():
    if len(sys.argv) != 6:
        print(__doc__, file=sys.stderr)
        return 2
    generator, cc, source, golden, work = sys.argv[1:]
    work = Path(work)
    work.mkdir(parents=True, exist_ok=True)
    header = work / "qemud_golden_vectors.h"
    exe = work / "c_header_test"
    steps = [
        [generator, "--quiet", "--c-header", str(header)],
        [cc, "-std=c99", "-Wall", "-Wextra", "-Werror", "-O0", "-I", str(work), "-o", str(exe), source],
    ]
    for cmd in steps:
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0:
            print(f"c_header_test: {' '.join(cmd)} failed ({r.returncode}):\n{r.stdout}{r.stderr}")
            return 2
    r = subprocess.run([str(exe)], capture_output=True, text=True)
    got = r.stdout.splitlines()
    want = expected(Path(golden))
    print("\n".join(got))
    if r.returncode != 0:
        print(f"c_header_test: the C program failed ({r.returncode}): {r.stderr}")
        return 1
    if got != want:
        for g, w in zip(got + [""] * len(want), want):
            if g != w:
                print(f"c_header_test: the C header says\n  {g}\nthe JSON files say\n  {w}")
                break
        return 1
    print(f"c_header_test: {header} ({header.stat().st_size} bytes) agrees with the JSON files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
