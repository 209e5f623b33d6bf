#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# arm_ratios.py: reads qemud_arm_bench's JSON output (--benchmark_out=FILE
# --benchmark_out_format=json, with --benchmark_repetitions) and prints,
# per arm and direction of conversion, the CPU-time medians of rpcgen and
# dynamic and their ratio, worst first, as a Markdown table. Both medians
# come from the same run, so the ratio is what was measured side by side.
# Decode rows also divide by rpcgen's median the Json copy floor and
# dynamic's Codec::decode (a new Json per call; arm/new_json), when the run
# has them. A run filtered to one direction of conversion prints only it.
import json
import sys

LIMIT = 10.0  # issue 16: dynamic within 10x of rpcgen on every arm


def medians(path):
    with open(path) as f:
        report = json.load(f)
    out = {}
    for b in report["benchmarks"]:
        if b.get("aggregate_name") != "median":
            continue
        # arm/<op>/<impl>/<ARM>_median
        _, op, impl, arm = b["run_name"].split("/", 3)
        scale = {"ns": 1.0, "us": 1e3, "ms": 1e6}[b["time_unit"]]
        out[(op, impl, arm)] = b["cpu_time"] * scale
    return out


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: arm_ratios.py BENCH_JSON")
    m = medians(sys.argv[1])
    rows = []
    for (op, impl, arm), ns in m.items():
        if impl == "rpcgen" and (op, "dynamic", arm) in m:
            rows.append((m[(op, "dynamic", arm)] / ns, op, arm, ns, m[(op, "dynamic", arm)]))
    rows.sort(reverse=True)
    # floor: copying and destroying the decoded Json; new Json: decode
    # returning a new Json per call (decode rows only).
    print("| arm | op | rpcgen ns | dynamic ns | dynamic / rpcgen | new Json / rpcgen | Json copy / rpcgen |")
    print("|---|---|---:|---:|---:|---:|---:|")

    def over_rpcgen(key, op, arm, r):
        ns = m.get((key[0], key[1], arm)) if op == "decode" else None
        return f"{ns / r:.2f}x" if ns else ""

    for ratio, op, arm, r, d in rows:
        mark = " **over**" if ratio > LIMIT else ""
        new_json = over_rpcgen(("new_json", "dynamic"), op, arm, r)
        floor = over_rpcgen(("floor", "json_copy"), op, arm, r)
        print(f"| {arm} | {op} | {r:.1f} | {d:.1f} | {ratio:.2f}x{mark} | {new_json} | {floor} |")
    for op in ("decode", "encode"):
        ops = [row for row in rows if row[1] == op]
        if not ops:
            continue
        over = sum(1 for row in ops if row[0] > LIMIT)
        worst = max(ops)
        print(f"\n{op}: {over} of {len(ops)} arms over {LIMIT:g}x; worst {worst[2]} at {worst[0]:.2f}x")


main()
