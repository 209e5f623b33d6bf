#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""campaign_report.py: what ci/fuzz_campaign.sh leaves for people to read.

    campaign_report.py target DIR --target NAME --engines ENGINES --seconds S
                       --corpus-before N --corpus-after M
                       [--libfuzzer-log LOG] [--afl-out DIR]...
    campaign_report.py campaign OUT

`target` writes, into the target's campaign folder DIR:
  progress.csv  engine, time_s, execs, execs_per_s, coverage, features,
                corpus_size, crashes: one row per engine per sample, from
                libFuzzer's -fork status lines (`#N: cov: X ft: Y corp: Z
                exec/s W oom/timeout/crash: a/b/c time: Ts`) and AFL++'s
                plot_data (every instance under each --afl-out, summed per
                second: execs and exec/s added, coverage and corpus the
                largest). The two engines count coverage differently
                (libFuzzer: its coverage counters; AFL++: edges of its map),
                so their rows are never mixed.
  summary.json  the engines, seconds, total execs, final and average exec/s,
                coverage and features per engine, the corpus before and after, and the
                finding groups (DIR/findings.tsv: count, key, minimized file).
  coverage.png, execs_per_s.png  over time, one line per engine (matplotlib,
                Agg backend; left out with a note in summary.json when
                matplotlib is missing).
`campaign` writes OUT/summary.json (every target's summary, the totals and
the coverage report when there is one) and OUT/index.html, which links every
target's plots, summary, minimized findings and logs, and
coverage-html/index.html.
"""
import argparse
import csv
import html
import json
import os
import re
import sys

COLUMNS = ["engine", "time_s", "execs", "execs_per_s", "coverage", "features", "corpus_size", "crashes"]

# libFuzzer's -fork status line (FuzzerFork.cpp); "exec/s" is followed by a
# colon in the non-fork lines, so both spellings are taken.
FORK_LINE = re.compile(
    r"^#(?P<execs>\d+): cov: (?P<cov>\d+) ft: (?P<ft>\d+) corp: (?P<corp>\d+) exec/s:? (?P<eps>\d+)"
    r"(?: oom/timeout/crash: (?P<oom>\d+)/(?P<timeout>\d+)/(?P<crash>\d+))?.*? time: (?P<time>\d+)s?")


# ci/fuzz_campaign.sh --engine both runs libFuzzer in rounds (each start
# reads the afl-fuzz queues afresh) and marks each in the log: the rounds'
# times and counts go on from where the last one stopped.
ROUND_LINE = re.compile(r"^qemud-campaign: round at (?P<at>\d+)s")


def parse_libfuzzer_log(path):
    """Rows of one libFuzzer -fork log (one run or rounds), in order. From
    the second round on, coverage and features are the largest so far: a
    round starts by loading the corpus again, and its first lines count only
    what it has loaded."""
    rows = []
    base_time = base_execs = base_crashes = 0
    rounds = 0
    last = None
    with open(path, errors="replace") as f:
        for line in f:
            r = ROUND_LINE.match(line)
            if r:
                base_time = int(r.group("at"))
                rounds += 1
                if last:
                    base_execs, base_crashes = last["execs"], last["crashes"]
                continue
            m = FORK_LINE.match(line)
            if not m:
                continue
            crashes = sum(int(m.group(k) or 0) for k in ("oom", "timeout", "crash"))
            last = {"engine": "libfuzzer", "time_s": base_time + int(m.group("time")),
                    "execs": base_execs + int(m.group("execs")), "execs_per_s": float(m.group("eps")),
                    "coverage": int(m.group("cov")), "features": int(m.group("ft")),
                    "corpus_size": int(m.group("corp")), "crashes": base_crashes + crashes}
            if rounds > 1 and rows:
                last["coverage"] = max(last["coverage"], rows[-1]["coverage"])
                last["features"] = max(last["features"], rows[-1]["features"])
            rows.append(last)
    return rows


def parse_plot_data(path):
    """Rows of one AFL++ instance's plot_data (header line names the columns)."""
    rows = []
    names = None
    with open(path, errors="replace") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            if line.startswith("#"):
                names = [n.strip() for n in line.lstrip("# ").split(",")]
                continue
            if names is None:
                continue
            values = dict(zip(names, (v.strip() for v in line.split(","))))
            try:
                rows.append({"engine": "afl", "time_s": int(values["relative_time"]),
                             "execs": int(values["total_execs"]), "execs_per_s": float(values["execs_per_sec"]),
                             "coverage": int(values["edges_found"]), "features": "",
                             "corpus_size": int(values["corpus_count"]),
                             "crashes": int(values["saved_crashes"]) + int(values["saved_hangs"])})
            except (KeyError, ValueError):
                continue  # a line cut short while afl-fuzz was writing it
    return rows


def combine_instances(series):
    """One AFL++ series from several instances: at every second any of them
    sampled, each instance's latest row (before that second) counts."""
    series = [s for s in series if s]
    if len(series) <= 1:
        return series[0] if series else []
    times = sorted({r["time_s"] for s in series for r in s})
    out = []
    for t in times:
        latest = [next((r for r in reversed(s) if r["time_s"] <= t), None) for s in series]
        latest = [r for r in latest if r]
        out.append({"engine": "afl", "time_s": t, "execs": sum(r["execs"] for r in latest),
                    "execs_per_s": round(sum(r["execs_per_s"] for r in latest), 2),
                    "coverage": max(r["coverage"] for r in latest), "features": "",
                    "corpus_size": max(r["corpus_size"] for r in latest),
                    "crashes": sum(r["crashes"] for r in latest)})
    return out


def afl_instances(afl_out):
    """The instance folders of one afl-fuzz -o directory (main, secondaries)."""
    if not os.path.isdir(afl_out):
        return []
    return sorted(os.path.join(afl_out, d) for d in os.listdir(afl_out)
                  if os.path.isfile(os.path.join(afl_out, d, "plot_data")))


def read_stats(path):
    stats = {}
    if os.path.isfile(path):
        with open(path, errors="replace") as f:
            for line in f:
                if ":" in line:
                    k, v = line.split(":", 1)
                    stats[k.strip()] = v.strip()
    return stats


def write_progress(path, rows):
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS)
        w.writeheader()
        for r in rows:
            w.writerow(r)


def read_findings(path):
    """findings.tsv: count TAB key TAB minimized file, one group a line."""
    groups = []
    if os.path.isfile(path):
        with open(path, errors="replace") as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) == 3:
                    groups.append({"count": int(parts[0]), "key": parts[1], "minimized": parts[2]})
    return groups


def plot(rows, target, directory):
    """coverage.png and execs_per_s.png; the files written, or an error string."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as e:
        return [], "no plots: %s (apt-get install python3-matplotlib; ci/setup.sh does)" % e
    written = []
    engines = sorted({r["engine"] for r in rows})
    for column, title, name in (("coverage", "coverage", "coverage.png"),
                                ("execs_per_s", "exec/s", "execs_per_s.png")):
        fig, ax = plt.subplots(figsize=(7, 3.5), dpi=100)
        for e in engines:
            pts = [(r["time_s"], r[column]) for r in rows if r["engine"] == e]
            label = e + (" (edges)" if e == "afl" and column == "coverage" else
                         " (counters)" if column == "coverage" else "")
            ax.plot([p[0] for p in pts], [p[1] for p in pts], marker=".", label=label)
        ax.set_xlabel("time (s)")
        ax.set_ylabel(title)
        ax.set_title("%s: %s" % (target, title))
        ax.grid(True, alpha=0.3)
        if engines:
            ax.legend()
        fig.tight_layout()
        fig.savefig(os.path.join(directory, name))
        plt.close(fig)
        written.append(name)
    return written, None


def engine_summary(rows, engine, seconds, stats=None):
    mine = [r for r in rows if r["engine"] == engine]
    last = mine[-1] if mine else {}
    s = {"samples": len(mine), "total_execs": last.get("execs", 0), "final_execs_per_s": last.get("execs_per_s", 0),
         "coverage": last.get("coverage", 0), "features": last.get("features") if engine == "libfuzzer" else None,
         "corpus_size": last.get("corpus_size", 0), "crashes": last.get("crashes", 0)}
    if stats:
        # fuzzer_stats is the final word on the totals (plot_data samples
        # every few seconds).
        execs = sum(int(st.get("execs_done", 0) or 0) for st in stats)
        if execs:
            s["total_execs"] = execs
        s["instances"] = len(stats)
    # The whole run's rate: the last sample's is one moment of it.
    s["average_execs_per_s"] = round(s["total_execs"] / seconds, 1) if seconds else 0
    return s


def target_report(args):
    d = args.dir
    rows = []
    if args.libfuzzer_log and os.path.isfile(args.libfuzzer_log):
        rows += parse_libfuzzer_log(args.libfuzzer_log)
    stats = []
    afl_series = []
    for out in args.afl_out or []:
        for inst in afl_instances(out):
            afl_series.append(parse_plot_data(os.path.join(inst, "plot_data")))
            stats.append(read_stats(os.path.join(inst, "fuzzer_stats")))
    rows += combine_instances(afl_series)
    rows.sort(key=lambda r: (r["time_s"], r["engine"]))
    write_progress(os.path.join(d, "progress.csv"), rows)
    plots, note = plot(rows, args.target, d)
    engines = args.engines.split(",")
    summary = {
        "target": args.target, "engines": engines, "seconds": args.seconds,
        "per_engine": {e: engine_summary(rows, e, args.seconds, stats if e == "afl" else None) for e in engines},
        "corpus_before": args.corpus_before, "corpus_after": args.corpus_after,
        "findings": read_findings(os.path.join(d, "findings.tsv")),
        "status": args.status, "progress": "progress.csv", "plots": plots,
    }
    summary["total_execs"] = sum(v["total_execs"] for v in summary["per_engine"].values())
    if note:
        summary["note"] = note
    with open(os.path.join(d, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2)
        f.write("\n")
    return 0


def link(href, text=None):
    return '<a href="%s">%s</a>' % (html.escape(href, quote=True), html.escape(text or href))


def campaign_report(args):
    out = args.out
    targets = []
    for name in sorted(os.listdir(out)):
        p = os.path.join(out, name, "summary.json")
        if os.path.isfile(p):
            with open(p) as f:
                targets.append(json.load(f))
    coverage = os.path.isfile(os.path.join(out, "coverage-html", "index.html"))
    summary = {"folder": os.path.abspath(out), "targets": targets,
               "total_execs": sum(t.get("total_execs", 0) for t in targets),
               "findings": sum(len(t.get("findings", [])) for t in targets),
               "coverage_report": "coverage-html/index.html" if coverage else None}
    if os.path.isfile(os.path.join(out, "coverage.txt")):
        with open(os.path.join(out, "coverage.txt")) as f:
            lines = [l for l in f.read().splitlines() if l.strip()]
        summary["coverage_total"] = lines[-1] if lines else None
    with open(os.path.join(out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2)
        f.write("\n")

    h = ["<!DOCTYPE html>", "<html><head><meta charset=\"utf-8\"><title>fuzz campaign %s</title>"
         % html.escape(os.path.basename(os.path.abspath(out))),
         "<style>body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse}"
         "td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}img{max-width:48%}</style></head><body>",
         "<h1>fuzz campaign %s</h1>" % html.escape(os.path.basename(os.path.abspath(out))),
         "<p>%s, %d target(s), %d execs, %d finding group(s)%s</p>" % (
             link("summary.json"), len(targets), summary["total_execs"], summary["findings"],
             ", coverage report: " + link("coverage-html/index.html") if coverage else ", no coverage report"),
         "<table><tr><th>target</th><th>engines</th><th>seconds</th><th>execs</th><th>exec/s (average)</th>"
         "<th>coverage</th><th>corpus</th><th>findings</th><th>status</th></tr>"]
    for t in targets:
        name = t["target"]
        pe = t.get("per_engine", {})
        eps = ", ".join("%s %s" % (e, v.get("average_execs_per_s")) for e, v in pe.items())
        cov = ", ".join("%s %s" % (e, v.get("coverage")) for e, v in pe.items())
        h.append("<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s &rarr; %s</td>"
                 "<td>%d</td><td>%s</td></tr>" % (
                     link("#" + name, name), html.escape(", ".join(t.get("engines", []))), t.get("seconds"),
                     t.get("total_execs"), html.escape(eps), html.escape(cov), t.get("corpus_before"),
                     t.get("corpus_after"), len(t.get("findings", [])), html.escape(str(t.get("status", "")))))
    h.append("</table>")
    for t in targets:
        name = t["target"]
        h.append('<h2 id="%s">%s</h2>' % (html.escape(name, quote=True), html.escape(name)))
        files = [link(name + "/summary.json", "summary.json"), link(name + "/progress.csv", "progress.csv")]
        tdir = os.path.join(out, name)
        logs = ["fuzz.log"] + sorted(f for f in os.listdir(tdir) if f.startswith("afl-") and f.endswith(".log"))
        for log in logs + ["merge.log"]:
            if os.path.isfile(os.path.join(tdir, log)):
                files.append(link(name + "/" + log, log))
        h.append("<p>%s</p>" % " &middot; ".join(files))
        if t.get("note"):
            h.append("<p>%s</p>" % html.escape(t["note"]))
        for p in t.get("plots", []):
            h.append('<img src="%s" alt="%s">' % (html.escape(name + "/" + p, quote=True), html.escape(p)))
        if t.get("findings"):
            h.append("<ul>")
            for g in t["findings"]:
                rel = os.path.relpath(g["minimized"], out) if os.path.isabs(g["minimized"]) else g["minimized"]
                h.append("<li>x%d %s: %s</li>" % (g["count"], html.escape(g["key"]), link(rel)))
            h.append("</ul>")
        else:
            h.append("<p>no findings</p>")
    h.append("</body></html>")
    with open(os.path.join(out, "index.html"), "w") as f:
        f.write("\n".join(h) + "\n")
    return 0


def main(argv=None):
    p = argparse.ArgumentParser(description="ci/fuzz_campaign.sh's progress, summaries, plots and index")
    sub = p.add_subparsers(dest="command", required=True)
    t = sub.add_parser("target")
    t.add_argument("dir")
    t.add_argument("--target", required=True)
    t.add_argument("--engines", required=True)
    t.add_argument("--seconds", type=int, required=True)
    t.add_argument("--corpus-before", type=int, default=0)
    t.add_argument("--corpus-after", type=int, default=0)
    t.add_argument("--status", default="ok")
    t.add_argument("--libfuzzer-log")
    t.add_argument("--afl-out", action="append")
    c = sub.add_parser("campaign")
    c.add_argument("out")
    args = p.parse_args(argv)
    return target_report(args) if args.command == "target" else campaign_report(args)


if __name__ == "__main__":
    sys.exit(main())
