// SPDX-License-Identifier: Apache-2.0
#include "html_reader.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sys/stat.h>

#include "io/json_input.h"

namespace qemud::conform::html {

namespace {

using Json = nlohmann::json;

// Stop unwinds out of the parser when the visitor needs no more.
struct Stop {};

// position is io::line_column for a file not held in memory: the line and
// column of a 1-based byte offset (nlohmann's parse_error::byte).
std::string position(const std::string& path, std::size_t byte) {
    std::ifstream in(path, std::ios::binary);
    const std::size_t end = byte > 0 ? byte - 1 : 0;
    std::size_t line = 1, column = 1;
    char ch;
    for (std::size_t i = 0; i < end && in.get(ch); ++i) {
        if (ch == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return std::to_string(line) + ":" + std::to_string(column);
}

}  // namespace

std::optional<std::string> visit_report(const std::string& path, const ReportVisitor& visitor, Json& head) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return path + ": cannot open: " + std::strerror(errno);
    // An ifstream opens a directory without complaint and reads nothing.
    if (S_ISDIR(st.st_mode)) return path + ": is a directory, not a file";
    std::ifstream in(path, std::ios::binary);
    if (!in) return path + ": cannot open: " + std::strerror(errno);

    // Where the parser is, by depth (nlohmann counts the document 0, its
    // members 1, a run 2, a run's members 3, a case 4): a case is an object
    // in the "cases" array of an object in the root's "runs" array. Each
    // case and each run is handed over when complete, then dropped from the
    // document being built, which therefore stays small.
    std::string root_key, run_key;
    bool in_runs = false, in_cases = false;
    std::size_t run = 0;
    const auto callback = [&](int depth, Json::parse_event_t event, Json& parsed) -> bool {
        switch (event) {
            case Json::parse_event_t::key:
                if (depth == 1) root_key = parsed.get<std::string>();
                if (depth == 3) run_key = parsed.get<std::string>();
                return true;
            case Json::parse_event_t::array_start:
                if (depth == 1) in_runs = root_key == "runs";
                if (depth == 3) in_cases = in_runs && run_key == "cases";
                return true;
            case Json::parse_event_t::array_end:
                if (depth == 1) in_runs = false;
                if (depth == 3) in_cases = false;
                return true;
            case Json::parse_event_t::object_start:
                if (depth == 2 && in_runs) run_key.clear();
                return true;
            case Json::parse_event_t::object_end:
                if (depth == 4 && in_cases) {
                    if (visitor.on_case && !visitor.on_case(run, parsed)) throw Stop{};
                    return false;
                }
                if (depth == 2 && in_runs) {
                    const std::size_t finished = run++;
                    if (visitor.on_run && !visitor.on_run(finished, parsed)) throw Stop{};
                    return false;
                }
                return true;
            case Json::parse_event_t::value: return true;
        }
        return true;
    };
    try {
        head = Json::parse(in, callback);
    } catch (const Stop&) {
        return std::nullopt;
    } catch (const Json::parse_error& e) {
        return path + ":" + position(path, e.byte) + ": not valid JSON: " + io::parse_error_text(e.what());
    } catch (const Json::exception& e) {
        // A member of the wrong type, met by a visitor.
        return path + ": not a qemud-conform JSON report: " + e.what();
    }
    if (in.bad()) return path + ": read failed";
    return std::nullopt;
}

}  // namespace qemud::conform::html
