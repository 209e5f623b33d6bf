// SPDX-License-Identifier: Apache-2.0
// peer_check.cpp: the public entry points over the case table.
#include "peer_check.h"

#include <map>
#include <mutex>

#include "peer_cases.h"

namespace qemud::peers {
namespace {

// case_table builds the table once per framing and golden directory: the
// hostile cases read a golden file, and a driver runs every case.
const std::vector<PeerCase>& case_table(const PeerOptions& options) {
    static std::mutex mutex;
    static std::map<std::pair<Framing, std::string>, std::vector<PeerCase>> tables;
    std::lock_guard lock(mutex);
    auto key = std::make_pair(options.framing, options.golden_dir);
    auto found = tables.find(key);
    if (found != tables.end()) return found->second;
    std::vector<PeerCase> cases = conversation_cases();
    for (auto& c : hostile_cases(options)) cases.push_back(std::move(c));
    return tables.emplace(key, std::move(cases)).first->second;
}

std::string_view direction_name(TranscriptEntry::Direction d) {
    switch (d) {
        case TranscriptEntry::Direction::sent: return "sent";
        case TranscriptEntry::Direction::received: return "received";
        case TranscriptEntry::Direction::event: return "event";
    }
    return "event";
}

}  // namespace

std::string shell_quote(const std::string& text) {
    std::string out = "'";
    for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::string_view to_string(PeerResult::Status status) {
    switch (status) {
        case PeerResult::Status::passed: return "passed";
        case PeerResult::Status::failed: return "failed";
        case PeerResult::Status::skipped: return "skipped";
    }
    return "failed";
}

std::vector<std::string> list_server_cases(const PeerOptions& options) {
    std::vector<std::string> names;
    for (const auto& c : case_table(options)) names.push_back(c.name);
    return names;
}

PeerResult run_server_case(const std::string& name, const PeerOptions& options) {
    PeerResult result;
    result.name = name;
    result.repro = options.repro_command + " --connect " + shell_quote(options.address) +
                   (options.framing == Framing::seed ? "" : " --framing " + std::string(to_string(options.framing))) +
                   " --only " + shell_quote(name);
    const auto start = Clock::now();
    try {
        const PeerCase* found = nullptr;
        for (const auto& c : case_table(options))
            if (c.name == name) found = &c;
        if (found == nullptr) throw CaseFailure{"setup", "no such case (list them with --list)"};
        Session session(options, &result.transcript);
        found->run(session);
    } catch (const CaseFailure& failure) {
        result.status = PeerResult::Status::failed;
        result.step = failure.step;
        result.reason = failure.reason;
    } catch (const CaseSkipped& skipped) {
        result.status = PeerResult::Status::skipped;
        result.reason = skipped.reason;
    } catch (const std::exception& e) {
        // A defect of the engine, reported as the case's failure so a run
        // still finishes: never the server's fault by itself.
        result.status = PeerResult::Status::failed;
        result.step = "internal";
        result.reason = std::string("internal error: ") + e.what();
    }
    result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return result;
}

std::optional<std::string> probe_server(const PeerOptions& options) {
    try {
        std::vector<TranscriptEntry> transcript;
        Session session(options, &transcript);
        session.open("connect");
        return std::nullopt;
    } catch (const CaseFailure& failure) {
        return failure.reason;
    } catch (const std::exception& e) {
        return std::string("internal error: ") + e.what();
    }
}

nlohmann::json transcript_json(const PeerResult& result) {
    nlohmann::json entries = nlohmann::json::array();
    for (const auto& e : result.transcript) {
        nlohmann::json entry{{"direction", direction_name(e.direction)},
                             {"connection", e.connection},
                             {"atSeconds", e.at_seconds}};
        if (!e.hex.empty()) entry["hex"] = e.hex;
        if (!e.decoded.is_null()) entry["decoded"] = e.decoded;
        if (!e.note.empty()) entry["note"] = e.note;
        entries.push_back(std::move(entry));
    }
    return {{"name", result.name},     {"status", to_string(result.status)}, {"step", result.step},
            {"reason", result.reason}, {"repro", result.repro},             {"seconds", result.seconds},
            {"transcript", std::move(entries)}};
}

}  // namespace qemud::peers
