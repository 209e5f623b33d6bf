// SPDX-License-Identifier: Apache-2.0
// report.h: what a run found, as a human summary (stdout), a JSON report
// (report.cpp) and JUnit XML (junit_report.cpp).
//
// Memory does not grow with the number of cases: a RunReport keeps tallies
// (per message type, per acceptable flag set, per skip reason) and the first
// failures the summary lists; every case goes to the report files as it
// finishes, and the files still hold every case.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "cases.h"
#include "executor.h"
#include "options.h"
#include "report_output.h"

namespace qemud::conform {

struct Tally {
    int passed = 0, failed = 0, skipped = 0, accepted = 0, rejected = 0;
    void add(Status s);
    int total() const { return passed + failed + skipped + accepted + rejected; }
};

// FailureLine is one failure as the summary lists it.
struct FailureLine {
    std::string name, message_type, reason, repro;
};

struct RunReport {
    std::string implementation;  // hello's name, or the in-tree codec's
    std::string version;
    std::string group_title = "message type";  // what by_type groups by ("case family" for --connect)
    std::vector<std::string> stale_disabled;  // --disabled globs that matched nothing
    std::vector<std::string> notes;
    bool interrupted = false;  // a signal cut this run short: the reports hold the cases that finished

    Tally all;
    std::vector<std::string> type_order;  // message types in the order the cases came (protocol order)
    std::map<std::string, Tally> by_type;
    Tally refusals;  // values to refuse: their own row, "refuses bad values", not their message type's
    std::map<std::string, std::pair<int, int>> acceptable;  // flags -> accepted, rejected
    std::map<std::string, int> skip_reasons;
    std::vector<FailureLine> failures;  // the first max_failures
    double seconds = 0;

    // add counts one finished case, keeping its failure line if fewer than
    // keep_failures are kept.
    void add(const Case& c, const CaseResult& result, const std::string& repro, std::size_t keep_failures);
    int executed = 0;  // cases not skipped (counted before --require-all turns skips into failures)
    bool executed_none() const { return executed == 0; }  // every case skipped (or none at all)
    int failure_count() const { return all.failed; }
};

// print_summary writes the per-message-type table, the acceptable outcomes,
// the failures (up to max_failures, each with its rerun line) and the
// verdict.
void print_summary(std::ostream& out, const RunReport& run, std::size_t max_failures);

// judge_runs prints each run's summary and verdict line and returns the
// exit status: 2 if could_not_run or a run executed no case, else 1 if a
// case failed, else 0; 128 + signal when a signal cut the run short (the
// reports hold the cases that finished).
int judge_runs(std::ostream& out, const std::vector<RunReport>& runs, bool could_not_run, int signal,
               std::size_t max_failures);

// Verdict is what the whole run came to.
struct Verdict {
    int exit_code = 0;
    int signal = 0;  // the signal that interrupted the run, or 0
};

// ReportWriter is one report file (JSON or JUnit) written as cases finish,
// through ReportOutput: the file (or, for "-", standard output) gets it
// whole at finish(); on any failure, or if finish() is never reached, the
// old file stays and standard output gets nothing. Every error names the
// option and the path.
class ReportWriter {
public:
    virtual ~ReportWriter() = default;
    virtual std::optional<std::string> open() = 0;
    virtual void begin_run(const RunReport& run) = 0;
    virtual void add_case(const Case& c, const CaseResult& result, const std::string& repro, double seconds) = 0;
    virtual void end_run(const RunReport& run) = 0;
    virtual std::optional<std::string> finish(const Verdict& verdict) = 0;
    // temporary is the path being written, for the signal handler to remove.
    virtual const std::string& temporary() const = 0;
};

// RunInfo is what both report files say about the run as a whole: what
// was run (tool version, protocol hash, the vectors' protocol hash, the
// command line, seed and random count), where and when.
struct RunInfo {
    std::vector<std::string> arguments;
    // The protocolSha256 of the golden vector files the run read, if any
    // (--no-golden and --listen read none).
    std::optional<std::string> vectors_sha256;
    std::uint64_t seed = 1;
    std::size_t random = 0;
    std::string start_time;  // ISO 8601, UTC, to the second
    std::string hostname;
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
    double elapsed() const;
};
RunInfo run_info(const Options& options);

// summary_stream is where the human summary goes: standard output, or
// standard error when a report is written to standard output ("-"), so
// that standard output holds exactly the report.
std::ostream& summary_stream(const Options& options);

std::unique_ptr<ReportWriter> make_json_report(const std::string& path, const RunInfo& info);
std::unique_ptr<ReportWriter> make_junit_report(const std::string& path, const RunInfo& info);

}  // namespace qemud::conform
