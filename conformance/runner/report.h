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
    bool interrupted = false;  // a signal cut this run short: records hold the cases that finished
    bool executed_none() const;  // every case skipped (or none at all)
    int failures() const;
};

// print_summary writes the per-message-type table, the acceptable outcomes,
// the failures (up to max_failures, each with its rerun line) and the
// verdict.
void print_summary(std::ostream& out, const RunReport& run, std::size_t max_failures);

// Verdict is what the whole run came to.
struct Verdict {
    int exit_code = 0;
    int signal = 0;  // the signal that interrupted the run, or 0
};

// write_json / write_junit write the report through io::OutputFile (a
// temporary renamed into place: a failed write leaves no partial file).
// They return an error text naming the option and the path, or "".
std::string write_json(const std::string& path, const std::vector<RunReport>& runs, const Verdict& verdict);
std::string write_junit(const std::string& path, const std::vector<RunReport>& runs, const Verdict& verdict);

}  // namespace qemud::conform
