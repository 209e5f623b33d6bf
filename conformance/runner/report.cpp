// SPDX-License-Identifier: Apache-2.0
#include "report.h"

#include <ctime>
#include <unistd.h>

#include "version/version.h"

#include <iomanip>
#include <iostream>

namespace qemud::conform {

void Tally::add(Status s) {
    switch (s) {
        case Status::passed: ++passed; break;
        case Status::failed: ++failed; break;
        case Status::skipped: ++skipped; break;
        case Status::accepted: ++accepted; break;
        case Status::rejected: ++rejected; break;
    }
}

void RunReport::add(const Case& c, const CaseResult& result, const std::string& repro, std::size_t keep_failures) {
    all.add(result.status);
    if (!c.has_wire && !c.conversation) {
        refusals.add(result.status);
    } else {
        auto [it, fresh] = by_type.try_emplace(c.message_type);
        if (fresh) type_order.push_back(c.message_type);
        it->second.add(result.status);
    }
    if (result.status == Status::accepted || result.status == Status::rejected) {
        std::string flags;
        for (const auto& f : c.flags) flags += (flags.empty() ? "" : ",") + f;
        auto& [acc, rej] = acceptable[flags.empty() ? "(no flags)" : flags];
        (result.status == Status::accepted ? acc : rej)++;
    }
    if (result.status == Status::skipped) ++skip_reasons[result.reason];
    if (result.status == Status::failed && failures.size() < keep_failures)
        failures.push_back({c.name, c.message_type, result.reason, repro});
}

void print_summary(std::ostream& out, const RunReport& run, std::size_t max_failures) {
    const Tally& all = run.all;
    out << "qemud-conform: " << run.implementation << (run.version.empty() ? "" : " " + run.version) << ": "
        << all.total() << " cases: " << all.passed << " passed, " << all.failed << " failed, " << all.skipped
        << " skipped, " << (all.accepted + all.rejected) << " acceptable (" << all.accepted << " accepted, "
        << all.rejected << " rejected)\n";

    out << "  " << std::left << std::setw(44) << run.group_title << std::right << std::setw(8) << "passed"
        << std::setw(8) << "failed" << std::setw(8) << "skipped" << std::setw(10) << "accepted" << std::setw(10)
        << "rejected" << "\n";
    const auto row = [&out](const std::string& title, const Tally& t) {
        out << "  " << std::left << std::setw(44) << title << std::right << std::setw(8) << t.passed << std::setw(8)
            << t.failed << std::setw(8) << t.skipped << std::setw(10) << t.accepted << std::setw(10) << t.rejected
            << (t.failed ? "  FAIL" : "") << "\n";
    };
    for (const auto& type : run.type_order) row(type, run.by_type.at(type));
    if (run.refusals.total()) row("refuses bad values", run.refusals);

    // Acceptable outcomes, by flags: what the implementation chose.
    if (!run.acceptable.empty()) {
        out << "acceptable vectors (either outcome passes):\n";
        for (const auto& [flags, counts] : run.acceptable)
            out << "  " << flags << ": " << counts.first << " accepted, " << counts.second << " rejected\n";
    }
    if (!run.skip_reasons.empty()) {
        out << "skipped:\n";
        for (const auto& [reason, n] : run.skip_reasons) out << "  " << n << " x " << reason << "\n";
    }
    for (const auto& glob : run.stale_disabled)
        out << "warning: --disabled glob '" << glob << "' matches no case (stale?)\n";
    for (const auto& note : run.notes) out << "note: " << note << "\n";

    if (run.interrupted)
        out << "interrupted: the run was stopped by a signal; these are the " << all.total()
            << " cases that finished\n";
    if (all.failed) {
        out << "failures:\n";
        std::size_t shown = 0;
        for (const auto& f : run.failures) {
            if (shown++ == max_failures) break;
            // A reason's further lines (a shim's stderr) line up under it.
            std::string reason = f.reason;
            for (std::size_t at = 0; (at = reason.find('\n', at)) != std::string::npos; at += 8)
                reason.insert(at + 1, "       ");
            out << "  FAIL " << f.name << " [" << f.message_type << "] " << reason << "\n"
                << "       rerun: " << f.repro << "\n";
        }
        if (static_cast<std::size_t>(all.failed) > max_failures)
            out << "  ... and " << (all.failed - static_cast<int>(max_failures)) << " more (see --json or --junit)\n";
    }
}

namespace {

std::string dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

// add_failure_detail: what a failing codec case expected and what the
// implementation answered, with the vector's layout, so that a report
// (the HTML one) can show the two wires word by word.
void add_failure_detail(Json& j, const Case& c, const CaseResult& result) {
    if (!c.comment.empty()) j["comment"] = c.comment;
    if (c.has_wire) j["expectedWire"] = c.canonical_wire ? *c.canonical_wire : c.wire;
    if (c.has_wire && c.canonical_wire) j["wire"] = c.wire;  // a decode-only vector: what the decoder was given
    if (result.actual_wire) j["actualWire"] = *result.actual_wire;
    if (c.value) j["expectedValue"] = *c.value;
    if (result.actual_value) j["actualValue"] = *result.actual_value;
    if (!c.layout.empty()) {
        Json layout = Json::array();
        for (const auto& span : c.layout) layout.push_back(Json::array({span.offset, span.length, span.path}));
        j["layout"] = std::move(layout);
    }
}

// JsonReport writes the document member by member: the runs and their
// cases first, as they finish, then the verdict, known only at the end.
class JsonReport : public ReportWriter {
public:
    JsonReport(const std::string& path, RunInfo info) : out_("--json", path), info_(std::move(info)) {}

    std::optional<std::string> open() override {
        if (auto error = out_.open()) return error;
        // The format is docs/conform-report-v1.schema.json; reportVersion
        // changes when a member is removed or changes meaning.
        const Json head = {{"tool", "qemud-conform"},
                           {"reportVersion", 1},
                           {"toolVersion", std::string(project_version())},
                           {"gitDescribe", std::string(git_describe())},
                           {"protocolSha256", std::string(build_protocol_sha256())},
                           {"vectorsProtocolSha256",
                            info_.vectors_sha256 ? Json(*info_.vectors_sha256) : Json(nullptr)},
                           {"arguments", info_.arguments},
                           {"seed", info_.seed},
                           {"random", info_.random},
                           {"startTime", info_.start_time},
                           {"hostname", info_.hostname},
                           {"shimProtocolVersion", 1}};
        const std::string text = dump(head);
        out_.append(text.substr(0, text.size() - 1) + ", \"runs\": [");  // the object stays open for the runs
        return std::nullopt;
    }
    void begin_run(const RunReport& run) override {
        out_.append(std::string(runs_++ ? "," : "") + "\n {\"implementation\": " + dump(run.implementation) +
                    ", \"version\": " + dump(run.version) + ", \"notes\": " + dump(run.notes) +
                    ",\n  \"cases\": [");
        cases_ = 0;
    }
    void add_case(const Case& c, const CaseResult& result, const std::string& repro, double) override {
        Json j = c.conversation ? Json{{"name", c.name},
                                       {"kind", "conversation"},
                                       {"family", c.message_type},
                                       {"status", std::string(to_string(result.status))}}
                                : Json{{"name", c.name},
                                       {"kind", std::string(to_string(c.kind))},
                                       {"messageType", c.message_type},
                                       {"expected", std::string(to_string(c.expect))},
                                       {"status", std::string(to_string(result.status))},
                                       {"flags", c.flags}};
        if (!result.reason.empty()) j["reason"] = result.reason;
        if (result.status == Status::failed) {
            j["repro"] = repro;
            if (!c.conversation) add_failure_detail(j, c, result);
        }
        out_.append(std::string(cases_++ ? ",\n   " : "\n   ") + dump(j));
    }
    void end_run(const RunReport& run) override {
        const Tally& t = run.all;
        const Json summary = {{"cases", t.total()},       {"passed", t.passed},     {"failed", t.failed},
                              {"skipped", t.skipped},     {"accepted", t.accepted}, {"rejected", t.rejected}};
        out_.append("],\n  \"summary\": " + dump(summary) + ", \"staleDisabled\": " + dump(run.stale_disabled) +
                    ", \"interrupted\": " + (run.interrupted ? "true" : "false") + "}");
    }
    std::optional<std::string> finish(const Verdict& verdict) override {
        out_.append("\n ],\n \"durationSeconds\": " + std::to_string(info_.elapsed()) +
                    ", \"exitCode\": " + std::to_string(verdict.exit_code) +
                    ", \"interrupted\": " + (verdict.signal ? "true" : "false") +
                    (verdict.signal ? ", \"signal\": " + std::to_string(verdict.signal) : "") + "}\n");
        return out_.commit();
    }
    const std::string& temporary() const override { return out_.temporary(); }

private:
    ReportOutput out_;
    RunInfo info_;
    std::size_t runs_ = 0;
    std::size_t cases_ = 0;
};

}  // namespace

std::unique_ptr<ReportWriter> make_json_report(const std::string& path, const RunInfo& info) {
    return std::make_unique<JsonReport>(path, info);
}

double RunInfo::elapsed() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
}

RunInfo run_info(const Options& options) {
    RunInfo info;
    info.arguments = options.arguments;
    info.seed = options.seed;
    info.random = options.random;
    char host[256] = {};
    if (::gethostname(host, sizeof host - 1) == 0) info.hostname = host;
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    char stamp[32] = {};
    if (::gmtime_r(&now, &utc) != nullptr) std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &utc);
    info.start_time = stamp;
    return info;
}

std::ostream& summary_stream(const Options& options) {
    const bool report_on_stdout =
        (options.json && is_stdout_path(*options.json)) || (options.junit && is_stdout_path(*options.junit));
    return report_on_stdout ? std::cerr : std::cout;
}

int judge_runs(std::ostream& out, const std::vector<RunReport>& runs, bool could_not_run, int signal,
               std::size_t max_failures) {
    int exit_code = could_not_run ? 2 : 0;
    for (const auto& report : runs) {
        const bool none = report.executed_none();
        print_summary(out, report, max_failures);
        if (none && signal) {
            // Interrupted before any case ran: nothing to judge.
        } else if (none) {
            out << "qemud-conform: " << report.implementation
                << ": no case was executed (every case skipped: unsupported kinds or ops, or disabled); "
                   "this is not a pass\n";
            if (&out != &std::cerr)
                std::cerr << "qemud-conform: " << report.implementation << ": no case was executed; not a pass\n";
            exit_code = 2;
        } else if (report.failure_count() > 0 && exit_code == 0) {
            exit_code = 1;
        }
        out << "qemud-conform: " << report.implementation << ": "
            << (report.interrupted ? "INTERRUPTED" : none ? "NOT RUN" : report.failure_count() ? "FAIL" : "PASS")
            << "\n\n";
    }
    // An interrupted run exits as the signal would have (130, 143), after
    // its reports: the cases that finished are not lost.
    if (signal) {
        exit_code = 128 + signal;
        std::cerr << "qemud-conform: interrupted by signal " << signal << "; reports hold the cases that finished\n";
    }
    return exit_code;
}

}  // namespace qemud::conform
