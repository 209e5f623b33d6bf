// SPDX-License-Identifier: Apache-2.0
// options.h: the command line of qemud-conform (main.cpp parses it).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "framing/framing_id.h"

namespace qemud::conform {

struct Options {
    std::string program = "qemud-conform";  // as invoked, for rerun lines
    std::vector<std::string> arguments;      // the whole command line, for the reports
    std::optional<std::string> shim;         // none: the in-tree implementations
    std::vector<std::string> impls;          // in-tree implementations to test (none: all)
    std::string vectors;                     // golden directory
    bool vectors_given = false;
    bool no_golden = false;
    Framing framing = Framing::seed;         // of the framed kinds' vectors and random cases
    std::size_t random = 0;
    std::uint64_t seed = 1;
    int timeout_ms = 5000;
    bool timeout_given = false;
    std::optional<std::string> junit;
    std::optional<std::string> json;
    std::optional<std::string> html;        // folder of the HTML report (html_report.h)
    std::vector<std::string> html_from;     // render --html from these JSON reports; no run
    std::vector<std::string> only;
    std::optional<std::string> disabled;
    bool require_all = false;
    std::size_t max_failures = 50;
    bool quiet = false;
    bool any_protocol = false;  // run vectors whose protocolSha256 is not this build's

    // Server under test (connect_run.h): --connect ADDR runs the
    // conversation cases against a running server instead of a codec.
    std::optional<std::string> connect;
    std::optional<std::string> server_cmd;  // started, watched and restarted by the runner
    std::size_t stateful = 0;               // RapidCheck command sequences (0: none)
    std::optional<std::string> transcript;  // folder of failing conversations (--connect, --listen)

    // Client under test (listen_run.h): --listen ADDR --client-cmd CMD.
    std::optional<std::string> listen;
    std::optional<std::string> client_cmd;
    int client_timeout_ms = 5000;           // given to the client as QEMUD_TIMEOUT_MS
};

// run executes a parsed command line and returns the exit status (0, 1, 2).
int run(const Options& options);

// render_html writes --html DIR from the --html-from reports (no run):
// 0, or 2 with the error on stderr.
int render_html(const Options& options);

}  // namespace qemud::conform
