// SPDX-License-Identifier: Apache-2.0
// html_report.h: the HTML conformance report (--html DIR, --html-from):
// static pages rendered from one or more JSON reports
// (docs/conform-report-v1.schema.json), so that one view can cover runs
// made apart (the in-tree implementations, each shim, each live peer).
//
// DIR/index.html holds two matrices: message types x implementations
// (passed, failed and skipped counts, coloured by the worst) and policy
// flags x implementations (who accepts which acceptable vector); every cell
// links to DIR/impl-N.html, one page per implementation listing its cases,
// where a failing case shows the vector's comment and flags, both wires
// word by word under the golden layout's field paths (the first differing
// word marked), both values and the rerun line. Plain HTML with inline
// CSS: no script, no network.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace qemud::conform {

// html_json_path: the JSON report a run given --html DIR writes, and
// renders the pages from.
std::string html_json_path(const std::string& dir);

// prepare_html_dir makes DIR (and its parents) and checks that its pages
// can be written: the error line ("--html: ..."), or nullopt. Called before
// a run, so a typo costs nothing.
std::optional<std::string> prepare_html_dir(const std::string& dir);

// write_html_report reads the JSON reports case by case (memory does not
// grow with their size) and writes DIR's pages, each through
// io::OutputFile (whole or not at all). Returns the error, naming the
// file, or nullopt.
std::optional<std::string> write_html_report(const std::string& dir, const std::vector<std::string>& json_reports);

}  // namespace qemud::conform
