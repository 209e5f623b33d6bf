#include "connect_run.h"

#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "interrupt.h"
#include "io/output_file.h"
#include "peer_check.h"
#include "peer_socket.h"
#include "report.h"
#include "selection.h"
#include "server_process.h"
#include "stateful.h"
#include "text_util.h"

namespace qemud::conform {

namespace {

using Clock = std::chrono::steady_clock;

int cannot_run(const std::string& why) {
    std::cerr << "qemud-conform: cannot run: " << why << "\n";
    return 2;
}

// family is what the summary groups by: the case name's first segment
// (call, pipeline, serial, stream, concurrency, hostile, stateful).
std::string family(const std::string& name) { return name.substr(0, name.find('/')); }

std::string transcript_file_name(std::string name) {
    for (char& c : name)
        if (c == '/' || c == ' ' || c == '\'' || c == '*') c = '_';
    return name + ".json";
}

// remove_stale_socket: a server that crashed leaves its unix socket file
// behind, and a careful server refuses to listen over an existing path.
// Before a restart the runner removes the file, but only when it is a
// socket that nobody accepts on (connect says ECONNREFUSED).
void remove_stale_socket(const std::string& address) {
    if (address.rfind("unix:", 0) != 0) return;
    const std::string path = address.substr(5);
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0 || !S_ISSOCK(st.st_mode) || path.size() >= sizeof(sockaddr_un::sun_path))
        return;
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return;
    sockaddr_un sa{};
    sa.sun_family = AF_UNIX;
    path.copy(sa.sun_path, path.size());
    const bool refused = ::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0 && errno == ECONNREFUSED;
    ::close(fd);
    if (refused) ::unlink(path.c_str());
}

struct Stats {
    int passed = 0, failed = 0;
};

}  // namespace

int run_connect(const Options& o) {
    if (o.junit)
        if (auto error = io::check_output_path(*o.junit)) return cannot_run("--junit: cannot write " + *error);
    if (o.json)
        if (auto error = io::check_output_path(*o.json)) return cannot_run("--json: cannot write " + *error);
    if (o.transcript) {
        std::error_code ec;
        std::filesystem::create_directories(*o.transcript, ec);
        if (ec) return cannot_run("--transcript: " + *o.transcript + ": " + ec.message());
    }
    install_interrupt_handlers();

    peers::PeerOptions peer;
    peer.address = *o.connect;
    peer.framing = o.framing;
    peer.timeout_ms = o.timeout_given ? o.timeout_ms : 2000;
    peer.seed = o.seed;
    if (o.vectors_given) peer.golden_dir = o.vectors;
    // Repro lines: run_server_case appends " --connect ADDR [--framing F]
    // --only NAME" to this.
    peer.repro_command = o.program;
    if (o.server_cmd) peer.repro_command += " --server-cmd " + shell_quote(*o.server_cmd);
    if (o.timeout_given) peer.repro_command += " --timeout-ms " + std::to_string(o.timeout_ms);
    if (std::string error; !peers::parse_address(peer.address, &error)) return cannot_run("--connect: " + error);

    Disabled disabled;
    if (o.disabled) {
        auto loaded = load_disabled(*o.disabled);
        if (auto* error = std::get_if<std::string>(&loaded)) return cannot_run(*error);
        disabled = std::move(std::get<Disabled>(loaded));
    }

    // --- the cases: the conversation cases, then the stateful sequences.
    std::vector<std::string> names;
    for (auto& name : peers::list_server_cases(peer))
        if (o.only.empty() || matches_any(o.only, name)) names.push_back(name);
    const std::string stateful_name = "stateful/" + std::to_string(o.stateful) + "-sequences";
    const bool stateful = o.stateful > 0 && (o.only.empty() || matches_any(o.only, stateful_name));
    if (stateful) names.push_back(stateful_name);
    if (names.empty())
        return cannot_run("--only matched no case (names look like call/QEMUD_CLIENT_PKT_GET_VERSION, "
                          "pipeline/depth-16, hostile/bad_magic/tc3; --stateful N adds " + stateful_name + ")");

    // --- the server: started here (--server-cmd) or already running.
    std::unique_ptr<ServerProcess> server;
    if (o.server_cmd) {
        remove_stale_socket(peer.address);
        server = std::make_unique<ServerProcess>(
            *o.server_cmd, [&] { return !peers::probe_server(peer); },
            std::chrono::milliseconds(std::max(o.timeout_ms, 10000)));
        if (auto error = server->start()) {
            std::string tail = server->output_tail();
            return cannot_run("--server-cmd: " + *error + (tail.empty() ? "" : "; its output ended: " + excerpt(tail, 400)));
        }
    } else if (auto down = peers::probe_server(peer)) {
        return cannot_run("--connect " + peer.address + ": " + *down);
    }

    std::vector<std::unique_ptr<ReportWriter>> writers;
    if (o.junit) writers.push_back(make_junit_report(*o.junit));
    if (o.json) writers.push_back(make_json_report(*o.json));
    for (auto& w : writers) {
        if (auto error = w->open()) return cannot_run(*error);
        remove_on_second_signal(w->temporary());
    }

    RunReport report;
    report.implementation = "server at " + peer.address;
    report.group_title = "case family";
    if (o.framing != Framing::seed) report.notes.push_back("framing " + std::string(to_string(o.framing)));
    for (auto& w : writers) w->begin_run(report);

    const auto started = Clock::now();
    auto last_progress = started;
    std::size_t done = 0;
    bool could_not_run = false;
    std::optional<std::string> transcript_error;
    for (const auto& name : names) {
        if (interrupted_by()) break;
        Case c;
        c.name = name;
        c.kind = Kind::client_message;
        c.framing = o.framing;
        c.message_type = family(name);
        c.conversation = true;
        CaseResult result;
        double seconds = 0;
        peers::PeerResult peer_result;
        if (auto reason = disabled_reason(disabled, name)) {
            result = {Status::skipped, *reason};
        } else {
            peer_result = name == stateful_name ? peers::run_stateful(peer, {o.stateful, o.seed})
                                                : peers::run_server_case(name, peer);
            if (interrupted_by()) break;  // cut short: neither passed nor failed
            seconds = peer_result.seconds;
            switch (peer_result.status) {
                case peers::PeerResult::Status::passed: result = {Status::passed, ""}; break;
                case peers::PeerResult::Status::skipped: result = {Status::skipped, peer_result.reason}; break;
                case peers::PeerResult::Status::failed:
                    result = {Status::failed, peer_result.step + ": " + peer_result.reason};
                    break;
            }
        }
        // A server that died during the case: the case fails saying so
        // (whatever it saw), and the server is restarted for the next one.
        if (server) {
            // After a failed case, give a server that is dying a moment, so
            // its crash is reported against the case that caused it.
            const auto grace = std::chrono::milliseconds(result.status == Status::failed ? 500 : 0);
            if (auto ended = server->exit_status(grace)) {
                const std::string what = "the server " + *ended + " during this case";
                if (result.status == Status::failed) result.reason = what + "; " + result.reason;
                else result = {Status::failed, what};
                peer_result.status = peers::PeerResult::Status::failed;
                peer_result.transcript.push_back({peers::TranscriptEntry::Direction::event, 0, peer_result.seconds, "",
                                                  nullptr, what + "; its output ended: " + excerpt(server->output_tail(), 400)});
                report.notes.push_back("case " + name + ": " + what + "; restarted");
                remove_stale_socket(peer.address);
                if (auto error = server->start()) {
                    cannot_run("--server-cmd: restart after " + name + ": " + *error);
                    could_not_run = true;
                }
            }
        }
        report.executed += result.status != Status::skipped;
        if (o.require_all && result.status == Status::skipped)
            result = {Status::failed, "skipped under --require-all: " + result.reason};
        const std::string repro = peer_result.repro.empty() ? "" : peer_result.repro;
        report.add(c, result, repro, o.max_failures);
        report.seconds += seconds;
        for (auto& w : writers) w->add_case(c, result, repro, seconds);
        if (result.status == Status::failed && o.transcript && !transcript_error) {
            peer_result.name = name;
            if (auto error = io::write_file(*o.transcript + "/" + transcript_file_name(name),
                                            peers::transcript_json(peer_result).dump(2) + "\n"))
                transcript_error = "--transcript: cannot write " + *error;
        }
        ++done;
        if (!o.quiet && Clock::now() - last_progress > std::chrono::seconds(2)) {
            last_progress = Clock::now();
            std::cerr << "qemud-conform: " << report.implementation << ": " << done << "/" << names.size()
                      << " cases, " << report.failure_count() << " failed\n";
        }
        if (could_not_run) break;
    }
    if (server) {
        server->stop();
        remove_stale_socket(peer.address);  // left by a crash the last case caused
    }
    report.interrupted = interrupted_by() != 0;
    report.stale_disabled = stale_globs(disabled);
    if (!o.quiet)
        std::cerr << "qemud-conform: " << report.implementation << ": " << done << " cases in "
                  << std::chrono::duration<double>(Clock::now() - started).count() << " s, "
                  << report.failure_count() << " failed\n";
    for (auto& w : writers) w->end_run(report);

    // --- verdict, as run.cpp's
    const int signal = interrupted_by();
    int exit_code = could_not_run ? 2 : 0;
    print_summary(std::cout, report, o.max_failures);
    const bool none = report.executed_none();
    if (none && !signal) {
        std::cout << "qemud-conform: " << report.implementation << ": no case was executed; this is not a pass\n";
        exit_code = 2;
    } else if (report.failure_count() > 0 && exit_code == 0) {
        exit_code = 1;
    }
    std::cout << "qemud-conform: " << report.implementation << ": "
              << (report.interrupted ? "INTERRUPTED" : none ? "NOT RUN" : report.failure_count() ? "FAIL" : "PASS")
              << "\n";
    if (signal) {
        exit_code = 128 + signal;
        std::cerr << "qemud-conform: interrupted by signal " << signal << "; reports hold the cases that finished\n";
    }
    const Verdict verdict{exit_code, signal};
    for (auto& w : writers)
        if (auto error = w->finish(verdict)) return cannot_run(*error);
    if (transcript_error) return cannot_run(*transcript_error);
    return exit_code;
}

}  // namespace qemud::conform
