#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""detection.py: the kill matrix. For every canary of the canary build
(qemud-canaries --json), runs each check family on its own with
QEMUD_CANARY=<name> and records whether it caught the planted bug:

  unit_golden   the codec-level unit tests and the golden vector test
  properties    the RapidCheck properties (QEMUD_PROPERTY_SCALE)
  conform       qemud-conform in process on cxx (golden + --random N)
  conform_shim  qemud-conform through the Python shim with the same canary
  fuzz          each libFuzzer <target>_canary from its seed corpus, K seeds,
                at most R executions and T seconds each (with
                --fuzz-survivors-only: only for the canaries the other
                families missed, the rest "not run")

Writes matrix.json and matrix.md to --out, prints the Markdown, and with
--baseline FILE exits 1 when a canary that a family killed in the baseline
survives it now. Exits 1 too when a canary survives every family, and 2
when the matrix cannot be made (a family that fails with no canary at all,
a missing binary). ci/detection.sh is the way to run it.
"""

import argparse
import concurrent.futures
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2]
FAMILIES = ["unit_golden", "properties", "conform", "conform_shim", "fuzz"]
UNIT_TESTS = ["conformance/unit/codec_arms_test", "conformance/unit/policy_rows_test", "conformance/unit/framing_test",
              "conformance/unit/stream_decoder_test", "conformance/unit/bounded_allocation_test",
              "conformance/unit/cxx_runtime_test", "golden/golden_test"]
SHIM = SOURCE / "conformance" / "detection" / "python_canary_shim.py"


class CannotRun(Exception):
    pass


def fail_usage(message):
    print(f"detection: {message}", file=sys.stderr)
    sys.exit(2)


def run(cmd, canary, timeout, cwd=SOURCE, extra_env=None):
    """Runs cmd with QEMUD_CANARY set (or unset); returns (status, seconds, output tail)."""
    env = dict(os.environ)
    env.pop("QEMUD_CANARY", None)
    if canary:
        env["QEMUD_CANARY"] = canary
    env.update(extra_env or {})
    started = time.monotonic()
    try:
        proc = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=timeout, text=True, errors="replace")
        status, output = proc.returncode, proc.stdout
    except subprocess.TimeoutExpired as e:
        status, output = "timeout", (e.stdout or b"").decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
    return status, time.monotonic() - started, output[-4000:]


class Families:
    def __init__(self, args):
        self.args = args
        build = Path(args.build)
        self.unit = [build / (t + "_canary") for t in UNIT_TESTS]
        self.properties_bin = build / "conformance" / "properties" / "property_test_canary"
        self.conform_canary_bin = build / "conformance" / "qemud-conform-canary"
        self.conform_bin = build / "conformance" / "runner" / "qemud-conform"
        for path in self.unit + [self.properties_bin, self.conform_canary_bin, self.conform_bin]:
            if not os.access(path, os.X_OK):
                raise CannotRun(f"{path} not found: build with ci/build.sh (QEMUD_CANARIES=ON, the default)")
        self.shim_canaries = set(subprocess.run([sys.executable, str(SHIM), "--list"], capture_output=True,
                                                text=True, check=True).stdout.split())
        self.fuzz_bin = Path(args.fuzz_bin) if args.fuzz_bin else None
        self.fuzz_targets = []
        if self.fuzz_bin:
            self.fuzz_targets = sorted(p.name[:-len("_canary")] for p in self.fuzz_bin.glob("*_canary")
                                       if os.access(p, os.X_OK))
            if args.fuzz_targets:
                unknown = set(args.fuzz_targets) - set(self.fuzz_targets)
                if unknown:
                    raise CannotRun(f"no <target>_canary in {self.fuzz_bin} for {', '.join(sorted(unknown))}")
                self.fuzz_targets = args.fuzz_targets
            if not self.fuzz_targets:
                raise CannotRun(f"no <target>_canary fuzz binaries in {self.fuzz_bin}")

    # Each family returns {"killed": bool, ...detail} or {"na": reason}.
    def unit_golden(self, canary):
        failed = []
        seconds = 0.0
        for test in self.unit:
            status, s, out = run([str(test)], canary, self.args.timeout)
            seconds += s
            if status != 0:
                failed.append(test.name)
        return {"killed": bool(failed), "by": failed, "seconds": round(seconds, 2)}

    def properties(self, canary):
        # A fixed RapidCheck seed: at this scale the generated cases decide
        # whether some canaries are caught, and a matrix compared with a
        # baseline must not depend on the run (an RC_PARAMS of the caller's
        # comes after it, so its own seed wins).
        rc_params = f"seed={self.args.property_seed} {os.environ.get('RC_PARAMS', '')}".strip()
        status, s, out = run([str(self.properties_bin)], canary, self.args.timeout,
                             extra_env={"QEMUD_PROPERTY_SCALE": str(self.args.property_scale),
                                        "RC_PARAMS": rc_params})
        return {"killed": status != 0, "seconds": round(s, 2)}

    def _conform(self, cmd, canary):
        status, s, out = run(cmd + ["--random", str(self.args.random), "--seed", "1", "-q", "--max-failures", "1"],
                             canary, self.args.timeout)
        if status == 2:
            raise CannotRun(f"{' '.join(cmd)} with QEMUD_CANARY={canary} could not run: {out.strip()[-300:]}")
        first = re.search(r"FAIL (\S+)", out)
        return {"killed": status != 0, "seconds": round(s, 2), "first": first.group(1) if first else None}

    def conform(self, canary):
        return self._conform([str(self.conform_canary_bin), "--impl", "cxx"], canary)

    def conform_shim(self, canary):
        if canary and canary not in self.shim_canaries:
            return {"na": "not plantable in Python (memory safety)"}
        return self._conform([str(self.conform_bin), "--shim", f"{sys.executable} {SHIM}"], canary)

    def fuzz_one(self, canary, target, seed):
        binary = self.fuzz_bin / (target + "_canary")
        options = self.fuzz_bin / (target + ".options")
        dictionary = self.fuzz_bin / (target + ".dict")
        max_len = None
        if options.exists():
            m = re.search(r"^max_len = (\d+)", options.read_text(), re.M)
            max_len = m and m.group(1)
        with tempfile.TemporaryDirectory(prefix="qemud-detection-") as tmp:
            cmd = [str(binary), f"-seed={seed}", f"-runs={self.args.fuzz_runs}",
                   f"-max_total_time={self.args.fuzz_seconds}", "-timeout=10", "-rss_limit_mb=2560",
                   # The largest wire is 20 KiB: one allocation of 256 MiB can
                   # only come from a trusted length word, and a lower bound
                   # reports it at once instead of after slow large mallocs.
                   "-malloc_limit_mb=256", "-print_final_stats=1", f"-artifact_prefix={tmp}/"]
            if max_len:
                cmd.append(f"-max_len={max_len}")
            if dictionary.exists():
                cmd.append(f"-dict={dictionary}")
            cmd += [tmp + "/corpus", str(SOURCE / "corpus" / target)]
            os.mkdir(tmp + "/corpus")
            status, s, out = run(cmd, canary, self.args.fuzz_seconds + 120)
        execs = re.findall(r"stat::number_of_executed_units:\s*(\d+)", out)
        if not execs:
            execs = re.findall(r"^#(\d+)", out, re.M)
        found = status != 0
        what = None
        if found:
            m = re.search(r"(ERROR: \w+: [^\n]{0,100}|^qemud-harness:[^\n]{0,100})", out, re.M)
            what = m.group(1).strip() if m else f"exit {status}"
        return {"found": found, "execs": int(execs[-1]) if execs else None, "seconds": round(s, 2), "what": what}

    def fuzz(self, canary, pool=None):
        if not self.fuzz_bin:
            return {"na": "no fuzz binaries (--fuzz-bin)"}
        if canary and canary.startswith("json_"):
            # The fuzz targets feed the encoders only values decoded from a
            # wire, always well-formed: a value to refuse never reaches the
            # JSON-to-model conversion these canaries break.
            return {"na": "no fuzz target feeds an encoder a value to refuse"}
        per_target = {}
        for target in self.fuzz_targets:
            runs = [self.fuzz_one(canary, target, seed) for seed in range(1, self.args.fuzz_seeds + 1)]
            found = [r for r in runs if r["found"]]
            entry = {"found": len(found), "of": len(runs)}
            # Killed when the median run found it: more than half of the seeds.
            if 2 * len(found) > len(runs):
                entry["medianExecs"] = statistics.median(r["execs"] or 0 for r in found)
                entry["medianSeconds"] = round(statistics.median(r["seconds"] for r in found), 2)
                entry["what"] = found[0]["what"]
            per_target[target] = entry
        killed_by = {t: e for t, e in per_target.items() if "medianExecs" in e}
        result = {"killed": bool(killed_by), "targets": per_target}
        if killed_by:
            best = min(killed_by, key=lambda t: killed_by[t]["medianExecs"])
            result.update(first=best, medianExecs=killed_by[best]["medianExecs"],
                          medianSeconds=killed_by[best]["medianSeconds"])
        return result


def ran(cell):
    """A cell that holds a result: not n/a (cannot be planted there) and not skipped by the budget."""
    return cell is not None and "na" not in cell and "skipped" not in cell


def cell_text(family, cell):
    if cell is None:
        return "-"
    if "na" in cell:
        return "n/a"
    if "skipped" in cell:
        return "not run"
    if not cell["killed"]:
        return "survived"
    if family == "fuzz":
        return f"killed: {cell['first']}, {int(cell['medianExecs'])} execs, {cell['medianSeconds']} s"
    return "killed"


def markdown(matrix):
    fams = matrix["families"]
    lines = ["| canary | " + " | ".join(fams) + " |", "|---|" + "---|" * len(fams)]
    for name, row in matrix["canaries"].items():
        lines.append(f"| `{name}` | " + " | ".join(cell_text(f, row["families"].get(f)) for f in fams) + " |")
    totals = []
    for f in fams:
        cells = [row["families"].get(f) for row in matrix["canaries"].values()]
        applicable = [c for c in cells if ran(c)]
        totals.append(f"{sum(1 for c in applicable if c['killed'])}/{len(applicable)}")
    lines.append("| **killed** | " + " | ".join(totals) + " |")
    return "\n".join(lines) + "\n"


def write_atomically(path, text):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    with open(tmp, "w") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], allow_abbrev=False)
    p.add_argument("--build", default=str(SOURCE / "build"), help="the GCC build with the canary variants")
    p.add_argument("--canaries-cmd", help="the qemud-canaries binary (default: in --build)")
    p.add_argument("--fuzz-bin", help="folder with the <target>_canary libFuzzer binaries (.options, .dict beside)")
    p.add_argument("--fuzz-targets", nargs="+", help="only these fuzz targets")
    p.add_argument("--fuzz-runs", type=int, default=4000, help="executions per fuzz run at most (default 4000)")
    p.add_argument("--fuzz-seconds", type=int, default=60, help="seconds per fuzz run at most (default 60)")
    p.add_argument("--fuzz-seeds", type=int, default=3, help="fuzz runs (seeds 1..K) per target (default 3)")
    p.add_argument("--fuzz-survivors-only", action="store_true",
                   help="fuzz only the canaries every other family missed (the ctest's budget)")
    p.add_argument("--random", type=int, default=300, help="random cases of the qemud-conform families")
    p.add_argument("--property-scale", type=float, default=0.2, help="QEMUD_PROPERTY_SCALE of the properties")
    p.add_argument("--property-seed", type=int, default=1,
                   help="RapidCheck seed of the properties (RC_PARAMS seed=K; default 1): the same run each time")
    p.add_argument("--families", nargs="+", choices=FAMILIES, default=FAMILIES)
    p.add_argument("--only", nargs="+", help="only these canaries")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    p.add_argument("--timeout", type=int, default=600, help="seconds one family may take on one canary")
    p.add_argument("--out", required=True, help="folder for matrix.json and matrix.md")
    p.add_argument("--baseline", help="a matrix.json: fail when a canary it killed survives now")
    args = p.parse_args()
    for name in ("fuzz_runs", "fuzz_seconds", "fuzz_seeds", "random", "jobs", "timeout"):
        if getattr(args, name) < 1:
            fail_usage(f"--{name.replace('_', '-')} must be at least 1")

    canaries_cmd = args.canaries_cmd or str(Path(args.build) / "reference" / "canary" / "qemud-canaries")
    try:
        table = [json.loads(line) for line in
                 subprocess.run([canaries_cmd, "--json"], capture_output=True, text=True, check=True).stdout.splitlines()
                 if line.strip()]
    except (OSError, subprocess.CalledProcessError, ValueError) as e:
        fail_usage(f"cannot read the canary table from {canaries_cmd} --json: {e}")
    names = [row["name"] for row in table]
    if args.only:
        unknown = sorted(set(args.only) - set(names))
        if unknown:
            fail_usage(f"--only: no canary {', '.join(unknown)} (known: {' '.join(names)})")
        table = [row for row in table if row["name"] in args.only]
    try:
        fam = Families(args)
    except CannotRun as e:
        fail_usage(str(e))

    started = time.monotonic()
    # Every family must pass with no canary, or its kills mean nothing.
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        clean = {f: pool.submit(getattr(fam, f), None) for f in args.families}
        for f, future in clean.items():
            try:
                r = future.result()
            except CannotRun as e:
                fail_usage(str(e))
            if r.get("killed"):
                fail_usage(f"family {f} fails with no canary switched on: fix that first ({r})")
        print(f"detection: every family passes with no canary ({time.monotonic() - started:.0f} s)", flush=True)

        results = {}

        def run_all(keys):
            futures = {key: pool.submit(getattr(fam, key[1]), key[0]) for key in keys}
            done = 0
            for key, future in futures.items():
                try:
                    results[key] = future.result()
                except CannotRun as e:
                    fail_usage(str(e))
                done += 1
                if done % 10 == 0 or done == len(futures):
                    print(f"detection: {done}/{len(futures)} canary x family runs done "
                          f"({time.monotonic() - started:.0f} s)", flush=True)

        late = ["fuzz"] if args.fuzz_survivors_only and "fuzz" in args.families else []
        run_all([(row["name"], f) for row in table for f in args.families if f not in late])
        if late:
            # The small budget: fuzz only what nothing else caught, so the
            # check "every canary is killed by some family" stays whole.
            survivors = [row["name"] for row in table
                         if not any(results[(row["name"], f)].get("killed") for f in args.families if f != "fuzz")]
            for row in table:
                if row["name"] not in survivors:
                    results[(row["name"], "fuzz")] = {"skipped": "killed by another family (--fuzz-survivors-only)"}
            run_all([(name, "fuzz") for name in survivors])

    matrix = {
        "tool": "ci/detection.sh",
        "budget": {"random": args.random, "propertyScale": args.property_scale, "propertySeed": args.property_seed,
                   "fuzzRuns": args.fuzz_runs,
                   "fuzzSeconds": args.fuzz_seconds, "fuzzSeeds": args.fuzz_seeds,
                   "fuzzTargets": fam.fuzz_targets},
        "families": args.families,
        "canaries": {row["name"]: {"breaks": row.get("breaks", ""),
                                   "families": {f: results[(row["name"], f)] for f in args.families}}
                     for row in table},
    }
    text = markdown(matrix)
    write_atomically(Path(args.out) / "matrix.json", json.dumps(matrix, indent=1, sort_keys=False) + "\n")
    write_atomically(Path(args.out) / "matrix.md", text)
    print(text)

    status = 0
    for name, row in matrix["canaries"].items():
        cells = [c for c in row["families"].values() if ran(c)]
        if cells and not any(c["killed"] for c in cells):
            print(f"detection: FAIL canary {name} survives every family ({row['breaks']})")
            status = 1
    if args.baseline:
        try:
            base = json.loads(Path(args.baseline).read_text())
        except (OSError, ValueError) as e:
            fail_usage(f"--baseline {args.baseline}: {e}")
        # Fuzz findings depend on the budget: compare them only at the baseline's.
        fuzz_keys = ("fuzzRuns", "fuzzSeconds", "fuzzSeeds", "fuzzTargets")
        same_fuzz_budget = all(base.get("budget", {}).get(k) == matrix["budget"][k] for k in fuzz_keys)
        if "fuzz" in args.families and not same_fuzz_budget:
            print("detection: the fuzz column is not compared with the baseline: its budget differs")
        for name, row in base.get("canaries", {}).items():
            if name not in matrix["canaries"]:
                continue
            for f, cell in row.get("families", {}).items():
                if f == "fuzz" and not same_fuzz_budget:
                    continue
                now = matrix["canaries"][name]["families"].get(f)
                # A family not run now (not asked for, or n/a here) is no regression.
                if cell.get("killed") and ran(now) and not now.get("killed"):
                    print(f"detection: FAIL canary {name}: family {f} killed it in the baseline, now it survives")
                    status = 1
    print(f"detection: {'PASS' if status == 0 else 'FAIL'} ({time.monotonic() - started:.0f} s; "
          f"matrix in {Path(args.out) / 'matrix.md'})")
    return status


if __name__ == "__main__":
    sys.exit(main())
