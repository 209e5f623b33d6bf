#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""campaign_report_test.py: ci/lib/campaign_report.py on a canned libFuzzer
-fork log and canned AFL++ plot_data (testdata/campaign/): the progress.csv
rows, the per-target and campaign summary.json, the plots and index.html."""
import csv
import importlib.util
import json
import os
import shutil
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import campaign_report  # noqa: E402

DATA = os.path.join(HERE, "testdata", "campaign")
HAVE_MATPLOTLIB = importlib.util.find_spec("matplotlib") is not None


def load(path):
    with open(path) as f:
        return json.load(f)


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


class Parsers(unittest.TestCase):
    def test_libfuzzer_fork_lines(self):
        rows = campaign_report.parse_libfuzzer_log(os.path.join(DATA, "libfuzzer_fork.log"))
        self.assertEqual([r["time_s"] for r in rows], [1, 3, 6, 10])  # the garbled line is skipped
        self.assertEqual(rows[-1], {"engine": "libfuzzer", "time_s": 10, "execs": 90000, "execs_per_s": 8333.0,
                                    "coverage": 1531, "features": 3300, "corpus_size": 301, "crashes": 3})
        self.assertEqual(rows[1]["crashes"], 0)

    def test_libfuzzer_rounds(self):
        rows = campaign_report.parse_libfuzzer_log(os.path.join(DATA, "libfuzzer_rounds.log"))
        self.assertEqual([r["time_s"] for r in rows], [1, 59, 61, 118])
        self.assertEqual([r["execs"] for r in rows], [5000, 300000, 306000, 550000])
        self.assertEqual([r["crashes"] for r in rows], [1, 1, 1, 3])
        self.assertEqual(rows[-1]["coverage"], 1575)
        # The second round's first line counts part of the corpus: never below the first round's.
        self.assertEqual(rows[2]["coverage"], 1560)

    def test_libfuzzer_rounds_keep_the_largest_coverage(self):
        with tempfile.TemporaryDirectory() as tmp:
            log = os.path.join(tmp, "fuzz.log")
            with open(os.path.join(DATA, "libfuzzer_rounds.log")) as f, open(log, "w") as g:
                g.write(f.read().replace("#6000: cov: 1560 ft: 3500", "#6000: cov: 1200 ft: 3000"))
            rows = campaign_report.parse_libfuzzer_log(log)
            self.assertEqual((rows[2]["coverage"], rows[2]["features"]), (1540, 3400))

    def test_afl_plot_data(self):
        rows = campaign_report.parse_plot_data(os.path.join(DATA, "afl_plot_data"))
        self.assertEqual(len(rows), 3)  # the line cut short is skipped
        self.assertEqual(rows[2], {"engine": "afl", "time_s": 10, "execs": 16200, "execs_per_s": 1620.25,
                                   "coverage": 951, "features": "", "corpus_size": 290, "crashes": 1})

    def test_afl_instances_combined(self):
        a = campaign_report.parse_plot_data(os.path.join(DATA, "afl_plot_data"))
        b = campaign_report.parse_plot_data(os.path.join(DATA, "afl_plot_data_secondary"))
        rows = campaign_report.combine_instances([a, b])
        self.assertEqual([r["time_s"] for r in rows], [0, 1, 5, 6, 10])
        self.assertEqual([r["execs"] for r in rows], [277, 577, 7800, 14500, 23200])
        self.assertEqual(rows[3]["execs_per_s"], 2900.5)
        self.assertEqual(rows[4]["coverage"], 951)
        self.assertEqual(rows[4]["crashes"], 2)


class Reports(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.out = os.path.join(self.tmp, "campaign")
        self.dir = os.path.join(self.out, "header_fuzzer")
        afl = os.path.join(self.dir, "afl")
        for inst, plot in (("main", "afl_plot_data"), ("s1", "afl_plot_data_secondary")):
            os.makedirs(os.path.join(afl, inst))
            shutil.copy(os.path.join(DATA, plot), os.path.join(afl, inst, "plot_data"))
            with open(os.path.join(afl, inst, "fuzzer_stats"), "w") as f:
                f.write("execs_done        : %d\n" % (17000 if inst == "main" else 7100))
        shutil.copy(os.path.join(DATA, "libfuzzer_fork.log"), os.path.join(self.dir, "fuzz.log"))
        with open(os.path.join(self.dir, "afl-main.log"), "w") as f:
            f.write("afl-fuzz\n")
        os.makedirs(os.path.join(self.dir, "minimized"))
        crash = os.path.join(self.dir, "minimized", "header_fuzzer-group1-crash-1")
        with open(crash, "wb") as f:
            f.write(b"\x00")
        with open(os.path.join(self.dir, "findings.tsv"), "w") as f:
            f.write("2\tSUMMARY: AddressSanitizer: heap-buffer-overflow | decode \t%s\n" % crash)
        self.assertEqual(campaign_report.main([
            "target", self.dir, "--target", "header_fuzzer", "--engines", "libfuzzer,afl", "--seconds", "10",
            "--corpus-before", "277", "--corpus-after", "301", "--status", "finding",
            "--libfuzzer-log", os.path.join(self.dir, "fuzz.log"), "--afl-out", afl]), 0)

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_progress_csv(self):
        rows = read_csv(os.path.join(self.dir, "progress.csv"))
        self.assertEqual(list(rows[0].keys()), campaign_report.COLUMNS)
        self.assertEqual(sum(r["engine"] == "libfuzzer" for r in rows), 4)
        self.assertEqual(sum(r["engine"] == "afl" for r in rows), 5)
        self.assertEqual([int(r["time_s"]) for r in rows], sorted(int(r["time_s"]) for r in rows))

    def test_target_summary(self):
        s = load(os.path.join(self.dir, "summary.json"))
        self.assertEqual(s["engines"], ["libfuzzer", "afl"])
        self.assertEqual(s["per_engine"]["libfuzzer"]["total_execs"], 90000)
        self.assertEqual(s["per_engine"]["libfuzzer"]["features"], 3300)
        self.assertEqual(s["per_engine"]["afl"]["total_execs"], 24100)  # fuzzer_stats, not the last sample
        self.assertEqual(s["per_engine"]["afl"]["instances"], 2)
        self.assertEqual(s["per_engine"]["afl"]["final_execs_per_s"], 3020.25)
        self.assertEqual(s["total_execs"], 114100)
        self.assertEqual(s["per_engine"]["afl"]["average_execs_per_s"], 2410.0)
        self.assertEqual((s["corpus_before"], s["corpus_after"]), (277, 301))
        self.assertEqual(len(s["findings"]), 1)
        self.assertEqual(s["findings"][0]["count"], 2)

    def test_plots(self):
        for name in ("coverage.png", "execs_per_s.png"):
            path = os.path.join(self.dir, name)
            if HAVE_MATPLOTLIB:
                with open(path, "rb") as f:
                    self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")
            else:
                self.assertFalse(os.path.exists(path))
        s = load(os.path.join(self.dir, "summary.json"))
        self.assertEqual(bool(s["plots"]), HAVE_MATPLOTLIB)

    def test_campaign_index(self):
        os.makedirs(os.path.join(self.out, "coverage-html"))
        with open(os.path.join(self.out, "coverage-html", "index.html"), "w") as f:
            f.write("<html></html>")
        self.assertEqual(campaign_report.main(["campaign", self.out]), 0)
        s = load(os.path.join(self.out, "summary.json"))
        self.assertEqual([t["target"] for t in s["targets"]], ["header_fuzzer"])
        self.assertEqual(s["findings"], 1)
        self.assertEqual(s["coverage_report"], "coverage-html/index.html")
        with open(os.path.join(self.out, "index.html")) as f:
            page = f.read()
        for href in ("header_fuzzer/summary.json", "header_fuzzer/progress.csv", "header_fuzzer/fuzz.log",
                     "header_fuzzer/afl-main.log",
                     "coverage-html/index.html", "header_fuzzer/minimized/header_fuzzer-group1-crash-1"):
            self.assertIn('href="%s"' % href, page)
        if HAVE_MATPLOTLIB:
            self.assertIn('src="header_fuzzer/coverage.png"', page)


if __name__ == "__main__":
    unittest.main()
