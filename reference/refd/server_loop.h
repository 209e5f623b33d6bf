// SPDX-License-Identifier: Apache-2.0
// server_loop.h: qemud-refd's event loop. One thread, poll(2), non-blocking
// sockets; each accepted socket gets a Connection (connection.h) over the
// one shared HypervisorModel, so a slow or hostile peer never holds up the
// others.
#pragma once

#include <cstddef>
#include <vector>

#include "refd/address.h"
#include "refd/connection.h"
#include "refd/hypervisor_model.h"

namespace qemud::refd {

struct ServerOptions {
    ConnectionOptions connection;
    // idle_timeout_ms: a connection that neither sends nor takes a byte for
    // this long is closed; 0 never closes one for idleness.
    int idle_timeout_ms = 60000;
    // max_connections: one more is accepted and closed at once.
    std::size_t max_connections = 64;
    // max_output_bytes: a connection with this many reply bytes unread stops
    // being read (its calls wait in the kernel); if it still takes nothing
    // for idle_timeout_ms it is closed. Bounds the memory of a peer that
    // writes calls and never reads replies.
    std::size_t max_output_bytes = 1 << 20;
    bool verbose = false;  // one stderr line per connection closed, with the reason
};

// run_server serves `listeners` until `stop_fd` is readable (the signal
// handler's self-pipe), then closes every connection and returns. It
// returns 0, or 2 when poll itself fails (the message on stderr).
int run_server(std::vector<Listener>& listeners, HypervisorModel& model, const ServerOptions& options, int stop_fd);

}  // namespace qemud::refd
