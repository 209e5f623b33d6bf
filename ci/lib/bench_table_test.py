#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""bench_table_test.py: ci/lib/bench_table.py turns a small fixture of
Google Benchmark JSON (times chosen so every ratio is known) into the
expected rows, writes them between the markers of a document and nothing
else, and refuses a document without markers, leaving it untouched.

  bench_table_test.py
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOOL = os.path.join(HERE, "bench_table.py")
BIG = "QEMUD_SERVER_PKT_LIST_DEFINED_DOMAINS"
VOID = "QEMUD_CLIENT_PKT_GET_VERSION"


def median(name, cpu_ns, time_unit="ns", wire=None):
    b = {"name": name + "_median", "run_name": name, "run_type": "aggregate", "aggregate_name": "median",
         "repetitions": 3, "cpu_time": cpu_ns / {"ns": 1, "us": 1e3}[time_unit], "real_time": 0,
         "time_unit": time_unit}
    if wire:
        b.update(bytes_per_second=wire * 1e9 / cpu_ns, items_per_second=1e9 / cpu_ns)
    return b


def fixture(results, simd_levels):
    ctx = {"date": "2026-01-02T03:04:05+00:00", "num_cpus": 2, "mhz_per_cpu": 2600,
           "qemud_build_type": "RelWithDebInfo", "qemud_cxx_flags": "-O2 -g -DNDEBUG",
           "qemud_cxx_compiler": "GNU 12.2.0", "qemud_cxx_simd": "avx512"}
    codec = [
        # A mean row must be ignored: only medians count.
        dict(median("decode/rpcgen/" + BIG, 999999), aggregate_name="mean"),
        median("decode/rpcgen/" + BIG, 20000), median("decode/cxx/" + BIG, 1000),
        median("decode/dynamic/" + BIG, 10000), median("memcpy/" + BIG, 500, wire=20016),
        median("encode/rpcgen/" + BIG, 21000), median("encode/cxx/" + BIG, 700),
        median("encode/dynamic/" + BIG, 7000),
        median("decode/rpcgen/" + VOID, 10), median("decode/cxx/" + VOID, 5),
        median("decode/dynamic/" + VOID, 120), median("memcpy/" + VOID, 2, wire=8),
        median("encode/rpcgen/" + VOID, 12), median("encode/cxx/" + VOID, 4),
        # In microseconds: must be converted, 0.08 us = 80 ns.
        median("encode/dynamic/" + VOID, 80, time_unit="us"),
    ]
    stream = [median("contiguous/server", 1000), median("stream/server/chunk:4096", 1300),
              median("stream/server/chunk:1", 30000), median("contiguous/client", 2000),
              median("stream/client/chunk:4096", 2500), median("stream/client/chunk:1", 36000)]
    files = {"codec.json": {"context": ctx, "benchmarks": codec},
             "stream.json": {"context": ctx, "benchmarks": stream}}
    for level, picked, cxx_ns in simd_levels:
        files["level-%s.json" % level] = {
            "context": dict(ctx, qemud_cxx_simd=picked),
            "benchmarks": [median("decode/rpcgen/" + BIG, 20000), median("decode/cxx/" + BIG, cxx_ns),
                           median("encode/rpcgen/" + BIG, 20000), median("encode/cxx/" + BIG, cxx_ns / 2),
                           median("memcpy/" + BIG, 200, wire=20016)]}
    for name, data in files.items():
        with open(os.path.join(results, name), "w") as f:
            json.dump(data, f)
    with open(os.path.join(results, "lscpu.txt"), "w") as f:
        f.write("Architecture: x86_64\nCPU(s): 2\nModel name: Test CPU 9000\nThread(s) per core: 1\n"
                "Core(s) per socket: 2\nSocket(s): 1\nHypervisor vendor: KVM\n")
    with open(os.path.join(results, "load.txt"), "w") as f:
        f.write("1.00 2.00 3.00\n4.00 5.00 6.00\n")


EXPECTED_ROWS = [
    "| SERVER LIST_DEFINED_DOMAINS (20016) | decode | 20.00x | 2.00x | 0.50x |",
    "| SERVER LIST_DEFINED_DOMAINS (20016) | encode | 30.00x | 3.00x | 0.71x |",
    "| CLIENT GET_VERSION (8) | decode | 2.00x | 0.08x | 0.40x |",
    "| CLIENT GET_VERSION (8) | encode | 3.00x | 0.15x | 0.50x |",
    "| server, contiguous | 1.00x |",
    "| server, 4 KiB chunks | 1.30x |",
    "| client, 1-byte chunks | 18.00x |",
    "| sse2 | sse2 | 25.00x | 0.25x | 50.00x | 0.50x |",
    "| avx512 | avx2 | 40.00x | 0.40x | 80.00x | 0.80x |",
]
EXPECTED_TEXT = [
    "Test CPU 9000, 2 CPUs (1 socket(s) x 2 core(s) x 1 thread(s)), under KVM",
    "load average 1.00 2.00 3.00 before, 4.00 5.00 6.00 after",
    "`RelWithDebInfo`, `-O2 -g -DNDEBUG`, GNU 12.2.0",
    "3 repetition(s)",
]


def main():
    failures = []

    def check(cond, what):
        print("%-4s %s" % ("ok" if cond else "FAIL", what))
        if not cond:
            failures.append(what)

    with tempfile.TemporaryDirectory() as tmp:
        # avx512 asked but avx2 run (a CPU without AVX-512); portable absent.
        fixture(tmp, [("avx512", "avx2", 500), ("sse2", "sse2", 800)])
        run = subprocess.run([sys.executable, TOOL, tmp], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        check(run.returncode == 0, "prints the tables (exit %d, stderr %r)" % (run.returncode, run.stderr))
        out = run.stdout
        for row in EXPECTED_ROWS:
            check(row in out.splitlines(), "row %s" % row)
        for text in EXPECTED_TEXT:
            check(text in out, "says %r" % text)
        check("| portable |" not in out, "a level without results is left out")
        check(" ns " not in out and "999999" not in out, "no absolute time and no mean in the tables")
        levels = [line.split("|")[1].strip() for line in out.splitlines() if line.startswith("| avx512 |") or
                  line.startswith("| sse2 |")]
        check(levels == ["avx512", "sse2"], "levels in order best first: %r" % levels)

        doc = os.path.join(tmp, "DOC.md")
        head, tail = "# Title\n\nbefore\n<!-- bench-table:begin -->\n", "<!-- bench-table:end -->\nafter\n"
        with open(doc, "w") as f:
            f.write(head + "old hand-typed table\n" + tail)
        run = subprocess.run([sys.executable, TOOL, tmp, "--update", doc], capture_output=True, text=True)
        check(run.returncode == 0, "--update exits 0 (%r)" % run.stderr)
        with open(doc) as f:
            text = f.read()
        check(text.startswith(head) and text.endswith(tail), "--update keeps what is outside the markers")
        check("old hand-typed table" not in text and EXPECTED_ROWS[0] in text, "--update replaces the table")
        check(not [n for n in os.listdir(tmp) if n.startswith(".bench_table.")], "no temporary file left")
        with open(doc) as f:
            before = f.read()
        run = subprocess.run([sys.executable, TOOL, tmp, "--update", doc], capture_output=True, text=True)
        with open(doc) as f:
            check(f.read() == before, "a second --update from the same results changes nothing")

        bare = os.path.join(tmp, "BARE.md")
        with open(bare, "w") as f:
            f.write("no markers\n")
        run = subprocess.run([sys.executable, TOOL, tmp, "--update", bare], capture_output=True, text=True)
        with open(bare) as f:
            check(run.returncode == 1 and f.read() == "no markers\n", "refuses a document without markers")

        # One repetition: no median aggregate, the iteration run stands for it.
        with open(os.path.join(tmp, "stream.json")) as f:
            one = json.load(f)
        for b in one["benchmarks"]:
            del b["aggregate_name"]
            b["run_type"] = "iteration"
        with open(os.path.join(tmp, "stream.json"), "w") as f:
            json.dump(one, f)
        run = subprocess.run([sys.executable, TOOL, tmp], capture_output=True, text=True)
        check("| server, 4 KiB chunks | 1.30x |" in run.stdout.splitlines(), "one repetition: the run itself")

        os.remove(os.path.join(tmp, "codec.json"))
        run = subprocess.run([sys.executable, TOOL, tmp], capture_output=True, text=True)
        check(run.returncode == 1 and "codec.json" in run.stderr, "names a missing results file")
        run = subprocess.run([sys.executable, TOOL], capture_output=True, text=True)
        check(run.returncode == 2, "no argument: usage, exit 2")

    print("%d failure(s)" % len(failures))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
