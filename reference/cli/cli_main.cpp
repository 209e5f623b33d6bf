// SPDX-License-Identifier: Apache-2.0
// qemud-cli: the reference qemud client. Sends one call per command (or
// per JSON line of standard input), matches the replies by inReplyTo and
// prints one JSON line per call that got a reply. Its deliberate bugs
// (`--bug NAME`) let a conformance runner prove that it catches a broken
// client. reference/cli/README.md documents the contract.
//
// Exit status: 0 every call got a reply that is not FAILURE; 1 a call got
// FAILURE or no usable reply; 2 it could not run (bad arguments, a bad
// input line, no connection), with one line on stderr.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <unistd.h>
#include <vector>

#include <CLI/CLI.hpp>

#include "version/version.h"
#include "cli/bugs.h"
#include "cli/calls.h"
#include "cli/connect.h"
#include "cli/output.h"
#include "cli/session.h"
#include "framing/framing_id.h"
#include "refd/address.h"

using namespace qemud;
using namespace qemud::cli;

namespace {

int usage_error(const std::string& message) {
    std::fprintf(stderr, "qemud-cli: %s\n", message.c_str());
    return 2;
}

std::string commands_footer() {
    std::string text = "COMMANDS (one client message type each):\n";
    for (const auto& c : command_table())
        text += "  " + std::string(c.name) + (c.args.empty() ? "" : " " + std::string(c.args)) + "\n";
    text += "With no COMMAND, one JSON line per call is read from standard input.";
    return text;
}

std::string env_or(const char* name, std::string fallback) {
    const char* value = std::getenv(name);
    return value && *value ? std::string(value) : fallback;
}

// read_stdin_calls reads the stdin contract: one client union value per
// line, blank lines skipped.
bool read_stdin_calls(std::vector<Call>& calls, std::string& error) {
    std::string line;
    for (std::size_t number = 1; std::getline(std::cin, line); ++number) {
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        const Json value = Json::parse(line, nullptr, false);
        if (value.is_discarded()) {
            error = "standard input line " + std::to_string(number) + ": not a JSON value";
            return false;
        }
        std::string why;
        auto call = call_from_json(value, why);
        if (!call) {
            error = "standard input line " + std::to_string(number) + ": " + why;
            return false;
        }
        calls.push_back(std::move(*call));
    }
    if (std::cin.bad()) {
        error = "standard input: read error";
        return false;
    }
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"qemud-cli: the reference qemud client (reference/cli/README.md)", "qemud-cli"};
    std::string connect = env_or("QEMUD_ADDR", "");
    std::string framing = env_or("QEMUD_FRAMING", "seed");
    // A runner that drives the client sets its time limit in the
    // environment (QEMUD_TIMEOUT_MS), as it sets the address and framing.
    int timeout_ms = 5000;
    if (const std::string env = env_or("QEMUD_TIMEOUT_MS", ""); !env.empty()) {
        char* end = nullptr;
        const long value = std::strtol(env.c_str(), &end, 10);
        if (*end != '\0' || value <= 0 || value > 3600000)
            return usage_error("QEMUD_TIMEOUT_MS: '" + env + "' is not a number of milliseconds from 1 to 3600000");
        timeout_ms = static_cast<int>(value);
    }
    std::vector<std::string> bugs;
    bool pipeline = false;
    app.add_option("--connect", connect, "unix:PATH or tcp:HOST:PORT (default: $QEMUD_ADDR)");
    app.add_option("--framing", framing, "seed or libvirt-0.3 (default: $QEMUD_FRAMING, else seed)");
    app.add_option("--timeout-ms", timeout_ms, "deadline of the whole run, connecting included (default: $QEMUD_TIMEOUT_MS, else 5000)")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    app.add_option("--bug", bugs, "switch on a deliberate bug; repeatable; `--bug help` lists them")
        ->allow_extra_args(false);
    app.add_flag("--pipeline", pipeline, "each argument after the options is one command line");
    app.prefix_command();  // everything from the command on is its arguments, "-1" included
    app.footer(commands_footer());
    app.set_version_flag("--version", qemud::version_text("qemud-cli"));
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        return usage_error(e.what());
    }

    BugSet bug_set;
    for (const auto& name : bugs) {
        if (name == "help") {
            peer_bugs::print_bug_table(bug_table());
            return 0;
        }
        const auto bug = bug_from_string(name);
        if (!bug) return usage_error("--bug: unknown bug '" + name + "' (`--bug help` lists them)");
        bug_set.add(*bug);
    }
    const auto framing_id = framing_from_string(framing);
    if (!framing_id) return usage_error("--framing: '" + framing + "' is not seed or libvirt-0.3");

    // The calls first: a bad command or input line is found before any
    // connection is made.
    const std::vector<std::string> words = app.remaining();
    std::vector<Call> calls;
    std::string error;
    if (pipeline) {
        if (words.empty()) return usage_error("--pipeline: no command lines given");
        for (const auto& line : words) {
            const auto call = call_from_words(split_words(line), error);
            if (!call) return usage_error("--pipeline '" + line + "': " + error);
            calls.push_back(*call);
        }
    } else if (!words.empty()) {
        const auto call = call_from_words(words, error);
        if (!call) return usage_error(error);
        calls.push_back(*call);
    } else if (!read_stdin_calls(calls, error)) {
        return usage_error(error);
    }

    if (connect.empty()) return usage_error("no address: give --connect ADDR or set QEMUD_ADDR");
    const auto address = refd::parse_address(connect, error);
    if (!address) return usage_error("--connect: " + error);

    std::signal(SIGPIPE, SIG_IGN);
    SessionOptions options;
    options.framing = *framing_id;
    options.bugs = bug_set;
    options.timeout_ms = timeout_ms;
    options.deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    const auto fd = connect_to(*address, options.deadline, error);
    if (!fd) return usage_error("cannot connect: " + error);

    SessionEvents events;
    events.settled = [](const Settled& s) {
        if (const auto line = result_line(s)) {
            std::printf("%s\n", line->c_str());
            std::fflush(stdout);
        }
        if (const auto line = diagnostic_line(s)) std::fprintf(stderr, "%s\n", line->c_str());
    };
    events.ignored = [](const Ignored& i) { std::fprintf(stderr, "%s\n", ignored_line(i).c_str()); };
    const std::size_t values = run_session(*fd, calls, options, events);
    ::close(*fd);
    return values == calls.size() ? 0 : 1;
}
