#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""broken_shim.py: the python-xdrlib shim with one deliberate fault, for the
runner's tests (faults live in test code only).

    broken_shim.py FAULT [ARM]

FAULT is one of the names tested in main() below. ARM (a discriminant name,
default QEMUD_SERVER_PKT_GET_VERSION) says which message type triggers it;
every other request is answered correctly by the real shim. The lenient
encoders (zero_fill, wrap_ints, pad_hex) are the exception: they patch the
shim's value checks for every request, as a sloppy encoder would be.

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


# --- lenient encoders: each sends a message other than the one asked for,
# instead of refusing the value.
original_pack = shim.pack
original_pack_struct = shim.pack_struct
original_check_int = shim.check_int


def zero_fill_members(value, names, path):
    """Missing members become zero (None, packed as zeros); extras are ignored."""
    if isinstance(value, dict):
        for n in names:
            value.setdefault(n, None)


def pack_zero_filled(packer, ftype, value, path):
    if value is not None:
        return original_pack(packer, ftype, value, path)
    if ftype in (shim.INT32, shim.UINT32):
        packer.pack_uint(0)
    elif ftype == shim.UINT64:
        packer.pack_uhyper(0)
    elif isinstance(ftype, tuple):
        packer.pack_farray(ftype[1], [0] * ftype[1], packer.pack_uint)
    else:
        original_pack(packer, ftype, value, path)


def pack_struct_zero_filled(packer, fields, value, path):
    return original_pack_struct(packer, fields, {} if value is None else value, path)


def wrapping_int(value, low, high, path):
    """Out-of-range integers wrap to 32 bits; floats and digit strings are truncated."""
    if isinstance(value, (float, str)) and not isinstance(value, bool):
        try:
            value = int(float(value))
        except ValueError:
            pass
    if isinstance(value, int) and not isinstance(value, bool):
        value &= 0xFFFFFFFF
        if low < 0 and value > high:
            value -= 2**32
    return original_check_int(value, low, high, path)


def pack_padded_hex(packer, ftype, value, path):
    """Hex of the wrong length is zero-padded or cut to the array's size."""
    if isinstance(ftype, tuple) and ftype[0] != shim.INT32 and isinstance(value, str):
        value = (value + "0" * (2 * ftype[1]))[:2 * ftype[1]]
    return original_pack(packer, ftype, value, path)


if FAULT == "zero_fill":
    shim.check_members = zero_fill_members
    shim.pack = pack_zero_filled
    shim.pack_struct = pack_struct_zero_filled
elif FAULT == "wrap_ints":
    shim.check_int = wrapping_int
elif FAULT == "pad_hex":
    shim.pack = pack_padded_hex


def hang():
    marker = os.environ.get("QEMUD_BROKEN_SHIM_HANG_FILE")
    if marker:
        open(marker, "w").close()
    time.sleep(3600)


# A name a shim may well choose, with every kind of character a JUnit
# classname should not hold.
ODD_NAME = "Go xdr/v2 <\u00fc\u00ef> \"q\" 'a:b'\tc"


def write(text):
    sys.stdout.write(text)
    sys.stdout.flush()


# A Go shim's panic: the message first, then the goroutine's frames, two
# lines each, then what `go run` adds. PANIC_LINES lines in all.
PANIC_FRAMES = 200
PANIC_LINES = 3 + 2 * PANIC_FRAMES + 1


def go_panic():
    sys.stderr.write("panic: runtime error: index out of range [7] with length 4\n\ngoroutine 1 [running]:\n")
    for i in range(PANIC_FRAMES):
        sys.stderr.write("main.decodeArm%03d(...)\n\t/src/shim/decode.go:%d +0x1a4\n" % (i, 100 + i))
    sys.stderr.write("exit status 2\n")
    sys.stderr.flush()
    os._exit(2)


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
            elif FAULT == "odd_name":
                reply["name"] = ODD_NAME
            write(json.dumps(reply) + "\n")
            continue
        if FAULT == "all_unsupported":
            reply = {"id": request["id"], "ok": False, "error": "unsupported"}
        if FAULT == "always_hang":
            hang()
        if FAULT == "panic":
            if request_arm(request) == ARM:
                go_panic()
            # Every other request leaves a line in the log; the panic must
            # still come first in the report.
            sys.stderr.write("shim: request %d answered\n" % request["id"])
            sys.stderr.flush()
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
