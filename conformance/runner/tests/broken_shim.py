#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""broken_shim.py: the python-xdrlib shim with one deliberate fault, for the
runner's tests (faults live in test code only).

    broken_shim.py FAULT [ARM]

FAULT is one of the names in FAULTS below. ARM (a discriminant name, default
QEMUD_SERVER_PKT_GET_VERSION) says which message type triggers it; every
other request is answered correctly by the real shim.

With QEMUD_BROKEN_SHIM_HANG_FILE set, the hang faults create that file
when they start hanging, so a test knows when to interrupt the run.
"""

import importlib.util
import json
import os
import signal
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SHIM = os.path.join(HERE, "..", "..", "shims", "python-xdrlib", "shim.py")

spec = importlib.util.spec_from_file_location("python_xdrlib_shim", SHIM)
shim = importlib.util.module_from_spec(spec)
spec.loader.exec_module(shim)

FAULT = sys.argv[1] if len(sys.argv) > 1 else "none"
ARM = sys.argv[2] if len(sys.argv) > 2 else "QEMUD_SERVER_PKT_GET_VERSION"


def request_arm(request):
    """The discriminant name a request is about, or None."""
    value = request.get("value")
    if isinstance(value, dict) and isinstance(value.get("data"), dict):
        return value["data"].get("type")
    if request.get("op") == "decode" and request.get("kind") != "header":
        try:
            framing = shim.FRAMINGS[request.get("framing", "seed")]
            decoded = shim.decode(request["kind"], bytes.fromhex(request["wire"]), framing)
            return decoded["data"]["type"]
        except Exception:
            return None
    return None


def hang():
    marker = os.environ.get("QEMUD_BROKEN_SHIM_HANG_FILE")
    if marker:
        open(marker, "w").close()
    time.sleep(3600)


def write(text):
    sys.stdout.write(text)
    sys.stdout.flush()


def main():
    if FAULT == "no_hello":
        sys.stderr.write("broken shim: exiting before hello\n")
        return 3
    while True:
        line = sys.stdin.readline()
        if not line:
            return 0
        request = json.loads(line)
        if FAULT == "seed_only":
            # Claims every framing in hello, but frames everything the seed's way.
            request.pop("framing", None)
        reply = shim.respond(request)
        if reply is None:
            return 0
        op = request.get("op")
        if op == "hello":
            if FAULT == "no_kinds":
                reply["kinds"] = []
            elif FAULT == "client_only":
                reply["kinds"] = ["client"]
            elif FAULT == "seed_only":
                reply["framings"] = ["seed", "libvirt-0.3"]
            elif FAULT == "no_framings":
                reply.pop("framings", None)  # a version 1 shim from before the framing profiles
            write(json.dumps(reply) + "\n")
            continue
        if FAULT == "all_unsupported":
            reply = {"id": request["id"], "ok": False, "error": "unsupported"}
        if FAULT == "always_hang":
            hang()
        if FAULT == "stderr_flood":
            # 4 MiB on stderr per request, far more than a pipe holds.
            block = "x" * 65535 + "\n"
            for _ in range(64):
                sys.stderr.write(block)
            sys.stderr.flush()
        if request_arm(request) == ARM:
            if FAULT == "wrong_field" and op == "decode" and reply.get("ok"):
                arm = reply["value"]["data"]
                member = [k for k in arm if k != "type"][0]
                field = sorted(arm[member])[0]
                v = arm[member][field]
                arm[member][field] = (v ^ 1) if isinstance(v, int) else v
            elif FAULT == "missing_arm":
                reply = {"id": request["id"], "ok": False, "error": "unknown union arm %s" % ARM}
            elif FAULT == "crash":
                sys.stderr.write("broken shim: segfaulting on %s\n" % ARM)
                sys.stderr.flush()
                os.kill(os.getpid(), signal.SIGSEGV)
            elif FAULT == "exit":
                return 0
            elif FAULT == "hang":
                hang()
            elif FAULT == "garbage":
                write("this is not JSON \x01\x02 \xff\n")
                continue
            elif FAULT == "wrong_id":
                reply["id"] = request["id"] + 1000
            elif FAULT == "float_int" and op == "decode" and reply.get("ok"):
                reply_text = json.dumps(reply).replace('"serial": %d' % reply["value"]["serial"],
                                                       '"serial": %d.0' % reply["value"]["serial"])
                write(reply_text + "\n")
                continue
            elif FAULT == "oversized":
                chunk = "y" * 65536
                for _ in range(24):  # 1.5 MiB before the end of line
                    write(chunk)
                write("\n")
                continue
            elif FAULT == "wrong_wire" and op == "encode" and reply.get("ok"):
                wire = bytearray.fromhex(reply["wire"])
                wire[-1] ^= 0x01
                reply["wire"] = wire.hex()
            elif FAULT == "uppercase_hex" and op == "encode" and reply.get("ok"):
                reply["wire"] = reply["wire"].upper()
        write(json.dumps(reply) + "\n")


if __name__ == "__main__":
    sys.exit(main())
