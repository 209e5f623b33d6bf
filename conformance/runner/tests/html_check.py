# SPDX-License-Identifier: Apache-2.0
"""html_check.py: checks an HTML conformance report (qemud-conform --html)
against the JSON reports it was rendered from: every matrix cell's counts,
both the data attributes and the text a reader sees, equal the counts of
the JSON reports' cases, and the page needs nothing from elsewhere (no
script, no address off the folder).

Shared by runner_test.py (the file as written) and report_browser_test.py
(the DOM as Chromium built it).
"""

import collections
import html.parser
import re

STATUSES = ("passed", "failed", "skipped", "accepted", "rejected")


class _Cells(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.impls = []        # summary rows' implementation names, in column order
        self.totals = []       # and their counts
        self.cells = []        # (attributes, text)
        self.offsite = []      # src/href leaving the folder
        self.scripts = 0
        self._cell = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self.scripts += 1
        for key in ("src", "href"):
            if key in a and re.match(r"^([a-z]+:|//)", a[key] or "", re.I):
                self.offsite.append(a[key])
        if tag == "tr" and "impl" in (a.get("class") or "").split():
            self.impls.append(a.get("data-implementation"))
            self.totals.append({s: int(a.get("data-" + s, -1)) for s in STATUSES})
        if tag == "td" and "cell" in (a.get("class") or "").split():
            self._cell = [a, ""]

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[1] += data

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            self.cells.append((self._cell[0], self._cell[1].strip()))
            self._cell = None


def expected_counts(docs):
    """(implementation names in order, {(impl, group): Counter}, {(impl, flags): Counter}, {impl: Counter})
    from JSON reports,
    naming a repeated implementation 'NAME (2)' as the pages do."""
    names, seen = [], collections.Counter()
    groups, flags, totals = (collections.defaultdict(collections.Counter) for _ in range(3))
    for doc in docs:
        for run in doc["runs"]:
            name = run["implementation"]
            seen[name] += 1
            if seen[name] > 1:
                name += " (%d)" % seen[name]
            names.append(name)
            for c in run["cases"]:
                totals[name][c["status"]] += 1
                groups[(name, c.get("messageType", c.get("family")))][c["status"]] += 1
                if c["status"] in ("accepted", "rejected"):
                    flags[(name, ",".join(c.get("flags", [])) or "(no flags)")][c["status"]] += 1
    return names, groups, flags, totals


def check_html(text, docs):
    """Problems (strings) of index.html's text against the JSON report documents."""
    parser = _Cells()
    parser.feed(text)
    problems = []
    if parser.scripts:
        problems.append("the page holds %d <script> elements" % parser.scripts)
    if parser.offsite:
        problems.append("the page links off its folder: %s" % parser.offsite[:3])
    names, groups, flags, totals = expected_counts(docs)
    if parser.impls != names:
        problems.append("implementations %s, the JSON reports have %s" % (parser.impls, names))
        return problems
    for name, got in zip(names, parser.totals):
        want = {s: totals[name].get(s, 0) for s in STATUSES}
        if got != want:
            problems.append("summary row %s: the page counts %s, the JSON report %s" % (name, got, want))
    shown = {"group": {}, "flags": {}}
    for attrs, cell_text in parser.cells:
        kind = "group" if "data-group" in attrs else "flags"
        impl = names[int(attrs["data-impl"])]
        counts = {s: int(attrs["data-" + s]) for s in STATUSES}
        shown[kind][(impl, attrs["data-" + kind])] = counts
        numbers = [int(n) for n in re.findall(r"\d+", cell_text)]
        if kind == "group":
            want = [counts["passed"] + counts["accepted"] + counts["rejected"], counts["failed"], counts["skipped"]]
        else:
            want = [counts["accepted"], counts["rejected"]]
        if sum(counts.values()) == 0:
            want = []
        if numbers != want:
            problems.append("cell %s %s reads %r, its counts are %s" % (impl, attrs["data-" + kind], cell_text, counts))
    for kind, expected in (("group", groups), ("flags", flags)):
        for key, counter in expected.items():
            got = shown[kind].get(key)
            want = {s: counter.get(s, 0) for s in STATUSES}
            if got != want:
                problems.append("%s cell %s: the page counts %s, the JSON report %s" % (kind, key, got, want))
        for key, got in shown[kind].items():
            if key not in expected and sum(got.values()):
                problems.append("%s cell %s counts %s, the JSON report has no such case" % (kind, key, got))
    if not shown["group"]:
        problems.append("no message type matrix cell on the page")
    return problems
