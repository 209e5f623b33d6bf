// report.h: what a run found, as a human summary (stdout), a JSON report
// and JUnit XML (junit_report.cpp).
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "cases.h"
#include "executor.h"

namespace qemud::conform {

struct CaseRecord {
    const Case* c = nullptr;
    CaseResult result;
    std::string repro;  // one shell line rerunning just this case
    double seconds = 0;
};

struct RunReport {
    std::string implementation;  // hello's name, or the in-tree codec's
    std::string version;
    std::vector<CaseRecord> records;
    std::vector<std::string> stale_disabled;  // --disabled globs that matched nothing
    std::vector<std::string> notes;
    bool executed_none() const;  // every case skipped (or none at all)
    int failures() const;
};

// print_summary writes the per-message-type table, the acceptable outcomes,
// the failures (up to max_failures, each with its rerun line) and the
// verdict.
void print_summary(std::ostream& out, const RunReport& run, std::size_t max_failures);

// write_json / write_junit return an error text, or "" on success.
std::string write_json(const std::string& path, const std::vector<RunReport>& runs, int exit_code);
std::string write_junit(const std::string& path, const std::vector<RunReport>& runs);

}  // namespace qemud::conform
