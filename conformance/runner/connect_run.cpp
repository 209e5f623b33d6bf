// SPDX-License-Identifier: Apache-2.0
#include "connect_run.h"

#include <cerrno>
#include <memory>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "golden_loader.h"
#include "interrupt.h"
#include "io/json_input.h"
#include "peer_check.h"
#include "peer_run.h"
#include "peer_socket.h"
#include "selection.h"
#include "server_process.h"
#include "stateful.h"
#include "text_util.h"

namespace qemud::conform {

namespace {

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

}  // namespace

int run_connect(const Options& o) {
    if (auto error = checked_outputs(o)) return cannot_run(*error);
    install_interrupt_handlers();

    peers::PeerOptions peer;
    peer.address = *o.connect;
    peer.framing = o.framing;
    peer.timeout_ms = o.timeout_given ? o.timeout_ms : 2000;
    peer.seed = o.seed;
    if (o.vectors_given) peer.golden_dir = o.vectors;
    // Repro lines: the cases append " --connect ADDR [--framing F] --only
    // NAME" to this.
    peer.repro_command = o.program;
    if (o.server_cmd) peer.repro_command += " --server-cmd " + shell_quote(*o.server_cmd);
    if (o.timeout_given) peer.repro_command += " --timeout-ms " + std::to_string(o.timeout_ms);
    if (std::string error; !peers::parse_address(peer.address, &error)) return cannot_run("--connect: " + error);

    // --- the cases: the conversation cases, then the stateful sequences.
    PeerRun run;
    run.implementation = "server at " + peer.address;
    for (auto& name : peers::list_server_cases(peer))
        if (o.only.empty() || matches_any(o.only, name)) run.names.push_back(name);
    const std::string stateful_name = "stateful/" + std::to_string(o.stateful) + "-sequences";
    if (o.stateful > 0 && (o.only.empty() || matches_any(o.only, stateful_name))) run.names.push_back(stateful_name);
    if (run.names.empty())
        return cannot_run("--only matched no case (names look like call/QEMUD_CLIENT_PKT_GET_VERSION, "
                          "pipeline/depth-16, hostile/bad_magic/tc3; --stateful N adds " + stateful_name + ")");
    // The hostile cases send the golden client_message vectors: the reports
    // name the protocol those were made from.
    for (const auto& name : run.names)
        if (name.rfind("hostile/", 0) == 0) {
            auto read = io::read_json(o.vectors + "/" + golden_file(Kind::client_message, o.framing));
            if (auto* doc = std::get_if<Json>(&read))
                if (doc->is_object() && doc->contains("protocolSha256") && (*doc)["protocolSha256"].is_string())
                    run.vectors_sha256 = (*doc)["protocolSha256"].get<std::string>();
            break;
        }
    run.run_case = [&](const std::string& name) {
        return name == stateful_name ? peers::run_stateful(peer, {o.stateful, o.seed})
                                     : peers::run_server_case(name, peer);
    };

    // --- the server: started here (--server-cmd) or already running.
    std::unique_ptr<ServerProcess> server;
    if (o.server_cmd) {
        remove_stale_socket(peer.address);
        server = std::make_unique<ServerProcess>(
            *o.server_cmd, [&] { return !peers::probe_server(peer); },
            std::chrono::milliseconds(std::max(o.timeout_ms, 10000)));
        if (auto error = server->start()) {
            const std::string tail = server->output_tail();
            return cannot_run("--server-cmd: " + *error +
                              (tail.empty() ? "" : "; its output ended: " + excerpt(tail, 400)));
        }
        // A server that died during a case fails that case, whatever the
        // case saw, and is started again for the next one. A dying server
        // gets a moment after a failed case, so its crash is reported
        // against the case that caused it (an abort that dumps core takes
        // a while). Only a server that no longer takes connections is
        // waited for: one that still does is alive, and a buggy but live
        // server failing every case must not cost seconds per case.
        run.after_case = [&](const std::string& name, CaseResult& result, peers::PeerResult& peer_result,
                             RunReport& report) -> std::optional<std::string> {
            auto ended = server->exit_status();
            if (!ended && result.status == Status::failed && peers::probe_server(peer))
                ended = server->exit_status(std::chrono::seconds(5));
            if (!ended) return std::nullopt;
            const std::string what = "the server " + *ended + " during this case";
            if (result.status == Status::failed) result.reason = what + "; " + result.reason;
            else result = {Status::failed, what};
            peer_result.status = peers::PeerResult::Status::failed;
            peer_result.transcript.push_back({peers::TranscriptEntry::Direction::event, 0, peer_result.seconds, "",
                                              nullptr, what + "; its output ended: " + excerpt(server->output_tail(), 400)});
            report.notes.push_back("case " + name + ": " + what + "; restarted");
            remove_stale_socket(peer.address);
            if (auto error = server->start()) return "--server-cmd: restart after " + name + ": " + *error;
            return std::nullopt;
        };
    } else if (auto down = peers::probe_server(peer)) {
        return cannot_run("--connect " + peer.address + ": " + *down);
    }

    const int status = report_peer_run(o, run);
    if (server) {
        server->stop();
        remove_stale_socket(peer.address);  // left by a crash the last case caused
    }
    return status;
}

}  // namespace qemud::conform
