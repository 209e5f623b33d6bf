// SPDX-License-Identifier: Apache-2.0
#include "listen_run.h"

#include "client_check.h"
#include "interrupt.h"
#include "peer_run.h"
#include "refd/address.h"
#include "selection.h"
#include "text_util.h"

namespace qemud::conform {

int run_listen(const Options& o) {
    if (!o.client_cmd) return cannot_run("--listen needs --client-cmd 'CMD' (the client under test)");
    if (auto error = checked_outputs(o)) return cannot_run(*error);
    std::string error;
    auto address = refd::parse_address(*o.listen, error);
    if (!address) return cannot_run("--listen: " + error);
    // The listener removes its unix socket file when it closes; a path that
    // exists is refused, never replaced.
    auto listener = refd::Listener::open(*address, error);
    if (!listener) return cannot_run("--listen: " + error);
    install_interrupt_handlers();

    clients::ClientOptions client;
    client.client_command = *o.client_cmd;
    client.listen_fd = listener->fd();
    client.address = listener->address().to_string();  // with the port the kernel chose for tcp:...:0
    client.framing = o.framing;
    client.timeout_ms = o.timeout_given ? o.timeout_ms : 2000;
    client.client_timeout_ms = o.client_timeout_ms;
    client.seed = o.seed;
    client.repro_command = o.program;
    if (o.timeout_given) client.repro_command += " --timeout-ms " + std::to_string(o.timeout_ms);

    PeerRun run;
    run.implementation = "client " + shell_quote(*o.client_cmd);
    for (auto& name : clients::list_client_cases())
        if (o.only.empty() || matches_any(o.only, name)) run.names.push_back(name);
    if (run.names.empty())
        return cannot_run("--only matched no case (names look like call/QEMUD_CLIENT_PKT_GET_VERSION, "
                          "pipeline/reversed-4, async/notification-first, hostile/hang)");
    run.run_case = [&](const std::string& name) { return clients::run_client_case(name, client); };
    return report_peer_run(o, run);
}

}  // namespace qemud::conform
