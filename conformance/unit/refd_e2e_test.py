#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""refd_e2e_test.py: qemud-refd as users run it. Starts the daemon on a unix
socket in a temporary folder, sends GET_VERSION and DOMAIN_DEFINE over the
socket, checks the replies word by word, then sends SIGTERM and checks that
the daemon exited 0, removed its socket file and left no process behind.
Also: a peer that never reads its replies is closed while others are
served; `--bug help` lists the bugs; bad arguments exit 2 with one line.

Usage: refd_e2e_test.py PATH/TO/qemud-refd
Standard library only, so that it reads as an independent client.
"""
import os
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

MAGIC = 0x20001A64
TIMEOUT = 20


def frame(payload):
    return struct.pack(">II", MAGIC, len(payload)) + payload


def chars(text, size):
    """A char[size] field: one sign-extended word per byte, NUL-padded."""
    data = text.encode().ljust(size, b"\0")
    return b"".join(struct.pack(">i", b - 256 if b >= 128 else b) for b in data)


def read_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise AssertionError("connection closed after %d of %d bytes" % (len(data), n))
        data += chunk
    return data


def read_reply(sock):
    magic, length = struct.unpack(">II", read_exact(sock, 8))
    assert magic == MAGIC, "reply magic %#x" % magic
    payload = read_exact(sock, length)
    serial, in_reply_to, type_ = struct.unpack(">III", payload[:12])
    return serial, in_reply_to, type_, payload[12:]


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def start(binary, args):
    proc = subprocess.Popen([binary] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    check(line.startswith("qemud-refd: listening on "), "startup line: %r (stderr %r)" % (line, proc.stderr.read() if proc.poll() is not None else ""))
    return proc, line.strip().split("listening on ", 1)[1]


def conversation(binary, folder):
    path = os.path.join(folder, "refd.sock")
    proc, address = start(binary, ["--listen", "unix:" + path, "--seed", "3"])
    try:
        check(address == "unix:" + path, "address %r" % address)
        check(os.path.exists(path), "no socket file at " + path)
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(TIMEOUT)
        sock.connect(path)
        # GET_VERSION (client type 0), serial 7.
        sock.sendall(frame(struct.pack(">II", 7, 0)))
        serial1, in_reply_to, type_, body = read_reply(sock)
        check(in_reply_to == 7, "GET_VERSION inReplyTo %d" % in_reply_to)
        check(type_ == 1, "GET_VERSION reply type %d" % type_)
        check(len(body) == 4 and struct.unpack(">I", body)[0] > 0, "versionNum %r" % body)
        # DOMAIN_DEFINE (client type 18), serial 8: uuid[16] + name[50] back.
        xml = "<domain type='qemu'><name>e2e</name></domain>"
        sock.sendall(frame(struct.pack(">II", 8, 18) + chars(xml, 4096)))
        serial2, in_reply_to, type_, body = read_reply(sock)
        check(in_reply_to == 8, "DOMAIN_DEFINE inReplyTo %d" % in_reply_to)
        check(type_ == 19, "DOMAIN_DEFINE reply type %d" % type_)
        check(len(body) == 16 * 4 + 50 * 4, "DOMAIN_DEFINE body of %d bytes" % len(body))
        name = bytes(struct.unpack(">i", body[64 + 4 * i:68 + 4 * i])[0] & 0xFF for i in range(50))
        check(name.rstrip(b"\0") == b"e2e", "name %r" % name)
        check(serial2 > serial1, "server serials %d then %d" % (serial1, serial2))
        # The same name again is refused: FAILURE (type 0), inReplyTo 9.
        sock.sendall(frame(struct.pack(">II", 9, 18) + chars(xml, 4096)))
        _, in_reply_to, type_, body = read_reply(sock)
        check((in_reply_to, type_) == (9, 0), "duplicate DOMAIN_DEFINE: inReplyTo %d type %d" % (in_reply_to, type_))
        sock.close()
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            status = proc.wait(TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            raise AssertionError("qemud-refd did not stop on SIGTERM")
    check(status == 0, "exit status %d after SIGTERM" % status)
    check(not os.path.exists(path), "socket file left behind: " + path)


def tcp_port_zero(binary):
    proc, address = start(binary, ["--listen", "tcp:127.0.0.1:0"])
    try:
        host, port = address[len("tcp:"):].rsplit(":", 1)
        check(host == "127.0.0.1" and int(port) > 0, "address %r" % address)
        with socket.create_connection((host, int(port)), timeout=TIMEOUT) as sock:
            sock.sendall(frame(struct.pack(">II", 1, 0)))
            check(read_reply(sock)[1:3] == (1, 1), "GET_VERSION over tcp")
    finally:
        proc.send_signal(signal.SIGINT)
        status = proc.wait(TIMEOUT)
    check(status == 0, "exit status %d after SIGINT" % status)


def slow_writer(binary, folder):
    """A peer that sends calls and never reads is closed once its unread
    replies pass --max-output-bytes and it takes nothing for
    --idle-timeout-ms; another peer is served meanwhile."""
    path = os.path.join(folder, "slow.sock")
    proc, _ = start(binary, ["--listen", "unix:" + path, "--idle-timeout-ms", "300", "--max-output-bytes", "4096"])
    try:
        slow = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        slow.connect(path)
        calls = 200  # LIST_DEFINED_DOMAINS (client type 15): 16 bytes in, 20032 out
        slow.sendall(b"".join(frame(struct.pack(">II", i, 15)) for i in range(calls)))
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as other:
            other.settimeout(TIMEOUT)
            other.connect(path)
            other.sendall(frame(struct.pack(">II", 1, 0)))
            check(read_reply(other)[1:3] == (1, 1), "GET_VERSION while a slow writer waits")
        time.sleep(1.0)  # past the idle timeout, reading nothing
        slow.settimeout(TIMEOUT)
        received = 0
        try:
            while True:
                chunk = slow.recv(65536)
                if not chunk:
                    break
                received += len(chunk)
        except ConnectionResetError:
            pass
        slow.close()
        check(received < calls * 20032, "the slow writer got all %d bytes: not closed" % received)
    finally:
        proc.send_signal(signal.SIGTERM)
        status = proc.wait(TIMEOUT)
    check(status == 0, "exit status %d after SIGTERM" % status)


def command_line(binary, folder):
    out = subprocess.run([binary, "--bug", "help"], capture_output=True, text=True, timeout=TIMEOUT)
    names = [line.split("\t")[0] for line in out.stdout.splitlines()]
    check(out.returncode == 0 and "pipeline-swap" in names and len(names) >= 10, "--bug help: %r" % out.stdout)
    for args in (["--listen", "bogus:x"], ["--listen", "unix:" + os.path.join(folder, "b.sock"), "--bug", "nope"],
                 ["--framing", "xdr"], []):
        out = subprocess.run([binary] + args, capture_output=True, text=True, timeout=TIMEOUT)
        check(out.returncode == 2, "%r exited %d" % (args, out.returncode))
        check(len(out.stderr.strip().splitlines()) == 1, "%r stderr: %r" % (args, out.stderr))
    check(not os.path.exists(os.path.join(folder, "b.sock")), "bad arguments left a socket file")


def main():
    binary = sys.argv[1]
    with tempfile.TemporaryDirectory(prefix="refd-e2e-") as folder:
        conversation(binary, folder)
        tcp_port_zero(binary)
        slow_writer(binary, folder)
        command_line(binary, folder)
        check(os.listdir(folder) == [], "files left: %r" % os.listdir(folder))
    print("refd_e2e_test: ok")


if __name__ == "__main__":
    main()
