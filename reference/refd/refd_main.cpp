// SPDX-License-Identifier: Apache-2.0
// qemud-refd: the reference qemud daemon. Serves the protocol over unix or
// TCP sockets from an in-memory hypervisor; its deliberate bugs
// (`--bug NAME`) let the harness prove that it catches a broken server.
// docs/PEERS.md documents the options and every choice it makes.
//
// Exit status: 0 after SIGINT/SIGTERM (or --help, --version, --bug help),
// 2 on bad arguments or when it cannot listen (one line on stderr).
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <iostream>
#include <optional>
#include <random>
#include <string>
#include <unistd.h>
#include <vector>

#include <CLI/CLI.hpp>

#include "version/version.h"
#include "framing/framing_id.h"
#include "refd/address.h"
#include "refd/bugs.h"
#include "refd/hypervisor_model.h"
#include "refd/server_loop.h"

using namespace qemud;
using namespace qemud::refd;

namespace {

int stop_pipe[2] = {-1, -1};

// on_signal only writes to the self-pipe (async-signal-safe); the loop sees
// it in poll and stops in order: listeners closed, socket files removed.
extern "C" void on_signal(int) {
    const int saved = errno;
    [[maybe_unused]] const auto n = ::write(stop_pipe[1], "x", 1);
    errno = saved;
}

int usage_error(const std::string& message) {
    std::fprintf(stderr, "qemud-refd: %s\n", message.c_str());
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"qemud-refd: the reference qemud daemon (docs/PEERS.md)", "qemud-refd"};
    std::vector<std::string> listen;
    std::string framing = "seed";
    std::optional<std::uint64_t> seed;
    std::vector<std::string> bugs;
    ServerOptions options;
    app.add_option("--listen", listen, "unix:PATH or tcp:HOST:PORT (port 0: any free port); repeatable");
    app.add_option("--framing", framing, "seed, libvirt-0.3, or auto (told by each connection's first header)")
        ->check(CLI::IsMember({"seed", "libvirt-0.3", "auto"}));
    app.add_option("--seed", seed, "seed of the generated uuids (default: random)");
    app.add_option("--bug", bugs, "switch on a deliberate bug; repeatable; `--bug help` lists them");
    app.add_option("--idle-timeout-ms", options.idle_timeout_ms,
                   "close a connection that sends and takes nothing for this long (0: never)")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    app.add_option("--max-connections", options.max_connections, "connections served at once; more are closed")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    app.add_option("--max-output-bytes", options.max_output_bytes,
                   "unread reply bytes per connection before it is no longer read")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    app.add_flag("-v,--verbose", options.verbose, "one line on stderr per connection closed, with the reason");
    app.set_version_flag("--version", qemud::version_text("qemud-refd"));
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        return usage_error(e.what());
    }

    for (const auto& name : bugs) {
        if (name == "help") {
            peer_bugs::print_bug_table(bug_table());
            return 0;
        }
        const auto bug = bug_from_string(name);
        if (!bug) return usage_error("--bug: unknown bug '" + name + "' (`--bug help` lists them)");
        options.connection.bugs.add(*bug);
    }
    options.connection.framing = framing == "auto" ? std::nullopt : framing_from_string(framing);
    if (listen.empty()) return usage_error("--listen is required (unix:PATH or tcp:HOST:PORT)");

    std::vector<Address> addresses;
    for (const auto& text : listen) {
        std::string error;
        auto address = parse_address(text, error);
        if (!address) return usage_error("--listen: " + error);
        addresses.push_back(*address);
    }

    if (::pipe2(stop_pipe, O_CLOEXEC | O_NONBLOCK) != 0) return usage_error("pipe2 failed");
    struct sigaction action{};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);
    std::signal(SIGPIPE, SIG_IGN);

    std::vector<Listener> listeners;
    for (const auto& address : addresses) {
        std::string error;
        auto listener = Listener::open(address, error);
        if (!listener) return usage_error(error);  // listeners opened so far close (and unlink) here
        listeners.push_back(std::move(*listener));
    }
    for (const auto& listener : listeners)
        std::printf("qemud-refd: listening on %s\n", listener.address().to_string().c_str());
    std::fflush(stdout);

    HypervisorModel model(seed.value_or(std::random_device{}()), options.connection.bugs);
    const int status = run_server(listeners, model, options, stop_pipe[0]);
    for (auto& listener : listeners) listener.close();
    return status;
}
