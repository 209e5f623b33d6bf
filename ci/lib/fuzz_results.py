#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""fuzz_results.py: writes fuzz.json, the results of `ci/bench.sh
--fuzz-only` (differential fuzz targets against their libtirpc-only
baselines), for ci/lib/fuzz_table.py to render. It records what a reader of
the table needs to judge it: the build's compiler and flags, read from the
build tree's CMake cache rather than restated, the settings and the load.

  fuzz_results.py OUT BUILD_DIR --date D --seconds S --pairs N
                  --expected "T..." --load-before L --load-after L
                  [--oracle O] [--full-every K]  < PAIRS

PAIRS: one line per measured pair, `<target> <differential> <baseline>`,
each exec/s or `?` when libFuzzer printed none (stored as null, which
fuzz_table.py refuses). OUT is written through a temporary file and a
rename. Exit 2 on a wrong command line or a malformed PAIRS line.
"""
import argparse
import glob
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_table  # noqa: E402  (write_atomic)


def cmake_cache(build_dir):
    """KEY -> value from BUILD_DIR/CMakeCache.txt (`KEY:TYPE=value` lines)."""
    cache = {}
    with open(os.path.join(build_dir, "CMakeCache.txt")) as f:
        for line in f:
            match = re.match(r"^([A-Za-z0-9_]+):[A-Z]+=(.*)$", line.rstrip("\n"))
            if match:
                cache[match.group(1)] = match.group(2)
    return cache


def compiler(build_dir):
    """"Clang 14.0.6": the id and version CMake found when it configured the
    tree (CMakeFiles/<cmake version>/CMakeCXXCompiler.cmake)."""
    for path in sorted(glob.glob(os.path.join(build_dir, "CMakeFiles", "*", "CMakeCXXCompiler.cmake"))):
        with open(path) as f:
            text = f.read()
        cid = re.search(r'set\(CMAKE_CXX_COMPILER_ID "([^"]*)"\)', text)
        ver = re.search(r'set\(CMAKE_CXX_COMPILER_VERSION "([^"]*)"\)', text)
        if cid and ver:
            return "%s %s" % (cid.group(1), ver.group(1))
    return None


def build(build_dir):
    cache = cmake_cache(build_dir)
    build_type = cache.get("CMAKE_BUILD_TYPE", "")
    return {
        "dir": os.path.basename(os.path.normpath(build_dir)),
        "build_type": build_type,
        # What every compile gets: the common flags, then the build type's.
        "cxx_flags": " ".join(x for x in (cache.get("CMAKE_CXX_FLAGS", ""),
                                          cache.get("CMAKE_CXX_FLAGS_" + build_type.upper(), "")) if x),
        "engine": cache.get("QEMUD_FUZZ_ENGINE"),
        "compiler": compiler(build_dir),
    }


def pairs(stream, expected):
    out = {}
    for number, line in enumerate(stream, 1):
        fields = line.split()
        if not fields:
            continue
        if len(fields) != 3 or fields[0] not in expected:
            raise ValueError("PAIRS line %d: want '<target> <differential> <baseline>', got %r" % (number, line))
        values = [int(v) if v.isdigit() else None for v in fields[1:]]
        out.setdefault(fields[0], []).append({"differential": values[0], "baseline": values[1]})
    return out


def main(argv):
    parser = argparse.ArgumentParser(prog="fuzz_results.py")
    parser.add_argument("out")
    parser.add_argument("build_dir")
    for name in ("date", "expected", "load-before", "load-after"):
        parser.add_argument("--" + name, required=True)
    parser.add_argument("--seconds", type=int, required=True)
    parser.add_argument("--pairs", type=int, required=True)
    parser.add_argument("--oracle", default="")
    parser.add_argument("--full-every", default="")
    args = parser.parse_args(argv)
    expected = args.expected.split()
    try:
        measured = pairs(sys.stdin, expected)
    except ValueError as e:
        sys.stderr.write("fuzz_results: %s\n" % e)
        return 2
    results = {
        "date": args.date,
        "fuzz_seconds": args.seconds,
        "fuzz_pairs": args.pairs,
        # Empty: the targets' own default (the tiered oracle, K = 256).
        "oracle": args.oracle or None,
        "full_every": args.full_every or None,
        "load_before": args.load_before,
        "load_after": args.load_after,
        "build": build(args.build_dir),
        "targets_expected": expected,
        "targets": measured,
    }
    bench_table.write_atomic(args.out, json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
