#include "report.h"

#include <iomanip>
#include <map>

#include "io/output_file.h"

namespace qemud::conform {

namespace {

struct Tally {
    int passed = 0, failed = 0, skipped = 0, accepted = 0, rejected = 0;
    void add(Status s) {
        switch (s) {
            case Status::passed: ++passed; break;
            case Status::failed: ++failed; break;
            case Status::skipped: ++skipped; break;
            case Status::accepted: ++accepted; break;
            case Status::rejected: ++rejected; break;
        }
    }
    int total() const { return passed + failed + skipped + accepted + rejected; }
};

Tally tally(const RunReport& run) {
    Tally t;
    for (const auto& r : run.records) t.add(r.result.status);
    return t;
}

}  // namespace

bool RunReport::executed_none() const {
    for (const auto& r : records)
        if (r.result.status != Status::skipped) return false;
    return true;
}

int RunReport::failures() const { return tally(*this).failed; }

void print_summary(std::ostream& out, const RunReport& run, std::size_t max_failures) {
    const Tally all = tally(run);
    out << "qemud-conform: " << run.implementation << (run.version.empty() ? "" : " " + run.version) << ": "
        << all.total() << " cases: " << all.passed << " passed, " << all.failed << " failed, " << all.skipped
        << " skipped, " << (all.accepted + all.rejected) << " acceptable (" << all.accepted << " accepted, "
        << all.rejected << " rejected)\n";

    // Per message type, in the order the cases came (protocol order).
    std::vector<std::string> order;
    std::map<std::string, Tally> by_type;
    for (const auto& r : run.records) {
        if (!by_type.count(r.c->message_type)) order.push_back(r.c->message_type);
        by_type[r.c->message_type].add(r.result.status);
    }
    out << "  " << std::left << std::setw(44) << "message type" << std::right << std::setw(8) << "passed"
        << std::setw(8) << "failed" << std::setw(8) << "skipped" << std::setw(10) << "accepted" << std::setw(10)
        << "rejected" << "\n";
    for (const auto& type : order) {
        const Tally& t = by_type[type];
        out << "  " << std::left << std::setw(44) << type << std::right << std::setw(8) << t.passed << std::setw(8)
            << t.failed << std::setw(8) << t.skipped << std::setw(10) << t.accepted << std::setw(10) << t.rejected
            << (t.failed ? "  FAIL" : "") << "\n";
    }

    // Acceptable outcomes, by flags: what the implementation chose.
    std::map<std::string, std::pair<int, int>> acceptable;
    for (const auto& r : run.records) {
        if (r.result.status != Status::accepted && r.result.status != Status::rejected) continue;
        std::string flags;
        for (const auto& f : r.c->flags) flags += (flags.empty() ? "" : ",") + f;
        auto& [acc, rej] = acceptable[flags.empty() ? "(no flags)" : flags];
        (r.result.status == Status::accepted ? acc : rej)++;
    }
    if (!acceptable.empty()) {
        out << "acceptable vectors (either outcome passes):\n";
        for (const auto& [flags, counts] : acceptable)
            out << "  " << flags << ": " << counts.first << " accepted, " << counts.second << " rejected\n";
    }

    std::map<std::string, int> skip_reasons;
    for (const auto& r : run.records)
        if (r.result.status == Status::skipped) ++skip_reasons[r.result.reason];
    if (!skip_reasons.empty()) {
        out << "skipped:\n";
        for (const auto& [reason, n] : skip_reasons) out << "  " << n << " x " << reason << "\n";
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
        for (const auto& r : run.records) {
            if (r.result.status != Status::failed) continue;
            if (shown++ == max_failures) {
                out << "  ... and " << (all.failed - static_cast<int>(max_failures))
                    << " more (see --json or --junit)\n";
                break;
            }
            out << "  FAIL " << r.c->name << " [" << r.c->message_type << "] " << r.result.reason << "\n"
                << "       rerun: " << r.repro << "\n";
        }
    }
}

std::string write_json(const std::string& path, const std::vector<RunReport>& runs, const Verdict& verdict) {
    Json doc = {{"tool", "qemud-conform"},
                {"shimProtocolVersion", 1},
                {"exitCode", verdict.exit_code},
                {"interrupted", verdict.signal != 0},
                {"runs", Json::array()}};
    if (verdict.signal) doc["signal"] = verdict.signal;
    for (const auto& run : runs) {
        const Tally t = tally(run);
        Json r = {{"implementation", run.implementation},
                  {"version", run.version},
                  {"summary",
                   {{"cases", t.total()},
                    {"passed", t.passed},
                    {"failed", t.failed},
                    {"skipped", t.skipped},
                    {"accepted", t.accepted},
                    {"rejected", t.rejected}}},
                  {"staleDisabled", run.stale_disabled},
                  {"notes", run.notes},
                  {"interrupted", run.interrupted},
                  {"cases", Json::array()}};
        for (const auto& rec : run.records) {
            Json c = {{"name", rec.c->name},
                      {"kind", std::string(to_string(rec.c->kind))},
                      {"messageType", rec.c->message_type},
                      {"expected", std::string(to_string(rec.c->expect))},
                      {"status", std::string(to_string(rec.result.status))},
                      {"flags", rec.c->flags}};
            if (!rec.result.reason.empty()) c["reason"] = rec.result.reason;
            if (rec.result.status == Status::failed) c["repro"] = rec.repro;
            r["cases"].push_back(std::move(c));
        }
        doc["runs"].push_back(std::move(r));
    }
    if (auto error = io::write_file(path, doc.dump(1, ' ', false, Json::error_handler_t::replace) + "\n"))
        return "--json: cannot write " + *error;
    return "";
}

}  // namespace qemud::conform
