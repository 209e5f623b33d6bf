#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""refd_rss.py: qemud-refd's memory while N connections each hold a hostile
or an unfinished message (docs/PEERS.md, "Limits and bounded memory").

  ci/refd_rss.py --refd build/reference/refd/qemud-refd [--connections 1000]
      [--mode claim-4gib|partial-largest] [--max-growth-per-connection BYTES]

Starts `qemud-refd --listen unix:<tmp>/s --max-connections N+16
--idle-timeout-ms 0`, makes one GET_VERSION round trip (so the baseline
includes what the first call sets up), reads the baseline VmRSS from
/proc/<pid>/status, then opens N connections and on each sends:

  claim-4gib       a seed header whose length word is 0xFFFFFFF0 (~4 GiB).
                   refd refuses it from the header: FAILURE, then close.
                   The tool reads that reply and the close on every
                   connection, and keeps its own end open.
  partial-largest  a legal header of the largest client message (payload
                   16396 bytes) and all of its payload but the last byte:
                   what refd must hold while it waits for the rest. The
                   tool waits until refd has read every byte (TIOCOUTQ of
                   each client socket back to 0: a unix socket's unread
                   bytes stay charged to the sender).

Then it reads VmHWM (peak) and VmRSS, and refd's open descriptors (the
connections it still holds), and prints ONE JSON line:

  {"mode", "connections", "held_by_daemon", "failure_and_close" (claim-4gib),
   "baseline_rss_kib", "peak_hwm_kib", "rss_kib",
   "growth_per_connection_bytes" = (VmHWM - baseline) / N,
   "max_growth_per_connection", "ok"}

Exit status: 0, or 1 when --max-growth-per-connection is given and the
growth is above it (or refd did not do what the mode expects), 2 when the
measurement could not be made (refd did not start, too few descriptors).
The daemon is stopped (SIGTERM, then SIGKILL) and its socket directory
removed on every path, errors included.

Descriptors: the tool holds N sockets and refd N more; both inherit this
process's RLIMIT_NOFILE, so the tool raises its soft limit to N + 64 (up to
the hard limit) before it starts refd, and says so in the error when the
hard limit is too low rather than measuring fewer connections.

Python standard library only. The header layout is the seed framing of
docs/WIRE.md (magic 0x20001A64, then the payload length); the largest client
payload is 16396 bytes.
"""
import argparse
import fcntl
import json
import os
import resource
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import termios
import time

MAGIC = 0x20001A64
LARGEST_CLIENT_PAYLOAD = 16396
CLAIM_4GIB = 0xFFFFFFF0
GET_VERSION = 0  # the client discriminant of QEMUD_CLIENT_PKT_GET_VERSION
WAIT_SECONDS = 60.0


class Unmeasurable(Exception):
    """The measurement could not be made (exit 2)."""


def header(length):
    return struct.pack(">II", MAGIC, length)


def status_kib(pid):
    values = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            key, _, rest = line.partition(":")
            if key in ("VmHWM", "VmRSS"):
                values[key] = int(rest.split()[0])  # "1234 kB"
    return values


def open_fds(pid):
    return len(os.listdir("/proc/%d/fd" % pid))


def raise_fd_limit(needed):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < needed:
        if hard != resource.RLIM_INFINITY and hard < needed:
            raise Unmeasurable("RLIMIT_NOFILE hard limit %d < %d descriptors needed; raise it (ulimit -Hn)"
                               % (hard, needed))
        resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))


def wait_listening(daemon):
    deadline = time.monotonic() + WAIT_SECONDS
    seen = b""
    while time.monotonic() < deadline:
        ready, _, _ = select.select([daemon.stdout], [], [], 0.2)
        if ready:
            chunk = os.read(daemon.stdout.fileno(), 4096)
            if not chunk:
                break
            seen += chunk
            if b"listening on" in seen:
                return
        if daemon.poll() is not None:
            break
    raise Unmeasurable("qemud-refd did not print its listening line: %r" % seen)


def recv_exactly(sock, size):
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            break
        data += chunk
    return data


def probe(path):
    """One GET_VERSION round trip on a fresh connection."""
    with connect(path) as s:
        s.sendall(header(8) + struct.pack(">II", 1, GET_VERSION))
        magic, length = struct.unpack(">II", recv_exactly(s, 8))
        if magic != MAGIC or len(recv_exactly(s, length)) != length:
            raise Unmeasurable("qemud-refd did not answer GET_VERSION")


def connect(path):
    """A connected socket with a timeout. With a timeout set, a unix connect
    whose listen backlog is full fails at once (EAGAIN) instead of waiting
    for refd to accept; retry until the deadline."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(WAIT_SECONDS)
        try:
            s.connect(path)
            return s
        except BlockingIOError:
            s.close()
            if time.monotonic() > deadline:
                raise Unmeasurable("qemud-refd accepted no connection within %.0f s" % WAIT_SECONDS)
            time.sleep(0.001)
        except BaseException:
            s.close()
            raise


def unread_bytes(sock):
    return struct.unpack("i", fcntl.ioctl(sock.fileno(), termios.TIOCOUTQ, b"\0" * 4))[0]


def wait_consumed(socks):
    deadline = time.monotonic() + WAIT_SECONDS
    while any(unread_bytes(s) for s in socks):
        if time.monotonic() > deadline:
            raise Unmeasurable("qemud-refd did not read every byte within %.0f s" % WAIT_SECONDS)
        time.sleep(0.01)


def failure_and_close(sock):
    """True when the connection got one FAILURE reply (type word 0) and then end of stream."""
    try:
        head = recv_exactly(sock, 8)
        if len(head) != 8:
            return False
        magic, length = struct.unpack(">II", head)
        payload = recv_exactly(sock, length)
        if magic != MAGIC or len(payload) != length or length < 12:
            return False
        _serial, in_reply_to, type_word = struct.unpack(">III", payload[:12])
        return type_word == 0 and in_reply_to == 0 and sock.recv(1) == b""
    except OSError:
        return False


def measure(args, tmp):
    path = os.path.join(tmp, "s")
    command = [args.refd, "--listen", "unix:" + path, "--max-connections", str(args.connections + 16),
               "--idle-timeout-ms", "0", "--seed", "1"]
    daemon = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    socks = []
    try:
        wait_listening(daemon)
        baseline_fds = open_fds(daemon.pid)  # before the probe: refd may close it after we look
        probe(path)
        baseline = status_kib(daemon.pid)["VmRSS"]
        if args.mode == "claim-4gib":
            message = header(CLAIM_4GIB)
        else:
            message = header(LARGEST_CLIENT_PAYLOAD) + b"\0" * (LARGEST_CLIENT_PAYLOAD - 1)
        for _ in range(args.connections):
            s = connect(path)
            socks.append(s)
            s.sendall(message)
        result = {"mode": args.mode, "connections": args.connections}
        if args.mode == "claim-4gib":
            result["failure_and_close"] = sum(failure_and_close(s) for s in socks)
        else:
            wait_consumed(socks)
        mem = status_kib(daemon.pid)
        result["held_by_daemon"] = open_fds(daemon.pid) - baseline_fds
        probe(path)  # still serving
        result.update({
            "baseline_rss_kib": baseline,
            "peak_hwm_kib": mem["VmHWM"],
            "rss_kib": mem["VmRSS"],
            "growth_per_connection_bytes": round((mem["VmHWM"] - baseline) * 1024 / args.connections),
            "max_growth_per_connection": args.max_growth_per_connection,
        })
        return result
    finally:
        for s in socks:
            s.close()
        daemon.send_signal(signal.SIGTERM)
        try:
            daemon.wait(timeout=10)
        except subprocess.TimeoutExpired:
            daemon.kill()
            daemon.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--refd", required=True, help="the qemud-refd executable")
    parser.add_argument("--connections", type=int, default=1000)
    parser.add_argument("--mode", choices=["claim-4gib", "partial-largest"], default="partial-largest")
    parser.add_argument("--max-growth-per-connection", type=int,
                        help="exit 1 when (VmHWM - baseline) / N is above this many bytes")
    args = parser.parse_args()
    if args.connections < 1:
        parser.error("--connections must be at least 1")

    tmp = tempfile.mkdtemp(prefix="qemud-refd-rss-")
    try:
        raise_fd_limit(args.connections + 64)
        result = measure(args, tmp)
    except (Unmeasurable, OSError) as e:
        print(json.dumps({"mode": args.mode, "connections": args.connections, "error": str(e)}))
        return 2
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    problems = []
    if args.mode == "claim-4gib":
        if result["failure_and_close"] != args.connections:
            problems.append("only %d of %d connections got FAILURE then close"
                            % (result["failure_and_close"], args.connections))
    elif result["held_by_daemon"] < args.connections:
        problems.append("qemud-refd holds %d connections, not %d" % (result["held_by_daemon"], args.connections))
    bound = args.max_growth_per_connection
    if bound is not None and result["growth_per_connection_bytes"] > bound:
        problems.append("%d bytes per connection > %d" % (result["growth_per_connection_bytes"], bound))
    result["ok"] = not problems
    if problems:
        result["problems"] = problems
    print(json.dumps(result))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
