#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""cli_e2e_test.py: qemud-cli as users and conformance runners run it.
Starts qemud-refd on a unix socket in a temporary folder and runs the client
against it: one command, --pipeline, the stdin JSON-line contract (with
QEMUD_ADDR), FAILURE replies (exit 1), argument and input errors (exit 2,
one line, nothing on stdout). Then, against small fake servers written
here: an asynchronous notification ignored, a server that never answers
(the deadline), one that closes, and each client --bug seen from outside
(as reference/cli/README.md describes it). It stops the daemon and checks
that no socket file or process is left.

Usage: cli_e2e_test.py PATH/TO/qemud-cli PATH/TO/qemud-refd
Standard library only.
"""
import json
import os
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

MAGIC = 0x20001A64
TIMEOUT = 20


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def run(cli, args, stdin="", env=None):
    full_env = dict(os.environ)
    full_env.pop("QEMUD_ADDR", None)
    full_env.pop("QEMUD_FRAMING", None)
    full_env.update(env or {})
    proc = subprocess.run([cli] + args, input=stdin, capture_output=True, text=True, timeout=TIMEOUT, env=full_env)
    return proc.returncode, [json.loads(l) for l in proc.stdout.splitlines()], proc.stderr


def start_refd(refd, path):
    """qemud-refd on the unix path and a free TCP port; returns the process
    and the TCP address it chose."""
    proc = subprocess.Popen([refd, "--listen", "unix:" + path, "--listen", "tcp:127.0.0.1:0", "--seed", "5"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = [proc.stdout.readline(), proc.stdout.readline()]
    check(all(l.startswith("qemud-refd: listening on ") for l in lines), "refd startup lines %r" % lines)
    return proc, lines[1].strip().split("listening on ", 1)[1]


def against_refd(cli, refd, folder):
    path = os.path.join(folder, "refd.sock")
    address = "unix:" + path
    proc, tcp = start_refd(refd, path)
    try:
        # TCP, the address as the daemon printed it.
        status, lines, err = run(cli, ["--connect", tcp, "nodeinfo"])
        check(status == 0 and [l["type"] for l in lines] == ["QEMUD_SERVER_PKT_GET_NODEINFO"],
              "tcp nodeinfo: %d %r %r" % (status, lines, err))

        # One command.
        status, lines, err = run(cli, ["--connect", address, "version"])
        check(status == 0, "version: exit %d, stderr %r" % (status, err))
        check(lines == [{"serial": 1, "type": "QEMUD_SERVER_PKT_GET_VERSION",
                         "value": {"type": "QEMUD_SERVER_PKT_GET_VERSION", "getVersionReply": {"versionNum": 9000}}}],
              "version: %r" % lines)

        # --pipeline: every call written first, one line each, a FAILURE makes it exit 1.
        xml = os.path.join(folder, "vm.xml")
        with open(xml, "w") as f:
            f.write("<domain><name>e2e</name></domain>")
        status, lines, err = run(cli, ["--connect", address, "--pipeline", "version", "define " + xml,
                                       "num-defined", "lookup-id 99"])
        check(status == 1, "pipeline with a FAILURE: exit %d" % status)
        check(sorted(l["serial"] for l in lines) == [1, 2, 3, 4], "pipeline serials %r" % lines)
        by_serial = {l["serial"]: l for l in lines}
        check(by_serial[2]["type"] == "QEMUD_SERVER_PKT_DOMAIN_DEFINE", "define: %r" % by_serial[2])
        check(by_serial[3]["value"]["numDefinedDomainsReply"]["numDomains"] == 1, "num-defined: %r" % by_serial[3])
        failure = by_serial[4]["failure"]
        check(failure["code"] == 2 and len(failure["message"]) == 2048, "lookup-id 99: %r" % failure)
        check(bytes.fromhex(failure["message"]).rstrip(b"\0").startswith(b"no "), "failure text %r" % failure)
        check(err == "", "pipeline stderr %r" % err)

        # The stdin contract, address from QEMUD_ADDR; blank lines skipped.
        calls = ('{"type":"QEMUD_CLIENT_PKT_GET_VERSION"}\n\n'
                 '{"type":"QEMUD_CLIENT_PKT_DOMAIN_LOOKUP_BY_NAME","domainLookupByNameRequest":{"name":"%s"}}\n'
                 % ("e2e".encode().hex().ljust(100, "0")))
        status, lines, err = run(cli, [], stdin=calls, env={"QEMUD_ADDR": address})
        check(status == 0, "stdin: exit %d, stderr %r" % (status, err))
        check([l["type"] for l in lines] == ["QEMUD_SERVER_PKT_GET_VERSION", "QEMUD_SERVER_PKT_DOMAIN_LOOKUP_BY_NAME"],
              "stdin lines %r" % lines)

        # libvirt-0.3 framing against a seed daemon: no usable reply, exit 1.
        status, lines, err = run(cli, ["--connect", address, "--framing", "libvirt-0.3", "--timeout-ms", "2000",
                                       "version"])
        check(status == 1 and lines == [] and "serial 1" in err, "wrong framing: %d %r %r" % (status, lines, err))

        # The crash bug is the one way the client dies.
        status, lines, err = run(cli, ["--connect", address, "--bug", "abort-on-failure", "lookup-id", "99"])
        check(status == -6, "abort-on-failure: exit %d" % status)

        # Errors: exit 2, one line on stderr, nothing on stdout, found before connecting.
        bad_inputs = [
            (["--connect", address, "nope"], "", "unknown command 'nope'"),
            (["--connect", address, "dominfo", "xyz"], "", "not a uuid"),
            (["--connect", address, "--bug", "nope", "version"], "", "unknown bug 'nope'"),
            (["--connect", address, "--framing", "v2", "version"], "", "--framing"),
            (["--connect", "tcp:nohost", "version"], "", "expected tcp:HOST:PORT"),
            (["version"], "", "no address"),
            (["--connect", "unix:" + os.path.join(folder, "none.sock"), "version"], "", "cannot connect"),
            (["--connect", address, "--pipeline"], "", "no command lines"),
            (["--connect", address], '{"type":"QEMUD_CLIENT_PKT_GET_VERSION"}\n{"type":"QEMUD_CLIENT_PKT_DOMAIN_SUSPEND",'
             '"domainSuspendRequest":{"id":"1"}}\n', "standard input line 2: domainSuspendRequest.id"),
            (["--connect", address], "{not json\n", "standard input line 1: not a JSON value"),
        ]
        for args, stdin, expected in bad_inputs:
            status, lines, err = run(cli, args, stdin=stdin)
            check(status == 2, "%r: exit %d" % (args, status))
            check(lines == [], "%r: stdout %r" % (args, lines))
            check(err.count("\n") == 1 and expected in err, "%r: stderr %r lacks %r" % (args, err, expected))

        out = subprocess.run([cli, "--bug", "help"], capture_output=True, text=True, timeout=TIMEOUT)
        rows = out.stdout.splitlines()
        check(out.returncode == 0 and len(rows) == 6 and all("\t" in r for r in rows), "--bug help: %r" % out.stdout)
    finally:
        proc.terminate()
        proc.wait(timeout=TIMEOUT)
    check(proc.returncode == 0, "refd exit %d" % proc.returncode)
    check(not os.path.exists(path), "socket file left at " + path)


def fake_server(path, behaviour):
    """Accepts one connection and hands it to behaviour(conn) on a thread."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(1)

    def serve():
        conn, _ = listener.accept()
        try:
            behaviour(conn)
        finally:
            conn.close()
            listener.close()
            os.unlink(path)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return thread


def read_call(conn):
    magic, length = struct.unpack(">II", conn.recv(8, socket.MSG_WAITALL))
    payload = conn.recv(length, socket.MSG_WAITALL)
    return struct.unpack(">II", payload[:8])  # serial, type


def version_reply(serial, in_reply_to):
    return struct.pack(">IIIIII", MAGIC, 16, serial, in_reply_to, 1, 9000)


def against_fakes(cli, folder):
    path = os.path.join(folder, "fake.sock")

    def notify_then_answer(conn):
        serial, _ = read_call(conn)
        conn.sendall(version_reply(1, serial + 1000) + version_reply(2, serial))

    thread = fake_server(path, notify_then_answer)
    status, lines, err = run(cli, ["--connect", "unix:" + path, "version"])
    thread.join(TIMEOUT)
    check(status == 0 and len(lines) == 1 and lines[0]["serial"] == 1, "async: %d %r %r" % (status, lines, err))
    check("ignored QEMUD_SERVER_PKT_GET_VERSION (inReplyTo 1001" in err, "async stderr %r" % err)

    # async-confusion takes the notification as the reply, so the real reply
    # is the one ignored: the symptom a runner sees.
    thread = fake_server(path, notify_then_answer)
    status, lines, err = run(cli, ["--connect", "unix:" + path, "--bug", "async-confusion", "version"])
    thread.join(TIMEOUT)
    check(status == 0 and "(inReplyTo 1, at stream byte 24)" in err, "async-confusion: %d %r" % (status, err))

    def silent(conn):
        read_call(conn)
        time.sleep(3)

    thread = fake_server(path, silent)
    began = time.monotonic()
    status, lines, err = run(cli, ["--connect", "unix:" + path, "--timeout-ms", "500", "version"])
    took = time.monotonic() - began
    thread.join(TIMEOUT)
    check(status == 1 and lines == [] and "no reply within 500 ms" in err, "timeout: %d %r" % (status, err))
    check(took < 2.5, "the deadline was not kept: %.1f s" % took)

    def close_early(conn):
        read_call(conn)
        read_call(conn)  # both, so the close is an orderly one (unread bytes would reset)
        conn.sendall(version_reply(1, 1)[:10])

    thread = fake_server(path, close_early)
    status, lines, err = run(cli, ["--connect", "unix:" + path, "--pipeline", "version", "version"])
    thread.join(TIMEOUT)
    check(status == 1 and lines == [] and err.count("connection closed by the server") == 2, "closed: %d %r" % (status, err))


def num_domains_reply(serial, in_reply_to, n):
    return struct.pack(">IIIIIi", MAGIC, 16, serial, in_reply_to, 4, n)


def bug_symptoms(cli, folder):
    """Each client bug, seen from outside as README.md says a runner sees it."""
    path = os.path.join(folder, "bugs.sock")

    def conversation(args, behaviour):
        seen = {}

        def serve(conn):
            seen["calls"] = behaviour(conn)

        thread = fake_server(path, serve)
        result = run(cli, ["--connect", "unix:" + path, "--timeout-ms", "3000"] + args)
        thread.join(TIMEOUT)
        return result, seen.get("calls")

    def out_of_order(conn):
        calls = [read_call(conn), read_call(conn)]
        conn.sendall(num_domains_reply(1, calls[1][0], 22) + num_domains_reply(2, calls[0][0], 11))
        return calls

    for bug, first_serial in ((None, 2), ("match-by-order", 1)):
        (status, lines, err), _ = conversation((["--bug", bug] if bug else []) + ["--pipeline", "num", "num"],
                                               out_of_order)
        check(status == 0 and lines[0]["serial"] == first_serial
              and lines[0]["value"]["numDomainsReply"]["numDomains"] == 22, "%s: %r" % (bug, lines))

    def two_serials(conn):
        calls = [read_call(conn), read_call(conn)]
        conn.sendall(version_reply(1, calls[0][0]) + version_reply(2, calls[1][0]))
        return calls

    for bug, serials in ((None, [1, 2]), ("serial-reuse", [1, 1])):
        (status, lines, err), calls = conversation((["--bug", bug] if bug else []) + ["--pipeline", "version", "version"],
                                                   two_serials)
        check(status == 0 and [c[0] for c in calls] == serials, "%s: serials %r" % (bug, calls))

    def wrong_type(conn):
        serial, _ = read_call(conn)
        conn.sendall(num_domains_reply(1, serial, 5))

    for bug, want in ((None, (1, 0)), ("accept-wrong-type", (0, 1))):
        (status, lines, err), _ = conversation((["--bug", bug] if bug else []) + ["version"], wrong_type)
        check((status, len(lines)) == want, "%s: %d %r %r" % (bug, status, lines, err))
    check(lines[0]["type"] == "QEMUD_SERVER_PKT_NUM_DOMAINS", "accept-wrong-type: %r" % lines)

    def one_reply(conn):
        serial, _ = read_call(conn)
        conn.sendall(version_reply(1, serial))

    for bug, want in ((None, 0), ("short-read", 1)):
        (status, lines, err), _ = conversation((["--bug", bug] if bug else []) + ["version"], one_reply)
        check(status == want, "%s: %d %r" % (bug, status, err))
    check("malformed reply at stream byte 0" in err, "short-read: %r" % err)


def main():
    cli, refd = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory(prefix="qemud-cli-e2e-") as folder:
        against_refd(cli, refd, folder)
        against_fakes(cli, folder)
        bug_symptoms(cli, folder)
        check(os.listdir(folder) == ["vm.xml"], "left in the folder: %r" % os.listdir(folder))
    print("cli_e2e_test: ok")


if __name__ == "__main__":
    main()
