#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# campaign_smoke.sh: ctest fuzz_campaign_smoke. A tiny campaign of both
# engines on binaries already built (ci/fuzz_campaign.sh --engine both -t 8
# -j 2 --no-build --no-coverage header_fuzzer: the libFuzzer target from
# QEMUD_FUZZ_BIN_DIR, the AFL++ one from QEMUD_AFL_BIN_DIR, the custom
# mutator from build-afl-mutator/), then checks what it left: progress.csv
# with rows of both engines, summary.json naming both, index.html, a merged
# corpus, and the plots when matplotlib is there. Exit 0 when all holds.
set -euo pipefail
cd "$(dirname "$0")/../.."
t=header_fuzzer
for f in "${QEMUD_FUZZ_BIN_DIR:?}/$t" "${QEMUD_AFL_BIN_DIR:?}/$t" build-afl-mutator/fuzz/libqemud_afl_mutator.so; do
  [ -f "$f" ] || { echo "campaign_smoke: $f is not built (ctest fuzz_ossfuzz_local and fuzz_afl_smoke build them)"; exit 1; }
done
# ctest's own campaign folder (fuzz-campaign-smoke/) keeps only the last run.
if [ "$(basename "${QEMUD_FUZZ_BUILD_DIR:-}")" = fuzz-campaign-smoke ]; then rm -rf "$QEMUD_FUZZ_BUILD_DIR/campaign"; fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
rc=0
bash ci/fuzz_campaign.sh --engine both -t 8 -j 2 --no-build --no-coverage "$t" 2>&1 | tee "$log" || rc=$?
[ "$rc" -eq 0 ] || { echo "campaign_smoke: FAIL: fuzz_campaign.sh exit $rc"; exit 1; }
out=$(sed -n 's/.*; output in //p' "$log" | head -n 1)
py=python3
for p in python3 /usr/bin/python3; do if "$p" -c 'import matplotlib' 2>/dev/null; then py=$p; break; fi; done
"$py" - "$out" "$t" <<'PY'
import csv, importlib.util, json, os, sys
out, t = sys.argv[1], sys.argv[2]
d = os.path.join(out, t)
problems = []
with open(os.path.join(d, "progress.csv"), newline="") as f:
    engines = {r["engine"] for r in csv.DictReader(f)}
if engines != {"libfuzzer", "afl"}:
    problems.append("progress.csv has rows of %s, not of both engines" % sorted(engines))
with open(os.path.join(d, "summary.json")) as f:
    s = json.load(f)
if s["engines"] != ["libfuzzer", "afl"] or not all(s["per_engine"][e]["total_execs"] > 0 for e in s["engines"]):
    problems.append("summary.json: %r" % s.get("per_engine"))
if not os.listdir(os.path.join(d, "corpus")):
    problems.append("the merged corpus is empty")
if importlib.util.find_spec("matplotlib") and not all(os.path.isfile(os.path.join(d, p)) for p in ("coverage.png", "execs_per_s.png")):
    problems.append("no plots")
for f in ("index.html", "summary.json"):
    if not os.path.isfile(os.path.join(out, f)):
        problems.append("no campaign %s" % f)
for p in problems:
    print("campaign_smoke: FAIL: " + p)
if not problems:
    pe = s["per_engine"]
    print("campaign_smoke: PASS: libFuzzer %s execs, afl %s execs, corpus %s -> %s" % (
        pe["libfuzzer"]["total_execs"], pe["afl"]["total_execs"], s["corpus_before"], s["corpus_after"]))
sys.exit(1 if problems else 0)
PY
