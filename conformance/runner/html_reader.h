// SPDX-License-Identifier: Apache-2.0
// html_reader.h: reads a JSON report (docs/conform-report-v1.schema.json)
// one case at a time, for the HTML report: a report of a million cases is
// hundreds of megabytes as a document, but a case is a few hundred bytes,
// so the pages are rendered from a stream and memory does not grow with
// the number of cases.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace qemud::conform::html {

// ReportVisitor is told of each case of each run as it is read (run counts
// the runs of the report from 0), then of the run itself, its members other
// than its cases (name, version, notes, summary, interrupted). Either may
// return false to stop reading: the rest of the report is not needed.
struct ReportVisitor {
    std::function<bool(std::size_t run, const nlohmann::json& c)> on_case;
    std::function<bool(std::size_t run, const nlohmann::json& run_members)> on_run;
};

// visit_report reads path through the visitor and fills head with the
// document's members other than its runs (tool, reportVersion, ...), so
// that the caller can tell a report from another JSON file (when the
// visitor read to the end: a stop leaves it unset). Returns the
// error naming the path ("PATH:LINE:COLUMN: not valid JSON: ..." for a
// syntax error, as io::read_json says it), or nullopt.
std::optional<std::string> visit_report(const std::string& path, const ReportVisitor& visitor, nlohmann::json& head);

}  // namespace qemud::conform::html
