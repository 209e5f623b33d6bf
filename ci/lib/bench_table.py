#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""bench_table.py: the ratio tables of docs/PERFORMANCE.md, from the Google
Benchmark JSON files ci/bench.sh writes, so that no figure there is typed
by hand.

  bench_table.py RESULTS_DIR                 # print the tables (Markdown)
  bench_table.py RESULTS_DIR --update DOC    # rewrite DOC between the markers

RESULTS_DIR holds codec.json and stream.json (qemud_codec_bench and
qemud_stream_bench), level-<level>.json (qemud_codec_bench on the
20016-byte payload under QEMUD_CXX_SIMD=<level>; the levels absent are
left out), and optionally lscpu.txt (`lscpu` output: the machine) and
load.txt (two lines: the load average before and after the run).

Only ratios of medians (CPU time) taken in the same run are printed:
absolute times depend on the machine and its load, ratios much less.
The build type, compiler and flags come from the context the bench
programs record (bench/build_context.h); the machine from lscpu.txt.

--update replaces what lies between `<!-- bench-table:begin -->` and
`<!-- bench-table:end -->` in DOC and writes DOC through a temporary file
and a rename, so an interrupted run never leaves half a document. Exit 0
on success, 1 when a results file or a marker is missing.

The other generated tables of docs/PERFORMANCE.md (refd_table.py,
fuzz_table.py) use this module's command line, update, machine and load
code with their own markers, so there is one copy of each.
"""
import json
import os
import statistics
import sys
import tempfile

BEGIN = "<!-- bench-table:begin -->"
END = "<!-- bench-table:end -->"
LEVELS = ("avx512", "avx2", "sse2", "portable")
LEVEL_ARM = "QEMUD_SERVER_PKT_LIST_DEFINED_DOMAINS"
TO_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


class Missing(Exception):
    pass


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except FileNotFoundError:
        raise Missing("no results file %s (run ci/bench.sh)" % path)


def medians(data, clock="cpu_time"):
    """run_name -> median CPU (or, clock="real_time", real) time in ns;
    repetitions seen. Google Benchmark writes a median aggregate only for
    more than one repetition: with one (BENCH_REPETITIONS=1) the single
    iteration run stands for it."""
    m, runs, reps = {}, {}, set()
    for b in data["benchmarks"]:
        ns = b[clock] * TO_NS[b.get("time_unit", "ns")]
        if b.get("aggregate_name") == "median":
            m[b["run_name"]] = ns
            reps.add(b.get("repetitions"))
        elif b.get("run_type", "iteration") == "iteration":
            runs.setdefault(b["run_name"], []).append(ns)
    for name, times in runs.items():
        if name not in m:
            m[name] = statistics.median(times)
            reps.add(len(times))
    return m, reps


def payload_bytes(data):
    """arm -> wire bytes, from memcpy's bytes/s over items/s (one message per item)."""
    out = {}
    for b in data["benchmarks"]:
        name = b["run_name"]
        if name.startswith("memcpy/") and b.get("items_per_second") and b.get("aggregate_name") in (None, "median"):
            out[name.split("/", 1)[1]] = round(b["bytes_per_second"] / b["items_per_second"])
    return out


def ratio(num, den):
    return "%.2fx" % (num / den) if num and den else "n/a"


def short(arm):
    """QEMUD_SERVER_PKT_LIST_DEFINED_DOMAINS -> SERVER LIST_DEFINED_DOMAINS"""
    direction, _, rest = arm.removeprefix("QEMUD_").partition("_PKT_")
    return "%s %s" % (direction, rest) if rest else arm


def require(results, *names):
    """Raises Missing unless every file named is in results: a generated
    table must say what it came from, or not be written."""
    for name in names:
        if not os.path.exists(os.path.join(results, name)):
            raise Missing("no %s in %s (run ci/bench.sh)" % (name, results))


def machine(results):
    fields = {}
    try:
        with open(os.path.join(results, "lscpu.txt")) as f:
            for line in f:
                key, _, value = line.partition(":")
                fields[key.strip()] = value.strip()
    except FileNotFoundError:
        return "not recorded (no lscpu.txt)"
    model = fields.get("Model name", "unknown CPU")
    cpus = fields.get("CPU(s)", "?")
    cores = fields.get("Core(s) per socket", "?")
    threads = fields.get("Thread(s) per core", "?")
    sockets = fields.get("Socket(s)", "?")
    hyper = fields.get("Hypervisor vendor")
    text = "%s, %s CPUs (%s socket(s) x %s core(s) x %s thread(s))" % (model, cpus, sockets, cores, threads)
    return text + (", under %s" % hyper if hyper else "")


def load_line(results, name="load.txt"):
    try:
        with open(os.path.join(results, name)) as f:
            before, after = (f.read().split("\n") + ["", ""])[:2]
    except FileNotFoundError:
        return None
    return "load average %s before, %s after" % (before.strip() or "?", after.strip() or "?")


def tables(results):
    codec = load(os.path.join(results, "codec.json"))
    stream = load(os.path.join(results, "stream.json"))
    ctx = codec["context"]
    c, reps = medians(codec)
    s, _ = medians(stream)
    sizes = payload_bytes(codec)
    arms = [name.split("/", 1)[1] for name in c if name.startswith("memcpy/")]

    lines = [
        "Generated by `ci/bench.sh --update-docs` (`ci/lib/bench_table.py`) from one run; "
        "do not edit by hand.",
        "",
        "* **Machine**: %s; Google Benchmark saw %s CPUs at %s MHz%s." % (
            machine(results), ctx.get("num_cpus", "?"), ctx.get("mhz_per_cpu", "?"),
            "; " + load_line(results) if load_line(results) else ""),
        "* **Build**: `%s`, `%s`, %s (bench/build_context.h); cxx element kernels: `%s` "
        "(picked at run time)." % (
            ctx.get("qemud_build_type") or "(none)", ctx.get("qemud_cxx_flags") or "(none)",
            ctx.get("qemud_cxx_compiler", "?"), ctx.get("qemud_cxx_simd", "?")),
        "* **Run**: %s, %s repetition(s), medians of CPU time; every ratio divides two medians "
        "of the same run." % (ctx.get("date", "?"), "/".join(str(r) for r in sorted(reps, key=str))),
        "",
        "`x rpcgen` = rpcgen time / implementation time (higher is faster); "
        "`/ memcpy` = memcpy time / cxx time (1.00x = the speed of memcpy).",
        "",
        "| payload (bytes) | op | cxx x rpcgen | dynamic x rpcgen | cxx / memcpy |",
        "|---|---|---:|---:|---:|",
    ]
    for arm in arms:
        mc = c.get("memcpy/" + arm)
        for op in ("decode", "encode"):
            r, x, d = (c.get("%s/%s/%s" % (op, impl, arm)) for impl in ("rpcgen", "cxx", "dynamic"))
            lines.append("| %s (%s) | %s | %s | %s | %s |" % (
                short(arm), sizes.get(arm, "?"), op, ratio(r, x), ratio(r, d), ratio(mc, x)))

    lines += ["", "| stream (StreamDecoder + cxx) | time / contiguous |", "|---|---:|"]
    for direction in ("server", "client"):
        base = s.get("contiguous/" + direction)
        lines.append("| %s, contiguous | %s |" % (direction, ratio(base, base)))
        for chunk, label in (("4096", "4 KiB chunks"), ("1", "1-byte chunks")):
            lines.append("| %s, %s | %s |" % (direction, label, ratio(s.get("stream/%s/chunk:%s" % (direction, chunk)), base)))

    lines += [
        "",
        "cxx on the %s-byte payload per kernel level (`QEMUD_CXX_SIMD=<level>`, each level "
        "its own run of rpcgen, cxx and memcpy; a level the CPU lacks runs the best one it has):" % sizes.get(LEVEL_ARM, "?"),
        "",
        "| level asked | level run | decode x rpcgen | decode / memcpy | encode x rpcgen | encode / memcpy |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for level in LEVELS:
        path = os.path.join(results, "level-%s.json" % level)
        if not os.path.exists(path):
            continue
        data = load(path)
        m, _ = medians(data)
        mc = m.get("memcpy/" + LEVEL_ARM)
        cells = []
        for op in ("decode", "encode"):
            r, x = m.get("%s/rpcgen/%s" % (op, LEVEL_ARM)), m.get("%s/cxx/%s" % (op, LEVEL_ARM))
            cells += [ratio(r, x), ratio(mc, x)]
        lines.append("| %s | %s | %s |" % (level, data["context"].get("qemud_cxx_simd", "?"), " | ".join(cells)))
    return "\n".join(lines) + "\n"


def write_atomic(path, text):
    """Writes text to path through a temporary file in the same directory and
    a rename, so a reader (or an interrupted run) never sees half a file;
    the file keeps its mode when it existed."""
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(path)), prefix=".bench_table.")
    try:
        with os.fdopen(fd, "w") as f:
            f.write(text)
        if os.path.exists(path):
            os.chmod(tmp, os.stat(path).st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def update(doc, block, begin_marker=BEGIN, end_marker=END):
    """Replaces what lies between begin_marker and end_marker in doc (each
    generated table of docs/PERFORMANCE.md has its own pair)."""
    with open(doc) as f:
        text = f.read()
    begin, end = text.find(begin_marker), text.find(end_marker)
    if begin < 0 or end < begin:
        raise Missing("%s has no %s ... %s markers" % (doc, begin_marker, end_marker))
    write_atomic(doc, text[:begin + len(begin_marker)] + "\n" + block + text[end:])


def cli(argv, prog, render, begin_marker=BEGIN, end_marker=END):
    """The command line every table generator shares: RESULTS_DIR prints the
    block, RESULTS_DIR --update DOC writes it between the markers. Exit 1,
    DOC untouched, when render raises Missing (results absent or
    incomplete); 2 on a wrong command line."""
    if len(argv) not in (1, 3) or (len(argv) == 3 and argv[1] != "--update") or argv[0].startswith("-"):
        sys.stderr.write("usage: %s.py RESULTS_DIR [--update DOC]\n" % prog)
        return 2
    try:
        block = render(argv[0])
        if len(argv) == 3:
            update(argv[2], block, begin_marker, end_marker)
            print("%s: wrote the table(s) into %s" % (prog, argv[2]))
        else:
            sys.stdout.write(block)
    except Missing as e:
        sys.stderr.write("%s: %s\n" % (prog, e))
        return 1
    return 0


def main(argv):
    return cli(argv, "bench_table", tables)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
