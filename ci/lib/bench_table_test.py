#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""bench_table_test.py: ci/lib/bench_table.py turns a small fixture of
Google Benchmark JSON (times chosen so every ratio is known) into the
expected rows, writes them between the markers of a document and nothing
else, and refuses a document without markers, leaving it untouched.
ci/lib/refd_table.py and ci/lib/fuzz_table.py do the same from the
fixtures in testdata/bench/ (refd.json, fuzz.json) and refuse incomplete
results (a missing file, call, depth, target or pair) with exit 1, the
document untouched; ci/lib/fuzz_results.py writes fuzz.json from a build
tree's CMake cache and the measured pairs.

  bench_table_test.py
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOOL = os.path.join(HERE, "bench_table.py")
REFD_TOOL = os.path.join(HERE, "refd_table.py")
FUZZ_TOOL = os.path.join(HERE, "fuzz_table.py")
FUZZ_RESULTS = os.path.join(HERE, "fuzz_results.py")
FIXTURES = os.path.join(HERE, "testdata", "bench")
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

    refd_checks(check)
    fuzz_checks(check)
    fuzz_results_checks(check)
    print("%d failure(s)" % len(failures))
    sys.exit(1 if failures else 0)


# A document with every generated block, so an update can be seen to leave
# the other blocks alone.
DOC = ("# Title\n<!-- bench-table:begin -->\nbench block\n<!-- bench-table:end -->\nprose\n"
       "<!-- refd-table:begin -->\nold refd table\n<!-- refd-table:end -->\nmore prose\n"
       "<!-- fuzz-table:begin -->\nold fuzz table\n<!-- fuzz-table:end -->\nend\n")


def fixture_copy(tmp, name, dest=None):
    """A fresh scratch copy of testdata/bench/<name> in tmp/<dest or name>
    (replacing an earlier one), for the checks that break it."""
    path = os.path.join(tmp, dest or name)
    shutil.rmtree(path, ignore_errors=True)
    shutil.copytree(os.path.join(FIXTURES, name), path)
    return path


def rewrite_json(path, change):
    with open(path) as f:
        data = json.load(f)
    change(data)
    with open(path, "w") as f:
        json.dump(data, f)


def refuses(check, tool, results, doc, what, says):
    """tool RESULTS --update DOC exits 1 with one line naming what is
    missing, and DOC is left as it was."""
    with open(doc) as f:
        before = f.read()
    run = subprocess.run([sys.executable, tool, results, "--update", doc], capture_output=True, text=True)
    with open(doc) as f:
        after = f.read()
    check(run.returncode == 1 and says in run.stderr and len(run.stderr.splitlines()) == 1 and after == before,
          "refuses %s: exit 1, one line naming %r, doc untouched (exit %d, %r)" % (
              what, says, run.returncode, run.stderr))


REFD_ROWS = [
    "| GET_VERSION (16-byte call, 24-byte reply) | 1 | **0.64x** | 40000, 62500 |",
    "| GET_VERSION (16-byte call, 24-byte reply) | 16 | **0.50x** | 400000, 800000 |",
    "| LIST_DEFINED_DOMAINS (16-byte call, 20024-byte reply) | 1 | **0.67x** | 33333, 50000 |",
    # refd's median is 0.1 ms: converted, or this would read 0.00x.
    "| LIST_DEFINED_DOMAINS (16-byte call, 20024-byte reply) | 16 | **0.80x** | 160000, 200000 |",
]
REFD_TEXT = [
    "Test CPU 9000, 2 CPUs (1 socket(s) x 2 core(s) x 1 thread(s)), under KVM",
    "load average 1.00 2.00 3.00 before, 4.00 5.00 6.00 after",
    "`RelWithDebInfo`, `-O2 -g -DNDEBUG`, GNU 12.2.0",
    "2026-01-02T03:04:05+00:00, 5 repetition(s) of at least 0.2 s",
    "medians of real time",
    "coefficient of variation of the real times 20%-35%",
]


def renders(check, name, tool, results, rows, texts):
    """tool prints its table from results, with every row and every text;
    returns what it printed."""
    run = subprocess.run([sys.executable, tool, results], capture_output=True, text=True)
    check(run.returncode == 0, "%s: prints the table (exit %d, %r)" % (name, run.returncode, run.stderr))
    out = run.stdout.splitlines()
    for row in rows:
        check(row in out, "%s: row %s" % (name, row))
    for text in texts:
        check(text in run.stdout, "%s: says %r" % (name, text))
    return run.stdout


def updated_doc(tool, results, doc):
    """Writes DOC (every block's markers) to doc and runs tool --update on
    it; returns the run and the doc after it."""
    with open(doc, "w") as f:
        f.write(DOC)
    run = subprocess.run([sys.executable, tool, results, "--update", doc], capture_output=True, text=True)
    with open(doc) as f:
        return run, f.read()


def refd_checks(check):
    with tempfile.TemporaryDirectory() as tmp:
        results = fixture_copy(tmp, "refd")
        printed = renders(check, "refd", REFD_TOOL, results, REFD_ROWS, REFD_TEXT)
        check("999999" not in printed, "refd: no mean in the table")

        doc = os.path.join(tmp, "DOC.md")
        run, text = updated_doc(REFD_TOOL, results, doc)
        check(run.returncode == 0 and "old refd table" not in text and REFD_ROWS[0] in text,
              "refd: --update replaces the refd block (%r)" % run.stderr)
        check(text.replace(text[text.index("<!-- refd-table:begin -->"):text.index("<!-- refd-table:end -->")], "")
              == DOC.replace("<!-- refd-table:begin -->\nold refd table\n", ""),
              "refd: --update leaves everything outside its markers, the other blocks too")

        # Incomplete results: one side of one call and depth absent, a
        # benchmark that failed, a missing file.
        rewrite_json(os.path.join(results, "refd.json"), lambda d: d.update(benchmarks=[
            b for b in d["benchmarks"] if not b["run_name"].startswith("raw/LIST_DEFINED_DOMAINS/depth:16")]))
        refuses(check, REFD_TOOL, results, doc, "a call and depth measured on one side only",
                "raw/LIST_DEFINED_DOMAINS/depth:16")
        results = fixture_copy(tmp, "refd", "broken")
        rewrite_json(os.path.join(results, "refd.json"), lambda d: d["benchmarks"][0].update(
            error_occurred=True, error_message="setup: no GET_VERSION reply"))
        refuses(check, REFD_TOOL, results, doc, "a benchmark that failed", "setup: no GET_VERSION reply")
        os.remove(os.path.join(results, "refd.json"))
        refuses(check, REFD_TOOL, results, doc, "a missing refd.json", "refd.json")
        results = fixture_copy(tmp, "refd", "broken")
        os.remove(os.path.join(results, "refd-load.txt"))
        refuses(check, REFD_TOOL, results, doc, "a run without its load", "refd-load.txt")


FUZZ_ROWS = [
    "| target | pair 1 | pair 2 | pair 3 | median |",
    "| header_fuzzer | 0.500x (100 / 200) | 0.750x (150 / 200) | 0.600x (120 / 200) | **0.600x** |",
    # The median of the ratios, not the ratio of the means (0.55x) nor their mean (0.55x).
    "| client_stream_fuzzer | 0.500x (50 / 100) | 0.700x (70 / 100) | 0.450x (45 / 100) | **0.500x** |",
]
FUZZ_TEXT = [
    "Test CPU 9000, 2 CPUs (1 socket(s) x 2 core(s) x 1 thread(s)), under KVM",
    "load average 1.00 2.00 3.00 before, 4.00 5.00 6.00 after",
    "`RelWithDebInfo` in `build-fuzzbase/`, `-fsanitize=fuzzer-no-link,address -O1 -g`, "
    "linked with `-fsanitize=fuzzer`, Clang 14.0.6",
    "2026-01-02T03:04:05+00:00, `FUZZ_SECONDS=20` per binary, `FUZZ_PAIRS=3`",
    "oracle: the targets' default (tiered)",
]


def fuzz_checks(check):
    with tempfile.TemporaryDirectory() as tmp:
        results = fixture_copy(tmp, "fuzz")
        printed = renders(check, "fuzz", FUZZ_TOOL, results, FUZZ_ROWS, FUZZ_TEXT)
        check("session before" not in printed and "tiered oracle |" not in printed,
              "fuzz: no history columns (the prose keeps them)")

        doc = os.path.join(tmp, "DOC.md")
        run, text = updated_doc(FUZZ_TOOL, results, doc)
        check(run.returncode == 0 and "old fuzz table" not in text and FUZZ_ROWS[1] in text
              and "old refd table" in text and "bench block" in text,
              "fuzz: --update replaces the fuzz block only (%r)" % run.stderr)

        def broken(what, says, change):
            path = fixture_copy(tmp, "fuzz", "broken")
            rewrite_json(os.path.join(path, "fuzz.json"), change)
            refuses(check, FUZZ_TOOL, path, doc, what, says)

        broken("a target not measured", "client_stream_fuzzer", lambda d: d["targets"].pop("client_stream_fuzzer"))
        broken("a pair without exec/s ('?')", "header_fuzzer pair 2",
               lambda d: d["targets"]["header_fuzzer"][1].update(baseline=None))
        broken("fewer pairs than asked", "header_fuzzer has 2 pair(s), 3 asked",
               lambda d: d["targets"]["header_fuzzer"].pop())
        broken("a build without its flags", "flags", lambda d: d["build"].update(cxx_flags=""))
        os.remove(os.path.join(results, "lscpu.txt"))
        refuses(check, FUZZ_TOOL, results, doc, "a run without its machine", "lscpu.txt")
        refuses(check, FUZZ_TOOL, os.path.join(tmp, "nothing"), doc, "a missing fuzz.json", "fuzz.json")


def fuzz_results_checks(check):
    """fuzz_results.py: the build read from a (fake) tree's CMake files, every
    pair kept in order, a '?' kept as null for fuzz_table.py to refuse."""
    with tempfile.TemporaryDirectory() as tmp:
        tree = os.path.join(tmp, "build-fuzzbase")
        os.makedirs(os.path.join(tree, "CMakeFiles", "3.25.1"))
        with open(os.path.join(tree, "CMakeCache.txt"), "w") as f:
            f.write("// comment\nCMAKE_BUILD_TYPE:STRING=RelWithDebInfo\nCMAKE_CXX_FLAGS:STRING=-fsanitize=address\n"
                    "CMAKE_CXX_FLAGS_RELWITHDEBINFO:STRING=-O1 -g\nCMAKE_CXX_FLAGS_RELEASE:STRING=-O3\n"
                    "QEMUD_FUZZ_ENGINE:STRING=-fsanitize=fuzzer\n")
        with open(os.path.join(tree, "CMakeFiles", "3.25.1", "CMakeCXXCompiler.cmake"), "w") as f:
            f.write('set(CMAKE_CXX_COMPILER "/usr/bin/clang++")\nset(CMAKE_CXX_COMPILER_ID "Clang")\n'
                    'set(CMAKE_CXX_COMPILER_VERSION "14.0.6")\n')
        out = os.path.join(tmp, "fuzz.json")
        run = subprocess.run(
            [sys.executable, FUZZ_RESULTS, out, tree, "--date", "D", "--seconds", "20", "--pairs", "2",
             "--expected", "a_fuzzer b_fuzzer", "--load-before", "1 2 3", "--load-after", "4 5 6",
             "--oracle", "", "--full-every", "64"],
            input="a_fuzzer 10 20\nb_fuzzer 30 ?\na_fuzzer 11 21\n", capture_output=True, text=True)
        check(run.returncode == 0, "fuzz_results: writes fuzz.json (exit %d, %r)" % (run.returncode, run.stderr))
        with open(out) as f:
            data = json.load(f)
        check(data["build"] == {"dir": "build-fuzzbase", "build_type": "RelWithDebInfo",
                                "cxx_flags": "-fsanitize=address -O1 -g", "engine": "-fsanitize=fuzzer",
                                "compiler": "Clang 14.0.6"},
              "fuzz_results: the build type's flags, engine and compiler from the tree (%r)" % data["build"])
        check(data["targets"] == {"a_fuzzer": [{"differential": 10, "baseline": 20},
                                               {"differential": 11, "baseline": 21}],
                                  "b_fuzzer": [{"differential": 30, "baseline": None}]},
              "fuzz_results: every pair in order, '?' as null (%r)" % data["targets"])
        check(data["oracle"] is None and data["full_every"] == "64" and data["fuzz_pairs"] == 2
              and data["targets_expected"] == ["a_fuzzer", "b_fuzzer"], "fuzz_results: the settings")
        check(not [n for n in os.listdir(tmp) if n.startswith(".bench_table.")], "fuzz_results: no temporary file left")
        run = subprocess.run([sys.executable, FUZZ_RESULTS, out, tree, "--date", "D", "--seconds", "20", "--pairs",
                              "2", "--expected", "a_fuzzer", "--load-before", "x", "--load-after", "y"],
                             input="c_fuzzer 1 2\n", capture_output=True, text=True)
        check(run.returncode == 2,
              "fuzz_results: a pair of an unexpected target is an error (exit %d)" % run.returncode)


if __name__ == "__main__":
    main()
