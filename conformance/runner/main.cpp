// SPDX-License-Identifier: Apache-2.0
// main.cpp: qemud-conform's command line (spec: docs/SHIM-CONTRACT.md).
// Parsing only; run.cpp does the work.
#include <charconv>
#include <csignal>
#include <cstdint>
#include <exception>
#include <iostream>
#include <limits>
#include <vector>

#include <CLI/CLI.hpp>

#include "version/version.h"
#include "connect_run.h"
#include "listen_run.h"
#include "options.h"

#ifndef QEMUD_GOLDEN_DIR
#define QEMUD_GOLDEN_DIR "golden"
#endif

namespace {

// whole_number accepts digits only, up to max: CLI11 would otherwise read
// "-5" into an unsigned option as 2^64-5. The message becomes
// "--random: must be a non-negative integer".
CLI::Validator whole_number(std::uint64_t min, std::uint64_t max) {
    const std::string what = min > 0 ? "must be a positive integer" : "must be a non-negative integer";
    return CLI::Validator(
        [=](std::string& text) -> std::string {
            std::uint64_t n = 0;
            const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
            if (text.empty() || ec != std::errc() || end != text.data() + text.size() || n < min || n > max)
                return what + " (at most " + std::to_string(max) + "), not '" + text + "'";
            return {};
        },
        "INT");
}

}  // namespace

int main(int argc, char** argv) {
    using qemud::conform::Options;
    // A shim that dies while we write to it must not kill the runner.
    std::signal(SIGPIPE, SIG_IGN);

    Options o;
    o.program = argc > 0 ? argv[0] : "qemud-conform";
    o.arguments.assign(argv, argv + argc);
    o.vectors = QEMUD_GOLDEN_DIR;
    CLI::App app{"qemud-conform: checks an implementation of the qemud protocol against the golden vectors and "
                 "randomized differential cases (shim protocol version 1, docs/SHIM-CONTRACT.md), or, with --connect, a "
                 "running server through its socket (docs/PEERS.md).\n"
                 "Exit status: 0 every required case passed, 1 a case failed, 2 the run could not be made, "
                 "130/143 interrupted by SIGINT/SIGTERM (reports written for the cases that finished)."};
    app.add_option("--shim", o.shim, "shell command starting the shim (run by /bin/sh -c); without it, the "
                                     "in-tree implementations are tested in process");
    app.add_option("--impl", o.impls, "with no --shim: in-tree implementation(s) to test (rpcgen, cxx, dynamic; "
                                      "default: all)");
    auto* vectors = app.add_option("--vectors", o.vectors, "directory of <kind>_test.json golden vectors")
                        ->capture_default_str();
    app.add_flag("--no-golden", o.no_golden, "skip the golden vectors (random cases only)");
    std::string framing = "seed";
    app.add_option("--framing", framing,
                   "framing profile of the header, client_message and server_message cases: seed (magic, payload "
                   "length) or libvirt-0.3 (total length, program number); default seed")
        ->check(CLI::IsMember({"seed", "libvirt-0.3"}));
    app.add_option("--random", o.random, "number of seeded random differential cases (default 0)")
        ->check(whole_number(0, std::numeric_limits<std::uint32_t>::max()));
    app.add_option("--seed", o.seed, "seed of the random cases, and with --connect of the call serials and the --stateful sequences "
                                 "(default 1)")
        ->check(whole_number(0, std::numeric_limits<std::uint64_t>::max()));
    auto* timeout = app.add_option("--timeout-ms", o.timeout_ms, "per-request timeout (default 5000)")
                        ->check(whole_number(1, 3600000));
    app.add_option("--junit", o.junit, "write JUnit XML here ('-': standard output, and the summary goes to "
                                       "standard error)");
    app.add_option("--json", o.json, "write a JSON report here (docs/conform-report-v1.schema.json; '-': standard "
                                     "output, and the summary goes to standard error)");
    app.add_option("--html", o.html, "write the HTML report into this folder (made if missing): index.html, "
                                     "the matrices, and a page per implementation; the JSON report it is rendered "
                                     "from goes to report.json there");
    app.add_option("--html-from", o.html_from, "with --html: render the pages from these JSON reports (repeatable; "
                                               "one column per implementation of each) instead of running");
    app.add_option("--only", o.only, "run only cases whose name matches this glob (repeatable), e.g. "
                                     "'golden/client/*' or 'random/*/QEMUD_SERVER_PKT_DUMP_XML/*'");
    app.add_option("--disabled", o.disabled, "JSON object: case-name glob -> reason; matching cases are skipped "
                                             "with the reason");
    app.add_flag("--require-all", o.require_all, "count every skipped case as failed");
    app.add_option("--max-failures", o.max_failures, "failures listed in the summary (default 50)")
        ->check(whole_number(0, std::numeric_limits<std::uint32_t>::max()));
    app.add_flag("--any-protocol", o.any_protocol, "run vectors whose protocolSha256 is not this build's protocol.x "
                                                   "(refused otherwise; the reports then carry a note)");
    app.add_flag("-q,--quiet", o.quiet, "no progress on stderr");
    auto* connect = app.add_option(
        "--connect", o.connect,
        "test a running server instead of a codec: unix:PATH or tcp:HOST:PORT. Runs the conversation cases "
        "(every call, pipelining, serial edges, stream chunking, concurrency, every hostile golden vector); "
        "--timeout-ms is then per step (default 2000). See docs/PEERS.md");
    app.add_option("--server-cmd", o.server_cmd,
                   "with --connect: shell command that starts the server; the runner waits for it to accept, "
                   "restarts it after a crash (the case fails naming the crash) and stops it at the end");
    app.add_option("--stateful", o.stateful,
                   "with --connect: also run N RapidCheck command sequences (define/create/start/suspend/resume/"
                   "destroy/undefine/lookup/list/autostart of domains and networks) against a model; they CHANGE "
                   "the server's state: test servers only")
        ->check(whole_number(0, 1000000));
    app.add_option("--transcript", o.transcript,
                   "with --connect or --listen: write each failing conversation to DIR/<case>.json (hex + decoded "
                   "value per message)");
    auto* listen = app.add_option(
        "--listen", o.listen,
        "test a client instead of a codec: listen on unix:PATH or tcp:127.0.0.1:PORT (port 0: any), run "
        "--client-cmd once per case and play the server (in order, reversed, split, async notifications, FAILURE, "
        "hostile replies). See docs/PEERS.md");
    app.add_option("--client-cmd", o.client_cmd,
                   "with --listen: shell command of the client under test; it gets QEMUD_ADDR, QEMUD_FRAMING and "
                   "QEMUD_TIMEOUT_MS, reads its calls as JSON lines on standard input and prints one JSON line per "
                   "completed call");
    app.add_option("--client-timeout-ms", o.client_timeout_ms,
                   "with --listen: the client's own time limit, given to it as QEMUD_TIMEOUT_MS (default 5000); a "
                   "client still running that long after the runner's last answer hangs")
        ->check(whole_number(1, 3600000));

    app.set_version_flag("--version", qemud::version_text("qemud-conform"));
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp&) {
        std::cout << app.help();
        return 0;
    } catch (const CLI::CallForAllHelp&) {
        std::cout << app.help("", CLI::AppFormatMode::All);
        return 0;
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::cerr << "qemud-conform: " << e.what() << " (see --help)\n";
        return 2;
    }
    if (o.junit && o.json && *o.junit == "-" && *o.json == "-") {
        std::cerr << "qemud-conform: --junit - and --json - both write to standard output; send one of them to a "
                     "file\n";
        return 2;
    }
    if (!o.html_from.empty()) {
        // Rendering only: the options of a run mean nothing here.
        if (!o.html) {
            std::cerr << "qemud-conform: --html-from needs --html DIR (where the pages go)\n";
            return 2;
        }
        for (const char* name : {"--shim", "--impl", "--connect", "--listen", "--json", "--junit", "--random"})
            if (app.count(name) > 0) {
                std::cerr << "qemud-conform: --html-from renders reports and makes no run; it cannot be combined "
                             "with " << name << "\n";
                return 2;
            }
        return qemud::conform::render_html(o);
    }
    o.vectors_given = vectors->count() > 0;
    o.framing = *qemud::framing_from_string(framing);
    o.timeout_given = timeout->count() > 0;
    if (connect->count() > 0 && listen->count() > 0) {
        std::cerr << "qemud-conform: --connect tests a server and --listen a client; give one of them\n";
        return 2;
    }
    if (connect->count() > 0 || listen->count() > 0) {
        const char* mode = connect->count() > 0 ? "--connect" : "--listen";
        // The codec options mean nothing to a live peer.
        for (const char* name : {"--shim", "--impl", "--random", "--no-golden", "--any-protocol"})
            if (app.count(name) > 0) {
                std::cerr << "qemud-conform: " << name << " tests a codec; it cannot be combined with " << mode << "\n";
                return 2;
            }
        for (const char* name : connect->count() > 0 ? std::vector<const char*>{"--client-cmd", "--client-timeout-ms"}
                                                     : std::vector<const char*>{"--server-cmd", "--stateful"})
            if (app.count(name) > 0) {
                std::cerr << "qemud-conform: " << name << " cannot be combined with " << mode << "\n";
                return 2;
            }
        try {
            return connect->count() > 0 ? qemud::conform::run_connect(o) : qemud::conform::run_listen(o);
        } catch (const std::exception& e) {
            std::cerr << "qemud-conform: internal error: " << e.what() << "\n";
            return 2;
        }
    }
    for (const char* name : {"--server-cmd", "--stateful"})
        if (app.count(name) > 0) {
            std::cerr << "qemud-conform: " << name << " needs --connect ADDR (a server under test)\n";
            return 2;
        }
    for (const char* name : {"--client-cmd", "--client-timeout-ms"})
        if (app.count(name) > 0) {
            std::cerr << "qemud-conform: " << name << " needs --listen ADDR (a client under test)\n";
            return 2;
        }
    if (app.count("--transcript") > 0) {
        std::cerr << "qemud-conform: --transcript needs --connect or --listen (a live peer)\n";
        return 2;
    }
    if (o.shim && !o.impls.empty()) {
        std::cerr << "qemud-conform: --impl selects in-tree implementations; it cannot be combined with --shim\n";
        return 2;
    }
    try {
        return qemud::conform::run(o);
    } catch (const std::exception& e) {
        // Nothing should reach here; if it does the run could not be made.
        std::cerr << "qemud-conform: internal error: " << e.what() << "\n";
        return 2;
    }
}
